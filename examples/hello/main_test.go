package main

import (
	"testing"
	"time"

	"github.com/corogen/corogen/internal/exampletest"
	"github.com/corogen/corogen/rt"
)

func TestOutput(t *testing.T) {
	var elapsed time.Duration
	out := exampletest.Stdout(t, func() { elapsed = run(rt.WithVirtualClock()) })
	if want := "👋 Hello\n🌍 World\n"; out != want || elapsed != time.Second {
		t.Fatalf("got %q after %v, want %q after 1s", out, elapsed, want)
	}
}
