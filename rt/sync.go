package rt

import "strconv"

// Lock is a mutual exclusion lock for tasks (asyncio.Lock). The zero value
// is an unlocked lock. A Lock is not owned by the task that acquired it:
// any task may release it. Like everything on a loop it must be used from
// the loop's goroutine only.
//
//	rt.Await(mu.Acquire())
//	defer mu.Release()
//
// Acquiring is fair, as in asyncio: tasks blocked in Acquire get the lock
// in the order they started waiting. Release hands it to the first waiter,
// and until that task runs nobody else can take it, even though Locked
// reports false meanwhile (as in asyncio). A waiter cancelled before it
// runs passes the lock on to the next one.
type Lock struct {
	locked  bool
	transit bool // a woken waiter is about to take the lock
	waiters waitList
}

// Locked reports whether the lock is held (asyncio's Lock.locked).
func (l *Lock) Locked() bool { return l.locked }

// Acquire returns an awaitable that waits until the lock is free and takes
// it (asyncio's Lock.acquire). If the task is cancelled while waiting, the
// await fails with ErrCancelled and the lock is not taken.
func (l *Lock) Acquire() LockAcquire { return LockAcquire{l} }

// Release unlocks the lock and lets the first waiting task take it
// (asyncio's Lock.release). Releasing an unlocked lock panics, where asyncio
// raises RuntimeError.
func (l *Lock) Release() {
	if !l.locked {
		panic("rt: Lock.Release of an unlocked lock")
	}
	l.locked = false
	l.wakeFirst()
}

// wakeFirst lets the first waiter take the unlocked lock, unless one
// already is about to.
func (l *Lock) wakeFirst() {
	if !l.transit && l.waiters.wakeFirst(wGranted) {
		l.transit = true
	}
}

// String returns "lock locked" or "lock unlocked", with the number of
// waiters if there are any.
func (l *Lock) String() string {
	s := "lock unlocked"
	if l.locked {
		s = "lock locked"
	}
	return s + waitersSuffix(l.waiters.len())
}

// tryAcquire takes the lock if it is free and nobody is in line for it.
func (l *Lock) tryAcquire() bool {
	if l.locked || l.transit || !l.waiters.empty() {
		return false
	}
	l.locked = true
	return true
}

// acquireResumed finishes an acquisition whose wait ended (w, released
// here). It reports whether the lock was taken: not if the task is being
// cancelled, in which case the lock goes to the next waiter.
func (l *Lock) acquireResumed(cx *Ctx, w *waiter) bool {
	if w.state == wGranted {
		l.transit = false
	}
	l.waiters.release(w)
	if cancelling(cx) {
		if !l.locked {
			l.wakeFirst()
		}
		return false
	}
	l.locked = true
	return true
}

// LockAcquire is the awaitable Lock.Acquire returns.
type LockAcquire struct{ l *Lock }

// Poll takes the lock or waits for it (the await protocol).
func (a LockAcquire) Poll(cx *Ctx) bool {
	if !cx.resumed() {
		if a.l.tryAcquire() {
			return true
		}
		a.l.waiters.wait(cx, "acquire", a.l)
		return false
	}
	w := resumeWaiter(cx)
	if w == nil {
		return false
	}
	a.l.acquireResumed(cx, w)
	return true
}

// Outcome reports ErrCancelled if the task was cancelled while waiting.
func (a LockAcquire) Outcome(cx *Ctx) (Void, error) {
	if cx.delivered() {
		return Void{}, ErrCancelled
	}
	return Void{}, nil
}

// Event is a flag that tasks can wait for (asyncio.Event). The zero value
// is a cleared event.
type Event struct {
	set     bool
	waiters waitList
}

// IsSet reports whether the flag is set (asyncio's Event.is_set).
func (e *Event) IsSet() bool { return e.set }

// Set sets the flag and wakes every waiting task, in the order they
// started waiting (asyncio's Event.set). They return from Wait even if the
// flag is cleared again before they run.
func (e *Event) Set() {
	if !e.set {
		e.set = true
		e.waiters.wakeAll(wGranted)
	}
}

// Clear clears the flag (asyncio's Event.clear).
func (e *Event) Clear() { e.set = false }

// Wait returns an awaitable that completes when the flag is set, at once
// if it is (asyncio's Event.wait).
func (e *Event) Wait() EventWait { return EventWait{e} }

// String returns "event set" or "event unset", with the number of waiters
// if there are any.
func (e *Event) String() string {
	s := "event unset"
	if e.set {
		s = "event set"
	}
	return s + waitersSuffix(e.waiters.len())
}

// EventWait is the awaitable Event.Wait returns.
type EventWait struct{ e *Event }

// Poll waits for the flag (the await protocol).
func (a EventWait) Poll(cx *Ctx) bool {
	if !cx.resumed() {
		if a.e.set {
			return true
		}
		a.e.waiters.wait(cx, "wait", a.e)
		return false
	}
	w := resumeWaiter(cx)
	if w == nil {
		return false
	}
	a.e.waiters.release(w)
	return true
}

// Outcome reports ErrCancelled if the task was cancelled while waiting.
func (a EventWait) Outcome(cx *Ctx) (Void, error) {
	if cx.delivered() {
		return Void{}, ErrCancelled
	}
	return Void{}, nil
}

// Condition is a condition variable (asyncio.Condition): tasks holding its
// lock wait until another task notifies them. The zero value uses a lock of
// its own; NewCondition shares one.
type Condition struct {
	lock    *Lock // nil: own
	own     Lock
	waiters waitList
}

// NewCondition returns a condition variable that uses l as its lock, or a
// lock of its own if l is nil (asyncio.Condition(lock)).
func NewCondition(l *Lock) *Condition { return &Condition{lock: l} }

// L returns the condition's lock.
func (c *Condition) L() *Lock {
	if c.lock == nil {
		return &c.own
	}
	return c.lock
}

// Acquire acquires the condition's lock.
func (c *Condition) Acquire() LockAcquire { return c.L().Acquire() }

// Release releases the condition's lock.
func (c *Condition) Release() { c.L().Release() }

// Locked reports whether the condition's lock is held.
func (c *Condition) Locked() bool { return c.L().locked }

// Wait returns an awaitable that releases the lock, waits until the task
// is notified, and acquires the lock again before it completes (asyncio's
// Condition.wait). The lock must be held when the await starts; if it is
// not, the await panics (asyncio raises RuntimeError).
//
// As in asyncio, the lock is acquired again even if the task is cancelled
// while waiting: the await then fails with ErrCancelled, with the lock
// held, after notifying another waiter in its place (a spurious wake-up,
// which condition variables allow).
func (c *Condition) Wait() CondWait { return CondWait{c} }

// WaitFor returns an awaitable that waits until pred returns true
// (asyncio's Condition.wait_for): it calls pred with the lock held, and
// Wait and calls it again while it returns false.
func (c *Condition) WaitFor(pred func() bool) CondWaitFor { return CondWaitFor{c, pred} }

// Notify wakes up to n of the tasks waiting on the condition, first come
// first served (asyncio's Condition.notify). The lock must be held; a woken
// task returns from Wait once it has acquired the lock again.
func (c *Condition) Notify(n int) {
	if !c.Locked() {
		panic("rt: Condition.Notify without holding the lock")
	}
	c.notify(n)
}

// NotifyAll wakes every task waiting on the condition (asyncio's
// Condition.notify_all). The lock must be held.
func (c *Condition) NotifyAll() { c.Notify(c.waiters.len()) }

func (c *Condition) notify(n int) {
	for ; n > 0 && c.waiters.wakeFirst(wWoken); n-- {
	}
}

// String returns "condition locked" or "condition unlocked", with the
// number of waiters if there are any.
func (c *Condition) String() string {
	s := "condition unlocked"
	if c.Locked() {
		s = "condition locked"
	}
	return s + waitersSuffix(c.waiters.len())
}

// The steps of a condition wait: the wait for a notification, then the
// acquisition of the lock (a node of the lock's waiters).
const (
	condNotify uint8 = iota
	condRelock
)

// startWait releases the lock and waits for a notification.
func (c *Condition) startWait(cx *Ctx) {
	l := c.L()
	if !l.locked {
		panic("rt: Condition.Wait without holding the lock")
	}
	l.Release()
	w := c.waiters.push(cx, "wait", c)
	w.phase = condNotify
	cx.suspend(w)
}

// resumeWait continues a wait that cx resumes. It returns false while the
// task must wait on, and true once the lock is held again; then a
// cancellation received at any step is pending for Outcome (cx.delivered).
func (c *Condition) resumeWait(cx *Ctx) bool {
	w := resumeWaiter(cx)
	if w == nil {
		return false
	}
	cancelled := w.cancelled
	if w.phase == condNotify {
		c.waiters.release(w)
		if cx.delivered() {
			cancelled = true
		}
	} else if c.L().acquireResumed(cx, w) {
		return c.relocked(cx, cancelled)
	} else {
		// The acquisition was cancelled: asyncio tries again, keeping
		// the error for the end.
		cx.delivered()
		cancelled = true
	}
	return c.relock(cx, cancelled)
}

// relock acquires the lock again after a wait, at once or by waiting.
func (c *Condition) relock(cx *Ctx, cancelled bool) bool {
	l := c.L()
	if l.tryAcquire() {
		return c.relocked(cx, cancelled)
	}
	w := l.waiters.push(cx, "acquire", l)
	w.phase, w.cancelled = condRelock, cancelled
	cx.suspend(w)
	return false
}

// relocked ends a wait with the lock held. A task that was cancelled
// notifies another in its place (it may have consumed a notification) and
// fails with ErrCancelled.
func (c *Condition) relocked(cx *Ctx, cancelled bool) bool {
	if cancelled {
		c.notify(1)
		cx.flags |= fCancelDelivered
	}
	return true
}

// CondWait is the awaitable Condition.Wait returns.
type CondWait struct{ c *Condition }

// Poll waits for a notification and re-acquires the lock (the await
// protocol).
func (a CondWait) Poll(cx *Ctx) bool {
	if !cx.resumed() {
		a.c.startWait(cx)
		return false
	}
	return a.c.resumeWait(cx)
}

// Outcome reports ErrCancelled if the task was cancelled while waiting;
// the lock is held either way.
func (a CondWait) Outcome(cx *Ctx) (Void, error) {
	if cx.delivered() {
		return Void{}, ErrCancelled
	}
	return Void{}, nil
}

// CondWaitFor is the awaitable Condition.WaitFor returns.
type CondWaitFor struct {
	c    *Condition
	pred func() bool
}

// Poll waits until the predicate holds (the await protocol).
func (a CondWaitFor) Poll(cx *Ctx) bool {
	if cx.resumed() {
		if !a.c.resumeWait(cx) {
			return false
		}
		if cancelling(cx) {
			return true
		}
	}
	if a.pred() {
		return true
	}
	a.c.startWait(cx)
	return false
}

// Outcome reports ErrCancelled if the task was cancelled while waiting;
// the lock is held either way.
func (a CondWaitFor) Outcome(cx *Ctx) (Void, error) {
	if cx.delivered() {
		return Void{}, ErrCancelled
	}
	return Void{}, nil
}

func waitersSuffix(n int) string {
	if n == 0 {
		return ""
	}
	return ", waiters:" + strconv.Itoa(n)
}
