//go:build !corosrc

package bench

import (
	"testing"
	"unsafe"

	"github.com/corogen/corogen/internal/alloctest"
	"github.com/corogen/corogen/rt"
)

// Allocation counts of the generated machines (a default build only: with
// -tags corosrc every coroutine is a goroutine).

// TestAwaitAllocs: an await of rt.Sleep(0) allocates nothing in steady state.
func TestAwaitAllocs(t *testing.T) {
	if a := alloctest.PerUnit(t, 5000, Yield); a != 0 {
		t.Errorf("await: %.2f allocations, want 0", a)
	}
}

// TestSpawnAllocs: a spawned task is one allocation, its machine and its
// task together.
func TestSpawnAllocs(t *testing.T) {
	if a := alloctest.PerUnit(t, 5000, SpawnN); a != 1 {
		t.Errorf("spawn: %.2f allocations per task, want 1", a)
	}
}

// TestNestedAwaitAllocs: awaiting a same-package async function directly
// allocates nothing: the child is embedded in the parent's machine (one
// that completes at once and one that suspends, per unit).
func TestNestedAwaitAllocs(t *testing.T) {
	if a := alloctest.PerUnit(t, 5000, Nested); a != 0 {
		t.Errorf("nested await: %.2f allocations per pair of awaits, want 0", a)
	}
}

// TestChainAllocs: a recursive chain of awaits allocates its levels once
// (each level keeps its child behind a pointer, reused by the next call).
func TestChainAllocs(t *testing.T) {
	if a := alloctest.PerUnit(t, 200, Chain); a != 0 {
		t.Errorf("chain: %.2f allocations per Rec(100) after the first, want 0", a)
	}
}

// TestAllocFloorIsTheTaskObject: the go-alloc-floor peer allocates, per
// task, the object a spawned Ret is, and returns what the gather would.
func TestAllocFloorIsTheTaskObject(t *testing.T) {
	floor, task := unsafe.Sizeof(rt.WithTask[int, floorMachine]{}), unsafe.Sizeof(rt.WithTask[int, retMachine]{})
	if floor != task {
		t.Errorf("go-alloc-floor's object is %d bytes, a Ret task %d", floor, task)
	}
	r := AllocFloor(1000)
	for i, v := range r.V {
		if v != i {
			t.Fatalf("result %d = %d", i, v)
		}
	}
	if a := testing.AllocsPerRun(5, func() { AllocFloor(1000) }); a != 1002 {
		t.Errorf("AllocFloor(1000): %v allocations, want one per task and two slices", a)
	}
}
