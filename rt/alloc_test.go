//go:build !corosrc

package rt_test

// Allocation counts of the generated machines (a default build only: with
// -tags corosrc every coroutine is a goroutine).

import (
	"testing"
	"time"

	"github.com/corogen/corogen/internal/alloctest"
	"github.com/corogen/corogen/rt"
)

// allocsPer is alloctest.PerUnit, skipped in -short runs.
func allocsPer(t *testing.T, n int, mk func(n int) rt.Coro[rt.Void], opts ...rt.Option) float64 {
	t.Helper()
	if testing.Short() {
		t.Skip("allocation counts take a moment")
	}
	return alloctest.PerUnit(t, n, mk, opts...)
}

func TestAwaitDoesNotAllocate(t *testing.T) {
	for _, d := range []time.Duration{0, time.Millisecond} {
		if a := allocsPer(t, 2000, func(n int) rt.Coro[rt.Void] { return yieldN(n, d) }); a != 0 {
			t.Errorf("await of Sleep(%v): %.3f allocations, want 0", d, a)
		}
	}
}

func TestRealClockSleepDoesNotAllocate(t *testing.T) {
	// The loop idles on a timer between the sleeps: it must reuse one.
	// Few awaits (each idles for the timer's granularity): the threshold
	// allows for a stray allocation of the Go runtime, not one per await.
	a := allocsPer(t, 20, func(n int) rt.Coro[rt.Void] { return yieldN(n, time.Microsecond) }, []rt.Option{}...)
	if a >= 0.5 {
		t.Errorf("await of a real-clock Sleep: %.3f allocations, want 0", a)
	}
}

func TestAwaitOfATaskDoesNotAllocate(t *testing.T) {
	// Each round spawns a task (its one allocation) and awaits it.
	if a := allocsPer(t, 2000, spawnAndAwait); a != 1 {
		t.Errorf("spawn and await: %.3f allocations per task, want 1 (the coroutine object)", a)
	}
}

func TestSpawnAllocatesOnce(t *testing.T) {
	mk := func(n int) rt.Coro[rt.Void] {
		return spawner(n, 100, func(int) rt.Coro[rt.Void] { return noop() }, nil)
	}
	if a := allocsPer(t, 2000, mk); a != 1 {
		t.Errorf("spawn: %.3f allocations per task, want 1 (its coroutine object, task included)", a)
	}
	// A task that sleeps allocates nothing more: its timer, in the Ctx, is
	// what it waits on (no extra state, unlike a wait on a task or a lock).
	// The sleepers outlive each run, so the timer heap grows by a block
	// every 256 of them (0.004 allocations per task, rounded away); were
	// they also put on the list of live tasks, its blocks would make it
	// 1.01.
	sleepers := func(n int) rt.Coro[rt.Void] {
		return spawner(n, 100, func(int) rt.Coro[rt.Void] { return yieldN(1, time.Second) }, nil)
	}
	if a := allocsPer(t, 2000, sleepers, rt.WithVirtualClock()); a != 1 {
		t.Errorf("spawn of a sleeper: %.3f allocations per task, want 1 (its coroutine object)", a)
	}
}

func TestSyncDoesNotAllocate(t *testing.T) {
	for _, c := range []struct {
		name string
		mk   func(int) rt.Coro[rt.Void]
	}{
		{"lock uncontended", lockUncontended},
		{"lock contended", lockContended},
		{"semaphore uncontended", semUncontended},
		{"semaphore contended", semContended},
		{"queue ping-pong", queuePingPong},
	} {
		if a := allocsPer(t, 2000, c.mk); a != 0 {
			t.Errorf("%s: %.3f allocations per operation, want 0", c.name, a)
		}
	}
}
