// Package exectest runs the transform's execution test programs: each
// subpackage holds async functions written in one construct (loops,
// switches, defers, ...), generated with corogen. Its test runs the program
// and compares the whole output with a golden file. `go test` runs the
// generated state machines; `go test -tags corosrc` runs the same sources on
// the reference runtime; both must print the golden output, so the two
// modes agree line for line.
//
// Regenerate the golden files from the reference runtime (which runs the
// source as the Go compiler compiled it) with
//
//	go test -tags corosrc ./internal/exectest/... -update
package exectest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corogen/corogen/rt"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// Log collects a program's output.
type Log struct{ b strings.Builder }

// Say writes a line.
func (l *Log) Say(format string, args ...any) { fmt.Fprintf(&l.b, format+"\n", args...) }

// Reset clears the log.
func (l *Log) Reset() { l.b.Reset() }

// String returns what was written.
func (l *Log) String() string { return l.b.String() }

// Run runs main on a new loop under the virtual clock and checks the
// program's output, its result and the virtual time it took against
// testdata/<test name>.golden.
func Run[T any](t *testing.T, main func() rt.Coro[T], out *Log) {
	t.Helper()
	out.Reset()
	var got strings.Builder
	func() {
		defer func() {
			if r := recover(); r != nil {
				msg := fmt.Sprint(r)
				if pe, ok := r.(*rt.PanicError); ok {
					msg = fmt.Sprint(pe.Value)
				}
				fmt.Fprintf(&got, "%spanic: %s\n", out, msg)
			}
		}()
		loop := rt.NewLoop(rt.WithVirtualClock())
		v, err := rt.RunUntilComplete(loop, main())
		elapsed := loop.Now()
		if cerr := loop.Close(); cerr != nil {
			t.Errorf("Close: %v", cerr)
		}
		fmt.Fprintf(&got, "%sresult: %v\nerror: %v\nelapsed: %v\n", out, v, err, elapsed)
	}()
	Compare(t, got.String())
}

// Compare checks text against the test's golden file.
func Compare(t *testing.T, text string) {
	t.Helper()
	name := strings.ReplaceAll(t.Name(), "/", "_")
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	if string(want) != text {
		t.Errorf("output differs from %s\n--- got:\n%s--- want:\n%s", path, text, want)
	}
}
