//go:build corosrc

package bench

import (
	"time"

	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

// Yield awaits rt.Sleep(0) n times: one full turn of the loop each, with
// nothing else runnable. It returns the time the loop of awaits took.
//
//coro:async
func Yield(n int) rt.Coro[time.Duration] {
	return rt.Async(func() time.Duration {
		t0 := time.Now()
		for range n {
			rt.Await(rt.Sleep(0))
		}
		return time.Since(t0)
	})
}

// Ret returns its argument: the task body of spawn_gather.
//
//coro:async
func Ret(i int) rt.Coro[int] {
	return rt.Async(func() int {
		return i
	})
}

// SpawnGather spawns n tasks, task i returning i, and gathers them. The
// timed part is the peers': the slice of tasks, the spawns and the gather
// (with its result slice); the sum is checked by the caller.
//
//coro:async
func SpawnGather(n int) rt.Coro[Timed[[]int]] {
	return rt.Async(func() Timed[[]int] {
		t0 := time.Now()
		tasks := make([]*rt.Task[int], n)
		for i := range n {
			tasks[i] = rt.Spawn(Ret(i))
		}
		res := rt.Await(rt.GatherAll(tasks))
		return Timed[[]int]{V: res, Elapsed: time.Since(t0)}
	})
}

// sleeper is the task body of sleepers.
//
//coro:async
func sleeper(d time.Duration, c *Counters) rt.Coro[rt.Void] {
	return rt.Do(func() {
		c.Started++
		rt.Await(rt.Sleep(d))
		c.Done++
	})
}

// Sleepers runs one sleeper per delay, all at once, and samples rss (a
// KiB reading, VmRSS in corobench) before creating them and once all of
// them have started, as the peers do.
//
//coro:async
func Sleepers(delays []time.Duration, rss func() int64) rt.Coro[SleepersResult] {
	return rt.Async(func() SleepersResult {
		var c Counters
		var r SleepersResult
		n := len(delays)
		r.RSS0 = rss()
		t0 := time.Now()
		tasks := make([]*rt.Task[rt.Void], n)
		for i, d := range delays {
			tasks[i] = rt.Spawn(sleeper(d, &c))
		}
		for c.Started < n {
			rt.Await(rt.Sleep(0))
		}
		r.RSS1 = rss()
		r.SampleAt = time.Since(t0)
		r.DoneAtSample = c.Done
		rt.Await(rt.GatherAll(tasks))
		r.Elapsed = time.Since(t0)
		r.Done = c.Done
		return r
	})
}

// Rec recurses to depth d, each level awaiting the next directly:
// rec(0) = 0, rec(d) = await rec(d-1) + 1.
//
//coro:async
func Rec(d int) rt.Coro[int] {
	return rt.Async(func() int {
		if d == 0 {
			return 0
		}
		return rt.Await(Rec(d-1)) + 1
	})
}

// Chain awaits Rec(100) m times and returns the total (m*100).
//
//coro:async
func Chain(m int) rt.Coro[Timed[int]] {
	return rt.Async(func() Timed[int] {
		t0 := time.Now()
		total := 0
		for range m {
			total += rt.Await(Rec(100))
		}
		return Timed[int]{V: total, Elapsed: time.Since(t0)}
	})
}

// Noop returns at once: the smallest task.
//
//coro:async
func Noop() rt.Coro[rt.Void] {
	return rt.Do(func() {})
}

// SpawnN spawns n Noop tasks, awaiting rt.Sleep(0) after every 100 so
// that they run (the spawn allocation test).
//
//coro:async
func SpawnN(n int) rt.Coro[rt.Void] {
	return rt.Do(func() {
		for i := range n {
			_ = rt.Spawn(Noop()) // fire and forget: the allocation test counts only the spawn
			if i%100 == 99 {
				rt.Await(rt.Sleep(0))
			}
		}
		rt.Await(rt.Sleep(0))
	})
}

// yieldOnce suspends once.
//
//coro:async
func yieldOnce(i int) rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(rt.Sleep(0))
		return i
	})
}

// Nested awaits n same-package coroutines directly: Ret(i), which completes
// at once, and yieldOnce(i), which suspends (the nested-await allocation
// test: both children are embedded in Nested's machine).
//
//coro:async
func Nested(n int) rt.Coro[int] {
	return rt.Async(func() int {
		sum := 0
		for i := range n {
			sum += rt.Await(Ret(i))
			sum += rt.Await(yieldOnce(i))
		}
		return sum
	})
}
