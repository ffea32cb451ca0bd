package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCorovet builds corovet and runs it, on its own and as go vet's tool,
// over the packages of testdata (in this module, so they use the real rt).
func TestCorovet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds corovet and runs the go command")
	}
	corovet := filepath.Join(t.TempDir(), "corovet")
	if out, err := exec.Command("go", "build", "-o", corovet, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const tagged = "tagged/tagged.go"
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		want   []string // in the output, in any order
	}{
		{"clean", []string{corovet, "./testdata/clean"}, 0, nil},
		{"finding", []string{corovet, "./testdata/finding"}, 3, []string{
			"finding.go:11:2: rt.Sleep(...) is never awaited, so it does not sleep",
		}},
		{"default build", []string{corovet, "./testdata/tagged"}, 0, nil},
		{"-tags corosrc", []string{corovet, "-tags", "corosrc", "-coroasync.blocking=github.com/corogen/corogen/cmd/corovet/testdata/tagged.Slow", "./testdata/tagged"}, 3, []string{
			tagged + ":17:3: time.Sleep blocks the event loop",
			tagged + ":18:3: tagged.Slow blocks the event loop",
			tagged + ":3:1: generated file tagged_coro.go is missing: run corogen (go generate)",
		}},
		{"-tags=corosrc -generated=false", []string{corovet, "-tags=corosrc", "-generated=false", "./testdata/tagged"}, 3, []string{
			tagged + ":17:3: time.Sleep blocks the event loop",
		}},
		{"go vet", []string{"go", "vet", "-tags", "corosrc", "-vettool=" + corovet,
			"./testdata/clean", "./testdata/finding", "./testdata/tagged", "./testdata/user"}, 1, []string{
			"finding.go:11:2: rt.Sleep(...) is never awaited",
			"tagged.go:17:3: time.Sleep blocks the event loop",
			"tagged.go:3:1: generated file tagged_coro.go is missing",
			// through the fact exported for tagged.Nap
			"user.go:8:2: the coroutine of async function tagged.Nap is never awaited",
		}},
	} {
		if tc.args[0] == "go" {
			// The go command (1.26) caches the vet run that only computes
			// a dependency's facts (say, of tagged for user) and replays
			// it, reporting nothing, when that package is vetted itself
			// later: a flag that differs from run to run keeps earlier
			// runs out.
			tc.args = append(tc.args[:2:2], append([]string{fmt.Sprintf("-coroasync.blocking=nocache%d.F", time.Now().UnixNano())}, tc.args[2:]...)...)
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(tc.args[0], tc.args[1:]...)
			cmd.Env = append(os.Environ(), "GOFLAGS=")
			out, err := cmd.CombinedOutput()
			status := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				status = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if status != tc.status {
				t.Errorf("exit status %d, want %d", status, tc.status)
			}
			for _, w := range tc.want {
				if !bytes.Contains(out, []byte(w)) {
					t.Errorf("output lacks %q", w)
				}
			}
			if n := strings.Count(string(out), ": "); tc.want == nil && n > 0 || len(tc.want) > 0 && t.Failed() {
				t.Logf("output:\n%s", out)
			}
		})
	}
}

func TestTagsFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		tags string
		ok   bool
	}{
		{[]string{"-tags", "corosrc", "./..."}, "corosrc", true},
		{[]string{"--tags=corosrc,x", "./..."}, "corosrc,x", true},
		{[]string{"-fix", "-tags=a", "."}, "a", true},
		{[]string{"./...", "-tags=a"}, "", false},
		{[]string{"-blocking=x.F", "."}, "", false},
	} {
		tags, ok := tagsFlag(tc.args)
		if tags != tc.tags || ok != tc.ok {
			t.Errorf("tagsFlag(%q) = %q, %v; want %q, %v", tc.args, tags, ok, tc.tags, tc.ok)
		}
	}
}
