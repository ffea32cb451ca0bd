//go:build !corosrc

package recursion

import (
	"testing"

	"github.com/corogen/corogen/rt"
)

// TestRecursionThatCompletesAllocatesNothing: a recursive await whose
// callee completes at once runs the callee on the stack, so a fresh
// 100-deep recursion costs what a 1-deep one does.
func TestRecursionThatCompletesAllocatesNothing(t *testing.T) {
	loop := rt.NewLoop(rt.WithVirtualClock())
	defer loop.Close()
	allocs := func(d int) float64 {
		return testing.AllocsPerRun(20, func() {
			if v, err := rt.RunUntilComplete(loop, Rec(d)); v != d || err != nil {
				t.Fatal(v, err)
			}
		})
	}
	if one, deep := allocs(1), allocs(100); deep != one {
		t.Fatalf("Rec(100) allocates %v times, Rec(1) %v: a level costs an allocation", deep, one)
	}
}
