package recursion

import (
	"runtime/debug"
	"testing"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

func TestRecursion(t *testing.T) { exectest.Run(t, Main, &out) }

// TestDeepCompletionKeepsStackSmall runs 100,000 awaits of completed
// coroutines with a 64 KiB stack limit: each await returns to the loop in
// the caller's frame instead of nesting.
func TestDeepCompletionKeepsStackSmall(t *testing.T) {
	old := debug.SetMaxStack(256 << 10)
	defer debug.SetMaxStack(old)
	n, err := rt.Run(Deep(100000))
	if err != nil || n != 100000 {
		t.Fatalf("Deep = %d, %v", n, err)
	}
}
