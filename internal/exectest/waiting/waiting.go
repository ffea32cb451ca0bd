//go:build corosrc

// Package waiting exercises the ways of waiting for several things, and for
// a limited time: rt.Wait, rt.AsCompleted, rt.WaitFor, timeout scopes and
// rt.Shield, against asyncio's documented behaviour, under the virtual
// clock.
//
// A corogen bug is worked around here (the functions that would hit it
// unwind with rt.Await instead, which fails the same way): an rt.AsyncErr
// body that returns the results of rt.Try directly,
//
//	//coro:async
//	func F(f *rt.Future[int]) rt.Coro[int] {
//		return rt.AsyncErr(func() (int, error) { return rt.Try(f) })
//	}
//
// makes corogen panic ("ast.Walk: unexpected node type *transform.multi").
package waiting

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

// Job sleeps for d and returns its name, or fails if fail is set. It says
// when it ends, and when a cancellation reaches it.
//
//coro:async
func Job(name string, d time.Duration, fail bool) rt.Coro[string] {
	return rt.AsyncErr(func() (string, error) {
		if _, err := rt.Try(rt.Sleep(d)); err != nil {
			out.Say("%s cancelled at %v", name, rt.Now())
			return "", err
		}
		if fail {
			out.Say("%s fails at %v", name, rt.Now())
			return "", fmt.Errorf("%s failed", name)
		}
		out.Say("%s done at %v", name, rt.Now())
		return name, nil
	})
}

// Slow cleans up for a while after a cancellation (asyncio's
// `except CancelledError: await cleanup(); raise`).
//
//coro:async
func Slow(name string, d, cleanup time.Duration) rt.Coro[string] {
	return rt.AsyncErr(func() (string, error) {
		if _, err := rt.Try(rt.Sleep(d)); err != nil {
			out.Say("%s cancelled at %v, cleaning up", name, rt.Now())
			rt.Await(rt.Sleep(cleanup))
			out.Say("%s unwound at %v", name, rt.Now())
			return "", err
		}
		return name, nil
	})
}

func spawn(name string, d time.Duration, fail bool) *rt.Task[string] {
	t := rt.Spawn(Job(name, d, fail))
	t.SetName(name)
	return t
}

func names(ts []*rt.Task[string]) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Name())
	}
	return "[" + strings.Join(s, " ") + "]"
}

func report(what string, r rt.WaitResult[*rt.Task[string]]) {
	out.Say("%s at %v: done %s pending %s", what, rt.Now(), names(r.Done), names(r.Pending))
}

func kind(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, context.DeadlineExceeded) && errors.Is(err, rt.ErrCancelled):
		return "both?!"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, rt.ErrCancelled):
		return "cancelled"
	}
	return "error: " + err.Error()
}

// WaitFirstCompleted: asyncio.wait(return_when=FIRST_COMPLETED) returns as
// soon as one task is done, the others still pending and still running.
//
//coro:async
func WaitFirstCompleted() rt.Coro[string] {
	return rt.Async(func() string {
		a, b, c := spawn("a", 3*time.Second, false), spawn("b", time.Second, false), spawn("c", 2*time.Second, false)
		r := rt.Await(rt.Wait(rt.FirstCompleted, a, b, c))
		report("first completed", r)
		r = rt.Await(rt.Wait(rt.FirstCompleted, r.Pending...))
		report("first completed", r)
		r = rt.Await(rt.Wait(rt.AllCompleted, a, b, c))
		report("all completed", r)
		r = rt.Await(rt.Wait(rt.FirstCompleted, a, b))
		report("already done, no suspension", r)
		return rt.Await(b)
	})
}

// WaitFirstError: FIRST_EXCEPTION returns at the first failure; a
// cancelled task is not a failure; with no failure it waits for all.
//
//coro:async
func WaitFirstError() rt.Coro[rt.Void] {
	return rt.Do(func() {
		a, b, c := spawn("a", time.Second, false), spawn("b", 2*time.Second, true), spawn("c", 3*time.Second, false)
		r := rt.Await(rt.Wait(rt.FirstError, a, b, c))
		report("first error", r)
		_, err := b.Result()
		out.Say("b: %v", err)

		x, y := spawn("x", time.Hour, false), spawn("y", time.Second, false)
		x.Cancel()
		r = rt.Await(rt.Wait(rt.FirstError, x, y))
		report("cancelled is no error", r)
		r = rt.Await(rt.Wait(rt.FirstError, c))
		report("no error: all", r)
	})
}

// WaitTimeout: the timeout returns what is done so far and cancels nothing.
//
//coro:async
func WaitTimeout() rt.Coro[string] {
	return rt.Async(func() string {
		a, b := spawn("a", time.Second, false), spawn("b", 2*time.Second, false)
		r := rt.Await(rt.WaitTimeout(1500*time.Millisecond, rt.AllCompleted, a, b))
		report("timeout", r)
		r = rt.Await(rt.WaitTimeout(time.Hour, rt.AllCompleted, a, b))
		report("no timeout", r)
		r = rt.Await(rt.WaitTimeout(0, rt.FirstCompleted, spawn("c", time.Second, false)))
		report("zero timeout", r)
		rt.Await(rt.Sleep(5 * time.Second)) // the timer of the first wait is gone
		return rt.Await(b) + " " + rt.Await(r.Pending[0])
	})
}

// WaitCancelled: cancelling the task that waits does not cancel what it
// waits for; futures work too, and a mixed wait uses rt.Waitable.
//
//coro:async
func WaitCancelled() rt.Coro[rt.Void] {
	return rt.Do(func() {
		a := spawn("a", 2*time.Second, false)
		f := rt.NewFuture[int]()
		waiter := rt.Spawn(rt.Async(func() rt.WaitResult[rt.Waitable] {
			return rt.Await(rt.WaitTimeout[rt.Waitable](10*time.Second, rt.AllCompleted, a, f))
		}))
		rt.Await(rt.Sleep(time.Second))
		waiter.Cancel()
		_, err := rt.Try(waiter)
		out.Say("waiter: %s at %v; a done %v, f done %v", kind(err), rt.Now(), a.Done(), f.Done())
		rt.Await(rt.Sleep(20 * time.Second)) // the waiter's timeout is gone with it
		out.Say("a: %s", rt.Await(a))

		g := rt.NewFuture[int]()
		rt.Spawn(rt.Do(func() {
			rt.Await(rt.Sleep(time.Second))
			g.SetResult(42)
		}))
		r := rt.Await(rt.Wait[rt.Waitable](rt.FirstCompleted, f, g))
		out.Say("future first at %v: done %d, pending %d, it is g: %v", rt.Now(), len(r.Done), len(r.Pending), r.Done[0] == rt.Waitable(g))
		f.SetError(errors.New("boom"))
		r = rt.Await(rt.Wait[rt.Waitable](rt.FirstError, f))
		out.Say("failed future: done %d", len(r.Done))
		r = rt.Await(rt.Wait[rt.Waitable](rt.AllCompleted))
		out.Say("nothing to wait for: %d %d", len(r.Done), len(r.Pending))
	})
}

// AsCompleted hands out the tasks in completion order: those already done
// first, in argument order.
//
//coro:async
func AsCompleted() rt.Coro[rt.Void] {
	return rt.Do(func() {
		early := spawn("early", 0, false)
		rt.Await(rt.Sleep(time.Millisecond))
		it := rt.AsCompleted(spawn("c", 3*time.Second, false), spawn("a", time.Second, true), early, spawn("b", 2*time.Second, false))
		for it.More() {
			t := rt.Await(it.Next())
			v, err := t.Result()
			out.Say("next at %v: %s %q %v (%d left)", rt.Now(), t.Name(), v, err, it.Len())
		}
		_, err := rt.Try(it.Next())
		out.Say("after the last: %v", err)
	})
}

// AsCompletedCancel: a consumer cancelled while it waits for the next
// completion takes nothing; nothing is lost, even when the completion and
// the cancellation arrive in the same turn.
//
//coro:async
func AsCompletedCancel() rt.Coro[rt.Void] {
	return rt.Do(func() {
		it := rt.AsCompleted(spawn("a", time.Second, false), spawn("b", 2*time.Second, false), spawn("c", 3*time.Second, false))
		consumer := rt.Spawn(rt.Do(func() {
			for it.More() {
				t := rt.Await(it.Next())
				out.Say("consumer got %s at %v", t.Name(), rt.Now())
			}
		}))
		rt.Await(rt.Sleep(1500 * time.Millisecond))
		consumer.Cancel()
		_, err := rt.Try(consumer)
		out.Say("consumer: %s at %v", kind(err), rt.Now())

		consumer = rt.Spawn(rt.Do(func() {
			t := rt.Await(it.Next())
			out.Say("second consumer got %s at %v", t.Name(), rt.Now())
		}))
		rt.Await(rt.Sleep(2*time.Second - rt.Now())) // b completes at 2s, in this same turn
		consumer.Cancel()
		_, err = rt.Try(consumer)
		out.Say("second consumer: %s at %v", kind(err), rt.Now())
		for it.More() {
			t := rt.Await(it.Next())
			out.Say("main got %s at %v", t.Name(), rt.Now())
		}
	})
}

// WaitFor: asyncio.wait_for cancels the awaited thing at the timeout,
// waits for it to unwind, then fails with a timeout; an outside
// cancellation stays a cancellation.
//
//coro:async
func WaitFor() rt.Coro[rt.Void] {
	return rt.Do(func() {
		v, err := rt.Try(rt.WaitFor(Job("quick", time.Second, false), 2*time.Second))
		out.Say("quick: %q %s at %v", v, kind(err), rt.Now())
		rt.Await(rt.Sleep(5 * time.Second)) // its timer is gone: no stray cancellation

		start := rt.Now()
		v, err = rt.Try(rt.WaitFor(Job("slow", 3*time.Second, false), 2*time.Second))
		out.Say("slow: %q %s after %v", v, kind(err), rt.Now()-start)
		out.Say("it is %v", err)

		start = rt.Now()
		t := rt.Spawn(Slow("unwinding", time.Hour, 500*time.Millisecond))
		_, err = rt.Try(rt.WaitFor(t, time.Second))
		out.Say("task: %s after %v, task cancelled %v", kind(err), rt.Now()-start, t.Cancelled())

		start = rt.Now()
		_, err = rt.Try(rt.WaitFor(rt.Do(func() {
			rt.Await(rt.Sleep(time.Second))
			out.Say("block: first step at %v", rt.Now()-start)
			rt.Await(rt.Sleep(time.Second))
			out.Say("block: never here")
		}), 1500*time.Millisecond))
		out.Say("block: %s after %v", kind(err), rt.Now()-start)

		f := rt.NewFuture[int]()
		_, err = rt.Try(rt.WaitFor(f, time.Second))
		out.Say("future: %s, future cancelled %v", kind(err), f.Cancelled())

		n, err := rt.Try(rt.WaitFor(rt.Async(func() int { return 7 }), 0))
		out.Say("zero timeout, no suspension: %d %s", n, kind(err))
		_, err = rt.Try(rt.WaitFor(Job("zero", time.Second, false), 0))
		out.Say("zero timeout: %s", kind(err))

		failing := rt.Spawn(rt.AsyncErr(func() (int, error) {
			return rt.Await(rt.WaitFor(rt.AsyncErr(func() (int, error) { return 0, errors.New("own error") }), time.Second)), nil
		}))
		_, err = rt.Try(failing)
		out.Say("own error passes: %s", kind(err))
	})
}

// WaitForOutside: a cancellation from outside is passed on, also when it
// comes in the same turn as the timeout.
//
//coro:async
func WaitForOutside() rt.Coro[rt.Void] {
	return rt.Do(func() {
		waiter := rt.Spawn(rt.AsyncErr(func() (string, error) {
			return rt.Await(rt.WaitFor(Job("outside", 10*time.Second, false), 5*time.Second)), nil // not rt.Try: see the package doc
		}))
		rt.Await(rt.Sleep(time.Second))
		waiter.Cancel()
		_, err := rt.Try(waiter)
		out.Say("cancelled from outside at %v: %s", rt.Now(), kind(err))

		start := rt.Now()
		waiter = rt.Spawn(rt.AsyncErr(func() (string, error) {
			return rt.Await(rt.WaitFor(Job("both", 10*time.Second, false), 2*time.Second)), nil // not rt.Try: see the package doc
		}))
		rt.Await(rt.Sleep(2 * time.Second)) // the timeout fires in this same turn
		waiter.Cancel()
		_, err = rt.Try(waiter)
		out.Say("timeout and outside cancellation after %v: %s", rt.Now()-start, kind(err))

		caught := rt.Spawn(rt.AsyncErr(func() (string, error) {
			_, err := rt.Try(rt.WaitFor(Job("caught", 10*time.Second, false), time.Second))
			out.Say("inner: %s at %v", kind(err), rt.Now())
			rt.Await(rt.Sleep(time.Second)) // a timeout leaves no cancellation behind
			return "went on", nil
		}))
		out.Say("caught: %s", rt.Await(caught))
	})
}

// Scopes: rt.Timeout / TimeoutAt, asyncio.timeout / timeout_at.
//
//coro:async
func Scopes() rt.Coro[rt.Void] {
	return rt.Do(func() {
		scope := rt.Await(rt.Timeout(2 * time.Second))
		_, err := rt.Try(Job("scoped", 3*time.Second, false))
		err = scope.End(err)
		out.Say("scope: %s at %v, expired %v", kind(err), rt.Now(), scope.Expired())
		out.Say("again: %s", kind(scope.End(err)))

		scope = rt.Await(rt.TimeoutAt(rt.Now() + 2*time.Second))
		_, err = rt.Try(Job("in time", time.Second, false))
		err = scope.End(err)
		out.Say("in time: %s, expired %v, deadline %v", kind(err), scope.Expired(), scope.When())
		rt.Await(rt.Sleep(3 * time.Second)) // disarmed: no cancellation
		out.Say("after the deadline at %v", rt.Now())

		scope = rt.Await(rt.Timeout(time.Second))
		scope.Reschedule(rt.Now() + 3*time.Second)
		_, err = rt.Try(Job("rescheduled", 2*time.Second, false))
		out.Say("rescheduled: %s", kind(scope.End(err)))

		outer := rt.Await(rt.Timeout(5 * time.Second))
		inner := rt.Await(rt.Timeout(time.Second))
		_, err = rt.Try(Job("inner expires", 2*time.Second, false))
		err = inner.End(err)
		out.Say("inner: %s at %v", kind(err), rt.Now())
		err = outer.End(err)
		out.Say("outer passes it on: %s, expired %v", kind(err), outer.Expired())

		outer = rt.Await(rt.Timeout(time.Second))
		inner = rt.Await(rt.Timeout(5 * time.Second))
		_, err = rt.Try(Job("outer expires", 2*time.Second, false))
		err = inner.End(err)
		out.Say("inner passes it on: %s at %v", kind(err), rt.Now())
		err = outer.End(err)
		out.Say("outer: %s", kind(err))

		both := rt.Await(rt.Timeout(time.Second))
		inner = rt.Await(rt.Timeout(time.Second))
		_, err = rt.Try(Job("both expire", 2*time.Second, false))
		err = inner.End(err)
		out.Say("both, inner: %s (inner expired %v)", kind(err), inner.Expired())
		out.Say("both, outer: %s (outer expired %v)", kind(both.End(err)), both.Expired())

		stubborn := rt.Await(rt.Timeout(time.Second))
		_, err = rt.Try(Slow("swallowed", 2*time.Second, 0))
		out.Say("swallowed: %s", kind(stubborn.End(nil)))
		rt.Await(rt.Sleep(time.Second))
		out.Say("no cancellation left at %v", rt.Now())
	})
}

// ScopeOutside: the task is cancelled from outside while a scope is open.
//
//coro:async
func ScopeOutside() rt.Coro[rt.Void] {
	return rt.Do(func() {
		t := rt.Spawn(rt.DoErr(func() error {
			scope := rt.Await(rt.Timeout(5 * time.Second))
			_, err := rt.Try(Job("scope outside", 10*time.Second, false))
			return scope.End(err)
		}))
		rt.Await(rt.Sleep(time.Second))
		t.Cancel()
		_, err := rt.Try(t)
		out.Say("outside: %s at %v", kind(err), rt.Now())

		t = rt.Spawn(rt.DoErr(func() error {
			scope := rt.Await(rt.Timeout(2 * time.Second))
			_, err := rt.Try(Job("scope both", 10*time.Second, false))
			return scope.End(err)
		}))
		rt.Await(rt.Sleep(2 * time.Second))
		t.Cancel()
		_, err = rt.Try(t)
		out.Say("outside and timeout: %s at %v", kind(err), rt.Now())

		// A cancellation requested before the scope opened is not the scope's.
		t = rt.Spawn(rt.DoErr(func() error {
			rt.CurrentTask().Cancel()
			scope := rt.Await(rt.Timeout(0))
			_, err := rt.Try(Job("pending before", time.Second, false))
			return scope.End(err)
		}))
		_, err = rt.Try(t)
		out.Say("pending before the scope: %s", kind(err))
	})
}

// Shield: cancelling the awaiter does not cancel the shielded task.
//
//coro:async
func Shield() rt.Coro[rt.Void] {
	return rt.Do(func() {
		inner := spawn("shielded", 3*time.Second, false)
		waiter := rt.Spawn(rt.AsyncErr(func() (string, error) {
			return rt.Await(rt.Shield(inner)), nil // not rt.Try: see the package doc
		}))
		rt.Await(rt.Sleep(time.Second))
		waiter.Cancel()
		_, err := rt.Try(waiter)
		out.Say("waiter: %s at %v; inner done %v", kind(err), rt.Now(), inner.Done())
		out.Say("inner: %s at %v", rt.Await(inner), rt.Now())

		v, err := rt.Try(rt.Shield(Job("coroutine", time.Second, false)))
		out.Say("shielded coroutine: %q %s at %v", v, kind(err), rt.Now())

		inner = spawn("cancelled inside", time.Hour, false)
		waiter = rt.Spawn(rt.AsyncErr(func() (string, error) {
			return rt.Await(rt.Shield(inner)), nil // not rt.Try: see the package doc
		}))
		rt.Await(rt.Sleep(time.Second))
		inner.Cancel()
		_, err = rt.Try(waiter)
		out.Say("inner cancelled: waiter %s", kind(err))

		slow := spawn("under a timeout", 2*time.Second, false)
		_, err = rt.Try(rt.WaitFor(rt.Shield(slow), time.Second))
		out.Say("wait_for(shield(t)): %s at %v, task cancelled %v", kind(err), rt.Now(), slow.Cancelled())
		out.Say("task goes on: %s at %v", rt.Await(slow), rt.Now())
	})
}
