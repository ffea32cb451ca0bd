package main

import (
	"testing"
	"time"

	"github.com/corogen/corogen/internal/exampletest"
)

func TestOutput(t *testing.T) {
	out, elapsed, err := exampletest.Run(t, Main)
	want := "🔄 Task is running...\n🔄 Task is running...\n🔄 Task is running...\n🛑 Task was cancelled\n🔄 Caught task cancellation\n"
	if err != nil || out != want || elapsed != 3*time.Second {
		t.Fatalf("got %q after %v (%v), want %q after 3s", out, elapsed, err, want)
	}
}
