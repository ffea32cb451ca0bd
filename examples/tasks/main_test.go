package main

import (
	"testing"
	"time"

	"github.com/corogen/corogen/internal/exampletest"
)

func TestOutput(t *testing.T) {
	out, elapsed, err := exampletest.Run(t, Main)
	want := `🔵 Task A started
🟢 Task B started
🟡 Task C started
🔵 Task A completed
🟢 Task B completed
🟡 Task C completed
📊 All Results:
Result A
Result B
Result C
`
	// Concurrent: 3 s, not 1 + 2 + 3 s.
	if err != nil || out != want || elapsed != 3*time.Second {
		t.Fatalf("got %q after %v (%v), want %q after 3s", out, elapsed, err, want)
	}
}
