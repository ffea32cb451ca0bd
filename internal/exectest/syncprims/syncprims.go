//go:build corosrc

// Package syncprims exercises the synchronisation primitives of rt (Lock,
// Event, Condition, Semaphore, BoundedSemaphore, Barrier) as asyncio
// defines them: the order of wake-ups, fairness (no barging), cancellation
// while waiting and after being woken (nothing leaks), and misuse.
package syncprims

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

// errName names the errors the primitives fail with.
func errName(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, rt.ErrCancelled):
		return "cancelled"
	case errors.Is(err, rt.ErrBrokenBarrier):
		return "broken barrier"
	case errors.Is(err, rt.ErrTimeout):
		return "timeout"
	}
	return err.Error()
}

// all gathers tasks.
func all(ts []*rt.Task[rt.Void]) rt.Coro[[]rt.Void] {
	aws := make([]rt.Awaitable[rt.Void], len(ts))
	for i, t := range ts {
		aws[i] = t
	}
	return rt.Gather(aws...)
}

// catch runs f and returns what it panicked with.
func catch(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

// LockWorker takes the lock, holds it for hold, and releases it.
//
//coro:async
func LockWorker(name string, l *rt.Lock, hold time.Duration) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		out.Say("%s waits at %v", name, rt.Now())
		if _, err := rt.Try(l.Acquire()); err != nil {
			out.Say("%s: %s at %v", name, errName(err), rt.Now())
			return err
		}
		out.Say("%s has the lock at %v", name, rt.Now())
		defer l.Release()
		rt.Await(rt.Sleep(hold))
		return nil
	})
}

// LockOrder: waiters get the lock first come first served, and a task that
// asks while a released lock is on its way to the first waiter waits
// behind it (asyncio's fair Lock).
//
//coro:async
func LockOrder() rt.Coro[rt.Void] {
	return rt.Do(func() {
		var l rt.Lock
		rt.Await(l.Acquire())
		out.Say("main has the lock: %v", &l)
		ws := []*rt.Task[rt.Void]{}
		for i := 1; i <= 3; i++ {
			ws = append(ws, rt.Spawn(LockWorker(fmt.Sprintf("w%d", i), &l, time.Second)))
		}
		rt.Await(rt.Sleep(0))
		out.Say("%v", &l)
		l.Release()
		out.Say("released: locked %v; %v", l.Locked(), &l)
		// w1 has been woken and has not run: main must not take the lock.
		rt.Await(l.Acquire())
		out.Say("main has the lock again at %v", rt.Now())
		l.Release()
		rt.Await(all(ws))
		out.Say("end: %v", &l)
	})
}

// LockCancel: a waiter cancelled while waiting leaves the line; a waiter
// cancelled after it was woken and before it ran passes the lock on; the
// lock is free at the end.
//
//coro:async
func LockCancel() rt.Coro[rt.Void] {
	return rt.Do(func() {
		l := new(rt.Lock)
		rt.Await(l.Acquire())
		a := rt.Spawn(LockWorker("a", l, time.Second))
		b := rt.Spawn(LockWorker("b", l, time.Second))
		c := rt.Spawn(LockWorker("c", l, time.Second))
		d := rt.Spawn(LockWorker("d", l, time.Second))
		rt.Await(rt.Sleep(time.Second))
		b.Cancel() // waiting: leaves the line
		rt.Await(rt.Sleep(0))
		out.Say("after cancelling b: %v", l)
		l.Release() // to a
		a.Cancel()  // woken, not yet run: passes the lock to c
		out.Say("released and cancelled a: %v", l)
		_, err := rt.Try(a)
		out.Say("a: %s", errName(err))
		rt.Await(rt.Gather(c, d))
		out.Say("a %v, b %v, c %v, d %v", a, b, c, d)
		out.Say("end: %v", l)

		rt.Await(l.Acquire())
		rt.Await(rt.Spawn(rt.Do(func() {
			rt.CurrentTask().Cancel()
			_, err := rt.Try(l.Acquire()) // held: it suspends, and the pending cancellation ends the wait at once
			out.Say("cancelled before waiting: %s; %v", errName(err), l)
		})))
		l.Release()
		rt.Await(rt.Spawn(rt.Do(func() {
			rt.CurrentTask().Cancel()
			rt.Await(l.Acquire()) // free: taken without suspending
			out.Say("cancelled, the lock free: taken %v", l.Locked())
			l.Release()
			_, err := rt.Try(rt.Sleep(time.Second))
			out.Say("at the next suspension: %s", errName(err))
		})))
		r := catch(l.Release)
		out.Say("release unlocked: %v", r)
	})
}

// EventWaiter waits for e.
//
//coro:async
func EventWaiter(name string, e *rt.Event) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		out.Say("%s waits at %v", name, rt.Now())
		_, err := rt.Try(e.Wait())
		out.Say("%s: %s at %v (set %v)", name, errName(err), rt.Now(), e.IsSet())
		return err
	})
}

// EventMain: Set wakes every waiter in order, even if the event is cleared
// before they run; a set event does not block; a cancelled waiter fails
// alone.
//
//coro:async
func EventMain() rt.Coro[rt.Void] {
	return rt.Do(func() {
		var e rt.Event
		ts := []*rt.Task[rt.Void]{}
		for _, n := range []string{"w1", "w2", "w3", "w4"} {
			ts = append(ts, rt.Spawn(EventWaiter(n, &e)))
		}
		rt.Await(rt.Sleep(time.Second))
		ts[2].Cancel()
		rt.Await(rt.Sleep(0))
		out.Say("%v", &e)
		e.Set()
		e.Clear()
		out.Say("set and cleared: %v", &e)
		rt.Await(ts[0])
		rt.Await(ts[1])
		rt.Try(ts[2])
		rt.Await(ts[3])
		e.Set()
		rt.Await(e.Wait())
		out.Say("wait on a set event at %v: %v", rt.Now(), &e)
		e.Set() // no effect
		e.Clear()
		late := rt.Spawn(EventWaiter("late", &e))
		rt.Await(rt.Sleep(time.Second))
		e.Set()
		rt.Await(late)
	})
}

// CondConsumer waits on c until *items is positive and takes one.
//
//coro:async
func CondConsumer(name string, c *rt.Condition, items *int) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		rt.Await(c.Acquire())
		defer c.Release()
		out.Say("%s waits at %v", name, rt.Now())
		if _, err := rt.Try(c.WaitFor(func() bool { return *items > 0 })); err != nil {
			out.Say("%s: %s at %v, lock held %v", name, errName(err), rt.Now(), c.Locked())
			return err
		}
		*items--
		out.Say("%s takes an item at %v, %d left", name, rt.Now(), *items)
		return nil
	})
}

// CondWaiter waits on c once.
//
//coro:async
func CondWaiter(name string, c *rt.Condition) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		rt.Await(c.Acquire())
		defer c.Release()
		out.Say("%s waits at %v", name, rt.Now())
		_, err := rt.Try(c.Wait())
		out.Say("%s: %s at %v, lock held %v", name, errName(err), rt.Now(), c.Locked())
		return err
	})
}

// CondMain: Notify(n) wakes the first n waiters, NotifyAll the rest, in
// order, each returning with the lock held; WaitFor re-checks its
// predicate; waiting without the lock panics.
//
//coro:async
func CondMain() rt.Coro[rt.Void] {
	return rt.Do(func() {
		c := rt.NewCondition(nil)
		items := 0
		ts := []*rt.Task[rt.Void]{}
		for _, n := range []string{"c1", "c2", "c3", "c4"} {
			ts = append(ts, rt.Spawn(CondConsumer(n, c, &items)))
		}
		rt.Await(rt.Sleep(time.Second))
		out.Say("%v", c)

		rt.Await(c.Acquire())
		items = 1
		c.Notify(2) // c1 takes the item, c2 finds none and waits again
		c.Release()
		rt.Await(rt.Sleep(time.Second))
		out.Say("%v", c)

		rt.Await(c.Acquire())
		items = 3
		c.NotifyAll()
		out.Say("notified all: %v", c)
		c.Release()
		rt.Await(all(ts))
		out.Say("items %d; %v", items, c)

		r := catch(func() { c.Notify(1) })
		out.Say("notify without the lock: %v", r)
		rt.Await(rt.Spawn(rt.Do(func() {
			defer func() { out.Say("wait without the lock: %v", recover()) }()
			rt.Await(c.Wait())
		})))
	})
}

// CondCancel: a waiter cancelled after it was notified re-acquires the lock
// before it fails, and notifies the next waiter in its place; a waiter
// cancelled while waiting for the lock again keeps trying and fails with
// the lock held.
//
//coro:async
func CondCancel() rt.Coro[rt.Void] {
	return rt.Do(func() {
		l := new(rt.Lock)
		c := rt.NewCondition(l)
		a := rt.Spawn(CondWaiter("a", c))
		b := rt.Spawn(CondWaiter("b", c))
		rt.Await(rt.Sleep(time.Second))

		rt.Await(c.Acquire())
		c.Notify(1) // a
		a.Cancel()  // after the notification: a notifies b in its place
		c.Release()
		rt.Try(a)
		rt.Await(b)

		d := rt.Spawn(CondWaiter("d", c))
		e := rt.Spawn(CondWaiter("e", c))
		rt.Await(rt.Sleep(time.Second))
		rt.Await(l.Acquire()) // main holds the lock: d will wait for it
		c.Notify(1)           // d
		rt.Await(rt.Sleep(time.Second))
		out.Say("d notified, waits for the lock: %v", l)
		d.Cancel() // while it waits for the lock
		rt.Await(rt.Sleep(time.Second))
		out.Say("d cancelled, still waits for the lock: %v", d)
		l.Release()
		rt.Try(d)
		rt.Await(e)

		f := rt.Spawn(CondConsumer("f", c, new(int)))
		rt.Await(rt.Sleep(time.Second))
		f.Cancel()
		rt.Try(f)
		out.Say("end: %v; %v", c, l)
	})
}

// SemWorker holds a permit of s for hold.
//
//coro:async
func SemWorker(name string, s *rt.Semaphore, hold time.Duration) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		if _, err := rt.Try(s.Acquire()); err != nil {
			out.Say("%s: %s at %v", name, errName(err), rt.Now())
			return err
		}
		out.Say("%s has a permit at %v", name, rt.Now())
		defer s.Release()
		rt.Await(rt.Sleep(hold))
		return nil
	})
}

// SemMain: permits go to waiters in order; a task that arrives while a
// permit is on its way to a woken waiter waits its turn (Locked is true);
// a cancelled waiter leaks no permit; a bounded semaphore panics when
// released too often.
//
//coro:async
func SemMain() rt.Coro[rt.Void] {
	return rt.Do(func() {
		s := rt.NewSemaphore(2)
		ts := []*rt.Task[rt.Void]{}
		for i := 1; i <= 5; i++ {
			ts = append(ts, rt.Spawn(SemWorker(fmt.Sprintf("w%d", i), s, time.Second)))
		}
		rt.Await(all(ts))
		out.Say("end of round 1 at %v: %v", rt.Now(), s)

		rt.Await(s.Acquire())
		rt.Await(s.Acquire())
		a := rt.Spawn(SemWorker("a", s, time.Second))
		b := rt.Spawn(SemWorker("b", s, time.Second))
		c := rt.Spawn(SemWorker("c", s, time.Second))
		rt.Await(rt.Sleep(0))
		out.Say("%v", s)
		s.Release() // to a
		s.Release() // to b
		out.Say("released two: %v", s)
		a.Cancel() // woken, not yet run: its permit goes to c
		rt.Try(a)
		rt.Await(rt.Gather(b, c))
		out.Say("end of round 2 at %v: %v", rt.Now(), s)

		s = rt.NewSemaphore(1)
		rt.Await(s.Acquire())
		d := rt.Spawn(SemWorker("d", s, time.Second))
		rt.Await(rt.Sleep(0))
		s.Release() // to d, in transit
		s.Release() // one more than main acquired (a Semaphore allows it): a free permit, but d is in line, so Locked
		out.Say("two releases with d woken: locked %v", s.Locked())
		e := rt.Spawn(SemWorker("e", s, time.Second))
		rt.Await(rt.Gather(d, e))
		out.Say("end of round 3 at %v: %v", rt.Now(), s)

		bs := rt.NewBoundedSemaphore(1)
		rt.Await(bs.Acquire())
		bs.Release()
		out.Say("%v", bs)
		out.Say("released too often: %v", catch(bs.Release))
	})
}

// BarrierParty arrives at the barrier after delay.
//
//coro:async
func BarrierParty(name string, b *rt.Barrier, delay time.Duration) rt.Coro[int] {
	return rt.AsyncErr(func() (int, error) {
		if delay > 0 {
			rt.Await(rt.Sleep(delay))
		}
		out.Say("%s arrives at %v: %v", name, rt.Now(), b)
		i, err := rt.Try(b.Wait())
		out.Say("%s passes at %v: index %d, %s", name, rt.Now(), i, errName(err))
		return i, err
	})
}

// AbortingParty waits at the barrier and, if it is cancelled, breaks the
// barrier so that the others do not wait forever (what asyncio's
// documentation advises: a cancellation alone does not break it).
//
//coro:async
func AbortingParty(name string, b *rt.Barrier) rt.Coro[int] {
	return rt.AsyncErr(func() (int, error) {
		i, err := rt.Try(b.Wait())
		if errors.Is(err, rt.ErrCancelled) {
			b.Abort()
		}
		out.Say("%s passes at %v: index %d, %s", name, rt.Now(), i, errName(err))
		return i, err
	})
}

// BarrierMain: the last party passes at once and the others on the next
// turn, in order; the barrier is reusable; a party cancelled while waiting
// leaves it without breaking it; Abort breaks it until Reset; Reset fails
// the waiting parties.
//
//coro:async
func BarrierMain() rt.Coro[rt.Void] {
	return rt.Do(func() {
		b := rt.NewBarrier(3)
		out.Say("%v", b)
		for round := 1; round <= 2; round++ {
			rt.Await(rt.Gather(
				BarrierParty("a", b, 0), BarrierParty("b", b, time.Second), BarrierParty("c", b, 2*time.Second)))
			out.Say("round %d done: %v", round, b)
		}

		x := rt.Spawn(BarrierParty("x", b, 0))
		y := rt.Spawn(BarrierParty("y", b, 0))
		rt.Await(rt.Sleep(time.Second))
		x.Cancel()
		rt.Try(x)
		out.Say("x cancelled: %v, broken %v", b, b.Broken())
		// As in asyncio, the index is the number of parties in the barrier
		// on arrival: z gets y's index again.
		z := rt.Spawn(BarrierParty("z", b, 0))
		w := rt.Spawn(BarrierParty("w", b, time.Second))
		rt.Await(rt.Gather(y, z, w))
		out.Say("after x: %v", b)

		p := rt.Spawn(BarrierParty("p", b, 0))
		rt.Await(rt.Sleep(time.Second))
		b.Abort()
		rt.Try(p)
		out.Say("aborted: %v, broken %v", b, b.Broken())
		_, err := rt.Try(b.Wait())
		out.Say("wait on a broken barrier: %s", errName(err))
		b.Reset()
		out.Say("reset: %v", b)

		q := rt.Spawn(BarrierParty("q", b, 0))
		r := rt.Spawn(BarrierParty("r", b, 0))
		rt.Await(rt.Sleep(time.Second))
		s := rt.Spawn(BarrierParty("s", b, 0)) // runs before q and r: arrives while resetting, waits for them to leave
		b.Reset()                              // q and r fail
		out.Say("reset with two waiting: %v", b)
		rt.Try(q)
		rt.Try(r)
		out.Say("q and r left: %v", b)
		rt.Await(rt.Gather(rt.Spawn(BarrierParty("t", b, 0)), rt.Spawn(BarrierParty("u", b, 0)), s))
		out.Say("end: %v", b)

		b = rt.NewBarrier(3)
		m := rt.Spawn(AbortingParty("m", b))
		n := rt.Spawn(AbortingParty("n", b))
		rt.Await(rt.Sleep(time.Second))
		m.Cancel()
		rt.Try(m)
		rt.Try(n)
		out.Say("m cancelled and aborted: %v", b)

		one := rt.NewBarrier(1)
		out.Say("a barrier of one: %d", rt.Await(one.Wait()))
	})
}

// Timeouts: rt.WaitFor (asyncio.wait_for) on the primitives' awaitables
// cancels the wait at the deadline and fails with ErrTimeout; the
// primitive is left as if the task had never waited, except that a
// condition's lock is held again.
//
//coro:async
func Timeouts() rt.Coro[rt.Void] {
	return rt.Do(func() {
		var l rt.Lock
		rt.Await(l.Acquire())
		_, err := rt.Try(rt.WaitFor(l.Acquire(), time.Second))
		out.Say("acquire: %s at %v; %v", errName(err), rt.Now(), &l)

		s := rt.NewSemaphore(0)
		_, err = rt.Try(rt.WaitFor(s.Acquire(), time.Second))
		out.Say("semaphore: %s at %v; %v", errName(err), rt.Now(), s)

		var e rt.Event
		_, err = rt.Try(rt.WaitFor(e.Wait(), time.Second))
		out.Say("event: %s at %v; %v", errName(err), rt.Now(), &e)

		c := rt.NewCondition(&l) // main holds l
		_, err = rt.Try(rt.WaitFor(c.WaitFor(func() bool { return false }), time.Second))
		out.Say("condition: %s at %v; lock held %v; %v", errName(err), rt.Now(), l.Locked(), c)

		b := rt.NewBarrier(2)
		_, err = rt.Try(rt.WaitFor(b.Wait(), time.Second))
		out.Say("barrier: %s at %v; %v", errName(err), rt.Now(), b)
	})
}

// SemStress: tasks take permits of a bounded semaphore and then wait on a
// condition that a ticker notifies, at random, while others cancel them; at
// no time do more tasks hold permits than there are, and at the end every
// permit is back, the condition's lock is free and nobody waits.
//
//coro:async
func SemStress() rt.Coro[rt.Void] {
	return rt.Do(func() {
		rng := rand.New(rand.NewPCG(3, 4))
		s := rt.NewBoundedSemaphore(3)
		c := rt.NewCondition(nil)
		holders, most, done, cancelled, served := 0, 0, 0, 0, 0
		var tasks []*rt.Task[rt.Void]
		for range 100 {
			d := time.Duration(rng.IntN(10)) * time.Millisecond
			hold := time.Duration(rng.IntN(3)) * time.Millisecond
			wait := 1 + rng.IntN(2)
			tasks = append(tasks, rt.Spawn(rt.Do(func() {
				rt.Await(rt.Sleep(d))
				rt.Await(s.Acquire())
				defer s.Release()
				holders++
				most = max(most, holders)
				defer func() { holders-- }()
				rt.Await(rt.Sleep(hold))
				rt.Await(c.Acquire())
				defer c.Release()
				ticket := served + wait
				rt.Await(c.WaitFor(func() bool { return served >= ticket }))
				done++
			})))
		}
		ticker := rt.Spawn(rt.Do(func() {
			for {
				rt.Await(rt.Sleep(time.Millisecond / 4))
				rt.Await(c.Acquire())
				served++
				c.NotifyAll()
				c.Release()
			}
		}))
		for range 40 {
			rt.Await(rt.Sleep(time.Duration(rng.IntN(2)) * time.Millisecond / 2))
			if tasks[rng.IntN(len(tasks))].Cancel() {
				cancelled++
			}
		}
		for _, t := range tasks {
			rt.Try(t)
		}
		ticker.Cancel()
		rt.Try(ticker)
		out.Say("%d done, %d cancelled, at most %d holders; %v; %v", done, cancelled, most, s, c)
	})
}
