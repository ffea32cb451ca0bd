//go:build corosrc

// Package threads exercises rt.ToThread, rt.ToThreadErr and Loop.Hold:
// blocking Go code on the loop's goroutine pool, awaited without blocking
// the loop, under the virtual clock (which stands still while a thread
// runs) and the real one.
package threads

import (
	"errors"
	"sync/atomic"
	"time"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

// NotBlocking: other tasks run while a thread blocks (real clock).
//
//coro:async
func NotBlocking() rt.Coro[rt.Void] {
	return rt.Do(func() {
		ticks := 0
		ticker := rt.Spawn(rt.Do(func() {
			for {
				rt.Await(rt.Sleep(5 * time.Millisecond))
				ticks++
			}
		}))
		v := rt.Await(rt.ToThread(func() string {
			time.Sleep(80 * time.Millisecond) // blocks this goroutine, not the loop
			return "slept"
		}))
		ticker.Cancel()
		_, _ = rt.Try(ticker)
		out.Say("thread: %s; the loop ticked meanwhile: %v", v, ticks >= 3)
	})
}

// VirtualClock: the clock does not jump while a thread runs, even with a
// timer set; it jumps again once the thread is done.
//
//coro:async
func VirtualClock() rt.Coro[rt.Void] {
	return rt.Do(func() {
		sleeper := rt.Spawn(rt.Do(func() {
			rt.Await(rt.Sleep(time.Hour))
			out.Say("sleeper wakes at %v", rt.Now())
		}))
		v := rt.Await(rt.ToThread(func() int {
			time.Sleep(30 * time.Millisecond)
			return 42
		}))
		out.Say("thread returned %d at %v", v, rt.Now())
		rt.Await(sleeper)
		out.Say("done at %v", rt.Now())
	})
}

// Failures: an error comes back as the await's failure; a panic is
// re-raised in the awaiting coroutine.
//
//coro:async
func Failures() rt.Coro[rt.Void] {
	return rt.Do(func() {
		_, err := rt.Try(rt.ToThreadErr(func() (int, error) { return 0, errors.New("disk on fire") }))
		out.Say("error: %v", err)
		n, err := rt.Try(rt.ToThreadErr(func() (int, error) { return 7, nil }))
		out.Say("value: %d %v", n, err)
		rt.Await(rt.Do(func() {
			defer func() { out.Say("recovered: %v", recover()) }()
			rt.Await(rt.ToThread(func() int { panic("thread panics") }))
		}))
		// Spawned and gathered like any coroutine.
		vs := rt.Await(rt.Gather[int](rt.ToThread(func() int { return 1 }), rt.ToThread(func() int { return 2 })))
		out.Say("gathered %v", vs)
	})
}

// Cancel: cancelling the awaiting task ends its await at once; the
// function runs to its end anyway and its result is dropped. A thread whose
// task is cancelled before it starts never runs.
//
//coro:async
func Cancel() rt.Coro[rt.Void] {
	return rt.Do(func() {
		started := make(chan struct{})
		release := make(chan struct{})
		finished := make(chan struct{})
		var ran atomic.Bool
		t := rt.Spawn(rt.ToThread(func() string {
			close(started)
			<-release
			ran.Store(true)
			close(finished)
			return "dropped"
		}))
		// Not a sleep: under the virtual clock, time stands still until
		// the function returns, which it does not do yet.
		rt.Await(rt.ToThread(func() bool { <-started; return true }))
		t.Cancel()
		_, err := rt.Try(t)
		out.Say("awaiter: %v at %v; the function is still blocked: %v", err, rt.Now(), !ran.Load())
		close(release)
		rt.Await(rt.ToThread(func() bool { <-finished; return true }))
		out.Say("the function ran to its end: %v", ran.Load())

		var never atomic.Bool
		t = rt.Spawn(rt.ToThread(func() string { never.Store(true); return "" }))
		t.Cancel()
		_, err = rt.Try(t)
		rt.Await(rt.ToThread(func() int { return 0 })) // a round trip through the pool
		out.Say("cancelled before it ran: %v; it ran: %v", err, never.Load())

		inner := rt.Spawn(rt.Do(func() {
			_, err := rt.Try(rt.ToThread(func() int { time.Sleep(10 * time.Millisecond); return 1 }))
			out.Say("inner caught: %v", err)
			rt.Await(rt.ToThread(func() int { return 2 })) // later awaits work
			out.Say("inner goes on")
		}))
		rt.Await(rt.Sleep(0))
		inner.Cancel()
		rt.Await(inner)
	})
}

// Hold: a goroutine that hands its result in with CallSoonThreadsafe keeps
// the loop alive while it works.
//
//coro:async
func Hold() rt.Coro[rt.Void] {
	return rt.Do(func() {
		loop := rt.RunningLoop()
		f := rt.NewFuture[string]()
		release := loop.Hold()
		go func() {
			defer release()
			time.Sleep(20 * time.Millisecond)
			loop.CallSoonThreadsafe(func() { f.SetResult("handed in") })
		}()
		out.Say("future: %s at %v", rt.Await(f), rt.Now())
		release() // once more: no effect
	})
}

// NoHold: without Hold, a loop whose only wake-up is to come from another
// goroutine stops with ErrDeadlock.
//
//coro:async
func NoHold() rt.Coro[string] {
	return rt.Async(func() string {
		loop := rt.RunningLoop()
		g := rt.NewFuture[string]()
		go func() {
			time.Sleep(20 * time.Millisecond)
			loop.CallSoonThreadsafe(func() { g.SetResult("too late") })
		}()
		return rt.Await(g)
	})
}

// Limit: at most n functions run at once on a loop made
// WithThreadLimit(n); the others wait their turn.
//
//coro:async
func Limit() rt.Coro[rt.Void] {
	return rt.Do(func() {
		var running, most atomic.Int32
		job := func() int {
			n := running.Add(1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			running.Add(-1)
			return int(n)
		}
		var jobs []rt.Awaitable[int]
		for range 6 {
			jobs = append(jobs, rt.ToThread(job))
		}
		vs := rt.Await(rt.Gather(jobs...))
		out.Say("%d jobs, never more than 2 at once: %v", len(vs), most.Load() <= 2)
	})
}
