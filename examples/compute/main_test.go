package main

import (
	"testing"

	"github.com/corogen/corogen/internal/exampletest"
)

func TestOutput(t *testing.T) {
	out, elapsed, err := exampletest.Run(t, Main)
	if err != nil || out != "The answer is 42\n" || elapsed != 0 {
		t.Fatalf("%q after %v, %v", out, elapsed, err)
	}
	if out := exampletest.Stdout(t, main); out != "The answer is 42\n" {
		t.Fatalf("main printed %q", out)
	}
}
