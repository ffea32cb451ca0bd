package main

import (
	"testing"

	"github.com/corogen/corogen/internal/exampletest"
	"github.com/corogen/corogen/rt"
)

// The server and 1,000 concurrent clients on one loop, under the virtual
// clock (no timer is involved: it takes no virtual time).
func TestOutput(t *testing.T) {
	out, elapsed, err := exampletest.Run(t, func() rt.Coro[rt.Void] { return Main(1000, 1024) })
	want := "1000 requests of 1024 bytes echoed (1024000 bytes)\n"
	if err != nil || out != want || elapsed != 0 {
		t.Fatalf("got %q after %v (%v), want %q", out, elapsed, err, want)
	}
}

// Messages larger than the server's 16 KiB buffer are echoed piecewise.
func TestLargeMessages(t *testing.T) {
	out, _, err := exampletest.Run(t, func() rt.Coro[rt.Void] { return Main(50, 100<<10) })
	want := "50 requests of 102400 bytes echoed (5120000 bytes)\n"
	if err != nil || out != want {
		t.Fatalf("got %q (%v), want %q", out, err, want)
	}
}
