//go:build corosrc

// Verify checks files against a SHA-256 manifest (the format sha256sum
// writes) concurrently: at most -limit files at a time, each within
// -timeout, and the first failure cancels the checks still running, as a Go
// user would write it with errgroup and context, here with a TaskGroup,
// WaitFor and ToThread.
//
//	go run ./examples/verify examples/verify/data/SHA256SUMS
//	go run ./examples/verify examples/verify/data/SHA256SUMS.bad
//	go run ./examples/verify -timeout 30ms examples/verify/data/SHA256SUMS
//
// The data is the seed tutorial, one file per section. Reading a file runs
// on a thread (rt.ToThread) so the loop never blocks; a simulated network
// delay proportional to the file's size (10 µs per byte) stands for a
// download, so that the limit and the timeout have something to act on.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

// Entry is a line of the manifest.
type Entry struct {
	Sum  string // hex SHA-256
	Name string // relative to the manifest's directory
}

// ErrMismatch is the failure of a file whose checksum differs.
var ErrMismatch = errors.New("checksum mismatch")

// ParseManifest reads "<hex>  <name>" lines.
func ParseManifest(data []byte) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != 64 {
			return nil, fmt.Errorf("manifest line %d: want \"<sha256>  <name>\"", n)
		}
		out = append(out, Entry{Sum: sum, Name: name})
	}
	return out, sc.Err()
}

// Fetch reads a file off the loop, then waits the simulated transfer time.
//
//coro:async
func Fetch(path string) rt.Coro[[]byte] {
	return rt.AsyncErr(func() ([]byte, error) {
		data, err := rt.Try(rt.ToThreadErr(func() ([]byte, error) { return os.ReadFile(path) }))
		if err != nil {
			return nil, err
		}
		rt.Await(rt.Sleep(time.Duration(len(data)) * 10 * time.Microsecond))
		return data, nil
	})
}

// VerifyFile fetches one file and compares its checksum.
//
//coro:async
func VerifyFile(dir string, e Entry) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		data := rt.Await(Fetch(filepath.Join(dir, e.Name)))
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != e.Sum {
			return fmt.Errorf("%w: got %.12s…, want %.12s…", ErrMismatch, got, e.Sum)
		}
		return nil
	})
}

// Check verifies a file within the timeout and reports the outcome.
//
//coro:async
func Check(dir string, e Entry, timeout time.Duration) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		_, err := rt.Try(rt.WaitFor(VerifyFile(dir, e), timeout))
		switch {
		case err == nil:
			fmt.Printf("✅ %s\n", e.Name)
		case errors.Is(err, rt.ErrCancelled):
			fmt.Printf("⏹️  %s: cancelled\n", e.Name)
		case errors.Is(err, rt.ErrTimeout):
			fmt.Printf("⏰ %s: timed out after %v\n", e.Name, timeout)
		default:
			fmt.Printf("❌ %s: %v\n", e.Name, err)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", e.Name, err)
		}
		return nil
	})
}

// VerifyAll checks every entry, limit at a time; the first failure cancels
// the rest.
//
//coro:async
func VerifyAll(manifest string, limit int, timeout time.Duration) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		data, err := rt.Try(rt.ToThreadErr(func() ([]byte, error) { return os.ReadFile(manifest) }))
		if err != nil {
			return err
		}
		entries, err := ParseManifest(data)
		if err != nil {
			return err
		}
		dir := filepath.Dir(manifest)
		g := rt.NewTaskGroup()
		g.SetLimit(limit)
		_, err = rt.Try(g.Run(rt.Do(func() {
			for _, e := range entries {
				rt.Await(rt.GoIn(g, Check(dir, e, timeout))) // waits for a free slot
			}
		})))
		if err != nil {
			return err
		}
		fmt.Printf("📊 %d files verified in %v\n", len(entries), rt.Now().Round(time.Millisecond))
		return nil
	})
}

func main() {
	limit := flag.Int("limit", 3, "files checked at once")
	timeout := flag.Duration("timeout", 100*time.Millisecond, "time allowed per file")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: verify [-limit n] [-timeout d] SHA256SUMS")
		os.Exit(2)
	}
	if _, err := rt.Run(VerifyAll(flag.Arg(0), *limit, *timeout)); err != nil {
		fmt.Fprintln(os.Stderr, "verify failed:", err)
		os.Exit(1)
	}
}
