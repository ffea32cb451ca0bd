//go:build !corosrc

package bench

import (
	"math"
	"testing"

	"github.com/corogen/corogen/rt"
)

// Allocation counts of the generated machines (a default build only: with
// -tags corosrc every coroutine is a goroutine).

// allocsPer returns the allocations per unit of work: it runs mk(n) and
// mk(2n) to completion on one loop and divides the difference by n, so
// that the constant cost of a run (the main coroutine, the loop's queue)
// drops out. It rounds to two decimals: AllocsPerRun reads a process-wide
// counter that sees an occasional allocation of the runtime.
func allocsPer[T any](t *testing.T, n int, mk func(n int) rt.Coro[T]) float64 {
	t.Helper()
	l := rt.NewLoop(rt.WithVirtualClock())
	defer l.Close()
	run := func(n int) float64 {
		return testing.AllocsPerRun(5, func() {
			if _, err := rt.RunUntilComplete(l, mk(n)); err != nil {
				t.Fatal(err)
			}
		})
	}
	return math.Round((run(2*n)-run(n))/float64(n)*100) / 100
}

// TestAwaitAllocs: an await of rt.Sleep(0) allocates nothing in steady state.
func TestAwaitAllocs(t *testing.T) {
	if a := allocsPer(t, 5000, Yield); a != 0 {
		t.Errorf("await: %.2f allocations, want 0", a)
	}
}

// TestSpawnAllocs: a spawned task is one allocation, its machine and its
// task together.
func TestSpawnAllocs(t *testing.T) {
	if a := allocsPer(t, 5000, SpawnN); a != 1 {
		t.Errorf("spawn: %.2f allocations per task, want 1", a)
	}
}

// TestNestedAwaitAllocs: awaiting a same-package async function directly
// allocates nothing: the child is embedded in the parent's machine (one
// that completes at once and one that suspends, per unit).
func TestNestedAwaitAllocs(t *testing.T) {
	if a := allocsPer(t, 5000, Nested); a != 0 {
		t.Errorf("nested await: %.2f allocations per pair of awaits, want 0", a)
	}
}

// TestChainAllocs: a recursive chain of awaits allocates its levels once
// (each level keeps its child behind a pointer, reused by the next call).
func TestChainAllocs(t *testing.T) {
	if a := allocsPer(t, 200, Chain); a != 0 {
		t.Errorf("chain: %.2f allocations per Rec(100) after the first, want 0", a)
	}
}
