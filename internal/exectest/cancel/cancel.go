//go:build corosrc

// Package cancel exercises cancellation: delivered once at the suspended
// await, propagated into awaited tasks, gathers and futures, caught with
// rt.Try, and a task cancelled before it ran.
package cancel

import (
	"errors"
	"time"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

// LongRunning is the seed's §6 long_running_task.
//
//coro:async
func LongRunning() rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		for {
			out.Say("🔄 Task is running...")
			if _, err := rt.Try(rt.Sleep(time.Second)); err != nil {
				out.Say("🛑 Task was cancelled")
				return err
			}
		}
	})
}

// Stubborn catches its cancellation once and keeps working: later awaits
// work normally.
//
//coro:async
func Stubborn() rt.Coro[int] {
	return rt.Async(func() int {
		n := 0
		for i := 0; i < 3; i++ {
			if _, err := rt.Try(rt.Sleep(time.Second)); err != nil {
				out.Say("stubborn caught %v at %v", errors.Is(err, rt.ErrCancelled), rt.Now())
				continue
			}
			n++
		}
		return n
	})
}

//coro:async
func Sleeper(d time.Duration) rt.Coro[time.Duration] {
	return rt.Async(func() time.Duration {
		defer func() { out.Say("sleeper %v unwound at %v", d, rt.Now()) }()
		rt.Await(rt.Sleep(d))
		return d
	})
}

// Outer awaits an inner task: cancelling the outer cancels the inner first.
//
//coro:async
func Outer(inner *rt.Task[time.Duration]) rt.Coro[time.Duration] {
	return rt.Async(func() time.Duration {
		return rt.Await(inner)
	})
}

//coro:async
func Main() rt.Coro[rt.Void] {
	return rt.Do(func() {
		task := rt.Spawn(LongRunning())
		rt.Await(rt.Sleep(3 * time.Second))
		task.Cancel()
		if _, err := rt.Try(task); errors.Is(err, rt.ErrCancelled) {
			out.Say("🔄 Caught task cancellation")
		}

		st := rt.Spawn(Stubborn())
		rt.Await(rt.Sleep(1500 * time.Millisecond))
		st.Cancel()
		out.Say("stubborn result %d", rt.Await(st))

		inner := rt.Spawn(Sleeper(time.Hour))
		outer := rt.Spawn(Outer(inner))
		rt.Await(rt.Sleep(time.Second))
		outer.Cancel()
		_, err := rt.Try(outer)
		out.Say("outer: %v; inner cancelled: %v", err, inner.Cancelled())

		g := rt.Spawn(rt.Async(func() []time.Duration {
			return rt.Await(rt.Gather[time.Duration](Sleeper(time.Minute), Sleeper(2*time.Minute)))
		}))
		rt.Await(rt.Sleep(time.Second))
		g.Cancel()
		_, err = rt.Try(g)
		out.Say("gather: %v", err)

		never := rt.Spawn(Sleeper(time.Second))
		never.Cancel()
		_, err = rt.Try(never)
		out.Say("cancelled before it ran: %v", err)

		f := rt.NewFuture[int]()
		waiter := rt.Spawn(rt.Async(func() int { return rt.Await(f) }))
		rt.Await(rt.Sleep(0))
		waiter.Cancel()
		_, err = rt.Try(waiter)
		out.Say("future waiter: %v; future cancelled: %v", err, f.Cancelled())
	})
}
