package main

import (
	"testing"
	"time"

	"github.com/corogen/corogen/internal/exampletest"
)

func TestOutput(t *testing.T) {
	out, elapsed, err := exampletest.Run(t, Main)
	want := `📥 Fetching data from Source 1
📥 Fetching data from Source 2
✅ Finished fetching from Source 1
✅ Finished fetching from Source 2
📊 Results:
Data from Source 1
Data from Source 2
`
	// Concurrent: 3 s, not 2 s + 3 s.
	if err != nil || out != want || elapsed != 3*time.Second {
		t.Fatalf("got %q after %v (%v), want %q after 3s", out, elapsed, err, want)
	}
}
