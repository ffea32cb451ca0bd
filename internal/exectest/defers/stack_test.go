package defers

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/corogen/corogen/rt"
)

// TestPanicStackNamesTheSource: the stack of a panic in a coroutine names
// the user's source file and line, in generated code as in the source (the
// generated code's /*line*/ directives name the file relative to its
// directory, so the stack shows its base name).
func TestPanicStackNamesTheSource(t *testing.T) {
	var pe *rt.PanicError
	func() {
		defer func() { pe, _ = recover().(*rt.PanicError) }()
		rt.Run(Child())
	}()
	if pe == nil {
		t.Fatal("no *rt.PanicError")
	}
	m := regexp.MustCompile(`(?m)^\s+(\S*/exectest/defers/)?defers\.go:(\d+)`).FindSubmatch(pe.Stack)
	if m == nil {
		t.Fatalf("stack does not name defers.go:\n%s", pe.Stack)
	}
	if string(m[2]) != "101" { // m["x"] = 1 in Child
		t.Errorf("stack names defers.go:%s, want the panicking line 101:\n%s", m[2], pe.Stack)
	}
	// The user's own frame is never reported in the generated file (the
	// glue around it, such as Poll, is).
	if bytes.Contains(pe.Stack, []byte("Step(")) && regexp.MustCompile(`Step\([^)]*\)\n\s+\S*defers_coro\.go`).Match(pe.Stack) {
		t.Errorf("the panicking frame names the generated file:\n%s", pe.Stack)
	}
}
