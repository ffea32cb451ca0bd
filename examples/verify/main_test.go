package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/corogen/corogen/internal/exampletest"
	"github.com/corogen/corogen/rt"
)

// The three runs of the package doc, under the virtual clock: the limit of
// three files at a time, a failure cancelling the checks still running,
// and a timeout.

func TestAllVerified(t *testing.T) {
	out, elapsed, err := exampletest.Run(t, func() rt.Coro[rt.Void] { return VerifyAll("data/SHA256SUMS", 3, 100*time.Millisecond) })
	want := `✅ 2-the-async-def-syntax.md
✅ 3-coroutine-functions-vs-coroutine-objects.md
✅ 1-what-is-a-coroutine.md
✅ 4-using-await-with-coroutines.md
✅ 5-understanding-the-event-loop.md
✅ 6-cancellation-of-coroutines.md
✅ 8-conclusion.md
✅ 7-putting-it-all-together.md
📊 8 files verified in 61ms
`
	// Three at a time: 61.41 ms, where one at a time would take 171.8 ms.
	if err != nil || out != want || elapsed != 61410*time.Microsecond {
		t.Fatalf("got %q after %v (%v)", out, elapsed, err)
	}
}

func TestFirstFailureCancelsTheRest(t *testing.T) {
	out, elapsed, err := exampletest.Run(t, func() rt.Coro[rt.Void] { return VerifyAll("data/SHA256SUMS.bad", 3, 100*time.Millisecond) })
	want := `✅ 2-the-async-def-syntax.md
✅ 3-coroutine-functions-vs-coroutine-objects.md
✅ 1-what-is-a-coroutine.md
❌ 4-using-await-with-coroutines.md: checksum mismatch: got b9d4fee85765…, want 000000005765…
⏹️  5-understanding-the-event-loop.md: cancelled
⏹️  6-cancellation-of-coroutines.md: cancelled
`
	// File 4 fails at 18.79 ms; 5 and 6 are cancelled then, 7 and 8 never start.
	if out != want || elapsed != 18790*time.Microsecond || !errors.Is(err, ErrMismatch) || errors.Is(err, rt.ErrCancelled) {
		t.Fatalf("got %q after %v (%v)", out, elapsed, err)
	}
}

func TestTimeout(t *testing.T) {
	out, elapsed, err := exampletest.Run(t, func() rt.Coro[rt.Void] { return VerifyAll("data/SHA256SUMS", 3, 30*time.Millisecond) })
	if !strings.Contains(out, "⏰ 7-putting-it-all-together.md: timed out after 30ms\n⏹️  8-conclusion.md: cancelled\n") || !errors.Is(err, rt.ErrTimeout) {
		t.Fatalf("got %q after %v (%v)", out, elapsed, err)
	}
	// File 7 starts at 18.79 ms and times out 30 ms later.
	if elapsed != 48790*time.Microsecond {
		t.Fatalf("elapsed %v", elapsed)
	}
}

func TestParseManifest(t *testing.T) {
	if _, err := ParseManifest([]byte("abc  x\n")); err == nil {
		t.Fatal("a short checksum was accepted")
	}
	es, err := ParseManifest([]byte(strings.Repeat("a", 64) + "  x.md\n\n"))
	if err != nil || len(es) != 1 || es[0].Name != "x.md" {
		t.Fatal(es, err)
	}
}
