package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/corogen/corogen/internal/exampletest"
)

func TestOutput(t *testing.T) {
	out := exampletest.Stdout(t, main)
	if want := "<class 'function'>\n<class 'coroutine'>\n"; out != want {
		t.Fatalf("got %q, want %q", out, want)
	}
	// The object prints as Python's repr would. (The package part is "main"
	// in the generated code; the reference runtime, which reads it from the
	// running binary, sees the test's import path instead.)
	if s := fmt.Sprint(MyCoroutine()); !strings.HasPrefix(s, "coroutine ") || !strings.HasSuffix(s, ".MyCoroutine") {
		t.Fatalf("%%v of the coroutine object: %q", s)
	}
}
