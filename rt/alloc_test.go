package rt_test

import (
	"math"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// allocsPer returns the allocations per unit of work: it runs mk(n) and
// mk(2n) to completion on one loop and divides the difference by n, so
// that the constant cost of a RunUntilComplete call drops out. The result
// is rounded to two decimals: the process-wide malloc count that
// AllocsPerRun reads sees an occasional allocation of the runtime or the
// test framework, which would otherwise show as 0.001.
func allocsPer(t *testing.T, n int, mk func(n int) rt.Coro[rt.Void], opts ...rt.Option) float64 {
	t.Helper()
	if testing.Short() {
		t.Skip("allocation counts take a moment")
	}
	if opts == nil {
		opts = []rt.Option{rt.WithVirtualClock()}
	}
	l := rt.NewLoop(opts...)
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
}

// spawnAwaitM spawns a task that sleeps 1ms and awaits it, n times.
type spawnAwaitM struct {
	rt.Frame[rt.Void]
	n, i int
	aw1  *rt.Task[rt.Void]
}

func spawnAndAwait(n int) rt.Coro[rt.Void] {
	c := new(rt.WithTask[rt.Void, spawnAwaitM])
	c.M.n = n
	return rt.NewCoro[rt.Void](&c.M, &c.Task)
}

func (m *spawnAwaitM) CoroName() string { return "rt_test.spawnAndAwait" }

func (m *spawnAwaitM) Poll(cx *rt.Ctx) bool {
	switch m.State {
	case 0:
	case 1:
		goto await1
	default:
		return rt.PolledAfterDone(m.CoroName())
	}
loop:
	if m.i >= m.n {
		return m.Complete(rt.Void{})
	}
	m.aw1 = rt.SpawnOn(cx.Loop(), sleepOnce(time.Millisecond))
	m.State = 1
await1:
	if !m.aw1.Poll(cx) {
		return false
	}
	if _, err := m.aw1.Outcome(cx); err != nil {
		return m.Fail(err)
	}
	m.i++
	goto loop
}
