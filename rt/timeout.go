package rt

import (
	"context"
	"fmt"
	"math"
	"time"
)

// ErrTimeout is the error of a timeout: a WaitFor whose time ran out, or a
// TimeoutScope whose deadline passed (asyncio's TimeoutError).
// errors.Is(err, context.DeadlineExceeded) holds for it; errors.Is(err,
// ErrCancelled) does not: the cancellation the timeout used is gone.
var ErrTimeout = fmt.Errorf("rt: timeout: %w", context.DeadlineExceeded)

// watchCancels starts counting cx's cancellation requests for a timeout
// scope or a task group and returns the count to compare with at the end.
// A request still pending (not yet delivered at an await) is not counted in
// the base: it is an outside request that the scope must not swallow.
func (cx *Ctx) watchCancels() int {
	base := cx.more().cancels
	if cx.flags&fCancelPending != 0 {
		base--
	}
	return base
}

// uncancel withdraws one cancellation request the caller made itself
// (asyncio's Task.uncancel) and reports whether others were made since
// base. When none was, a request of its own that was never delivered is
// forgotten, so that it cannot fail a later await.
func (cx *Ctx) uncancel(base int) (others bool) {
	e := cx.more()
	e.cancels--
	if e.cancels > base {
		return true
	}
	cx.flags &^= fCancelPending
	return false
}

// A TimeoutScope cancels the task that opened it when its deadline passes
// and turns that cancellation, and only that one, into ErrTimeout
// (asyncio's `async with asyncio.timeout(d) as scope:`). Awaiting Timeout
// or TimeoutAt opens one (the __aenter__; it never suspends); End closes it
// (the __aexit__):
//
//	scope := rt.Await(rt.Timeout(2 * time.Second))
//	v, err := rt.Try(fetch(url))
//	err = scope.End(err) // ErrTimeout if the deadline cancelled the fetch
//
// End must be called, by the same task, for every scope. It is idempotent,
// so `defer scope.End(nil)` is a safe net, but not enough alone: it cannot
// see the work's failure (corovet reports a scope ended only so). Only
// failures that reach End are turned into ErrTimeout: an rt.Await inside
// the scope that fails unwinds past End with ErrCancelled. For a block written with rt.Await,
// use WaitFor with an inline coroutine instead:
//
//	v, err := rt.Try(rt.WaitFor(rt.Async(func() int { ... }), 2*time.Second))
//
// A cancellation of the task from outside during the scope is never turned
// into a timeout, even if the deadline passes too: End returns it as it is.
type TimeoutScope struct {
	th    TimerHandle
	task  *Ctx
	base  int
	when  time.Duration
	state scopeState
}

type scopeState uint8

const (
	scopeActive  scopeState = iota
	scopeExpired            // the deadline passed: the task was cancelled
	scopeEnded              // End was called before the deadline
	scopeEndedExpired
)

// Timeout returns the awaitable that opens a timeout scope expiring d from
// now on the loop's clock (asyncio.timeout): scope := rt.Await(rt.Timeout(d)).
func Timeout(d time.Duration) TimeoutStart { return TimeoutStart{d: d} }

// TimeoutAt returns the awaitable that opens a timeout scope expiring when
// the loop's clock (Now) reaches when (asyncio.timeout_at).
func TimeoutAt(when time.Duration) TimeoutStart { return TimeoutStart{d: when, at: true} }

// TimeoutStart is the awaitable Timeout and TimeoutAt return. Awaiting it
// opens the scope in the awaiting task, without suspending.
type TimeoutStart struct {
	d  time.Duration
	at bool
}

// Poll completes at once (the await protocol).
func (TimeoutStart) Poll(cx *Ctx) bool { return true }

// Outcome opens the scope for the awaiting task.
func (o TimeoutStart) Outcome(cx *Ctx) (*TimeoutScope, error) {
	when := int64(o.d)
	if !o.at {
		when = addClamped(cx.loop.nanotime(), o.d)
	}
	s := new(TimeoutScope)
	s.begin(cx, when)
	return s, nil
}

func addClamped(now int64, d time.Duration) int64 {
	if d > 0 && int64(d) > math.MaxInt64-now {
		return math.MaxInt64
	}
	return now + int64(d)
}

// begin arms the scope for cx, to expire at when (loop time).
func (s *TimeoutScope) begin(cx *Ctx, when int64) {
	s.task = cx
	s.base = cx.watchCancels()
	s.state = scopeActive
	s.th.loop = cx.loop
	s.th.fn = s.expire
	s.arm(when)
}

func (s *TimeoutScope) arm(when int64) {
	s.when = time.Duration(when)
	s.th.arm(when)
}

// expire runs on the loop when the deadline passes.
func (s *TimeoutScope) expire() {
	if s.state != scopeActive {
		return
	}
	s.state = scopeExpired
	if !s.task.Cancel() {
		// The task has finished without ending the scope: nothing to undo.
		s.state = scopeEndedExpired
	}
}

// End closes the scope and returns err, or ErrTimeout if err is the
// cancellation the scope's deadline caused (and no other cancellation of
// the task was requested meanwhile). Calling End again returns its argument.
func (s *TimeoutScope) End(err error) error {
	switch s.state {
	case scopeActive:
		s.th.Cancel()
		s.state = scopeEnded
		return err
	case scopeExpired:
		s.state = scopeEndedExpired
		if !s.task.uncancel(s.base) && isCancelled(err) {
			return ErrTimeout
		}
	}
	return err
}

// abandon closes the scope without looking at an outcome (a panic went
// through it).
func (s *TimeoutScope) abandon() {
	switch s.state {
	case scopeActive:
		s.th.Cancel()
		s.state = scopeEnded
	case scopeExpired:
		s.state = scopeEndedExpired
		s.task.uncancel(s.base)
	}
}

// Expired reports whether the deadline passed before End.
func (s *TimeoutScope) Expired() bool {
	return s.state == scopeExpired || s.state == scopeEndedExpired
}

// When returns the deadline on the loop's clock (see Now).
func (s *TimeoutScope) When() time.Duration { return s.when }

// Reschedule moves the deadline of an active scope to when on the loop's
// clock (asyncio's Timeout.reschedule); a deadline already passed expires
// it on the loop's next turn. It does nothing once the scope has expired or
// ended.
func (s *TimeoutScope) Reschedule(when time.Duration) {
	if s.state != scopeActive {
		return
	}
	s.th.Cancel()
	s.arm(int64(when))
}

// WaitFor awaits a with a time limit (asyncio.wait_for): if a has not
// completed d after the await began, it is cancelled (a coroutine is
// cancelled at the await it is suspended at, a task, future or gather is
// cancelled), WaitFor waits for it to unwind, and then fails with
// ErrTimeout, for which errors.Is(err, context.DeadlineExceeded) holds. A
// coroutine argument runs in the awaiting task, as an inline coroutine, so
// WaitFor(rt.Async(func() T {...}), d) is the timeout scope of a block. A
// cancellation of the awaiting task from outside is passed on as
// ErrCancelled, never turned into a timeout. With d <= 0, a gets to run
// until it first suspends, then is cancelled.
func WaitFor[T any](a Awaitable[T], d time.Duration) Coro[T] {
	c := new(WithTask[T, waitFor[T]])
	c.M.a, c.M.d = a, d
	return NewCoro[T](&c.M, &c.Task)
}

type waitFor[T any] struct {
	Frame[T]
	a     Awaitable[T]
	d     time.Duration
	scope TimeoutScope
}

func (m *waitFor[T]) Poll(cx *Ctx) bool {
	switch m.State {
	case StateDone:
		return PolledAfterDone(m.CoroName())
	case 0:
		m.scope.begin(cx, addClamped(cx.loop.nanotime(), m.d))
		m.State = 1
	}
	ok := false
	defer func() {
		if !ok { // a panic escapes a's Poll: let it go on, without the scope
			m.scope.abandon()
		}
	}()
	if !m.a.Poll(cx) {
		ok = true
		return false
	}
	ok = true
	v, err := m.a.Outcome(cx)
	if IsPanic(err) {
		m.scope.abandon()
		return m.Fail(err)
	}
	return m.Return(v, m.scope.End(err))
}

func (m *waitFor[T]) CoroName() string { return "rt.WaitFor" }

// Where reports where the awaited coroutine is suspended.
func (m *waitFor[T]) Where() string { return whereOf(m.a) }

// whereOf is the Where of an awaitable that knows it, or "".
func whereOf(a any) string {
	if w, ok := a.(interface{ Where() string }); ok {
		return w.Where()
	}
	return ""
}
