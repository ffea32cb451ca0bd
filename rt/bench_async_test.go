//go:build corosrc

package rt_test

// The coroutines of the runtime's benchmarks and allocation tests, as async
// functions: what is measured is the machines corogen generates for them
// (bench_async_coro_test.go), as a user's code gets them.

import (
	"time"

	"github.com/corogen/corogen/rt"
)

// yieldN awaits rt.Sleep(d) n times.
//
//coro:async
func yieldN(n int, d time.Duration) rt.Coro[rt.Void] {
	return rt.Do(func() {
		for range n {
			rt.Await(rt.Sleep(d))
		}
	})
}

// value returns v at once.
//
//coro:async
func value(v int) rt.Coro[int] {
	return rt.Async(func() int { return v })
}

// noop returns at once: the smallest task.
//
//coro:async
func noop() rt.Coro[rt.Void] {
	return rt.Do(func() {})
}

// sleepOnce sleeps d once: the smallest suspended task.
//
//coro:async
func sleepOnce(d time.Duration) rt.Coro[rt.Void] {
	return rt.Do(func() { rt.Await(rt.Sleep(d)) })
}

// spawner spawns n tasks made by mk, in batches, awaiting a Sleep(0) after
// each batch so that they run; first, if set, is called once the first
// batch has run up to its first suspension.
//
//coro:async
func spawner(n, batch int, mk func(i int) rt.Coro[rt.Void], first func()) rt.Coro[rt.Void] {
	return rt.Do(func() {
		for i := 0; i < n; {
			for end := min(i+batch, n); i < end; i++ {
				rt.Spawn(mk(i))
			}
			rt.Await(rt.Sleep(0))
			if first != nil {
				first()
				first = nil
			}
		}
	})
}

// spawnAndAwait spawns a task that sleeps 1ms and awaits it, n times.
//
//coro:async
func spawnAndAwait(n int) rt.Coro[rt.Void] {
	return rt.Do(func() {
		for range n {
			rt.Await(rt.Spawn(sleepOnce(time.Millisecond)))
		}
	})
}

// lockLoop acquires and releases l n times, yielding once while it holds
// the lock if yield is set (so that other tasks contend for it).
//
//coro:async
func lockLoop(l *rt.Lock, n int, yield bool) rt.Coro[rt.Void] {
	return rt.Do(func() {
		for range n {
			rt.Await(l.Acquire())
			if yield {
				rt.Await(rt.Sleep(0))
			}
			l.Release()
		}
	})
}

// semLoop is lockLoop for a semaphore.
//
//coro:async
func semLoop(s *rt.Semaphore, n int, yield bool) rt.Coro[rt.Void] {
	return rt.Do(func() {
		for range n {
			rt.Await(s.Acquire())
			if yield {
				rt.Await(rt.Sleep(0))
			}
			s.Release()
		}
	})
}

// putter puts 0..n-1 into q.
//
//coro:async
func putter(q *rt.Queue[int], n int) rt.Coro[rt.Void] {
	return rt.Do(func() {
		for i := range n {
			rt.Await(q.Put(i))
		}
	})
}

// getter gets n items from q and checks that they are 0..n-1 in order.
//
//coro:async
func getter(q *rt.Queue[int], n int) rt.Coro[rt.Void] {
	return rt.Do(func() {
		for i := range n {
			if v := rt.Await(q.Get()); v != i {
				panic("queue order")
			}
		}
	})
}

// all spawns the coroutines and awaits their tasks.
//
//coro:async
func all(cs ...rt.Coro[rt.Void]) rt.Coro[rt.Void] {
	return rt.Do(func() {
		tasks := make([]*rt.Task[rt.Void], len(cs))
		for i, c := range cs {
			tasks[i] = rt.Spawn(c)
		}
		for _, t := range tasks {
			rt.Await(t)
		}
	})
}
