package rt

import (
	"errors"
	"fmt"
	"time"
)

// Waitable is what Wait and AsCompleted watch: a *Task[T] or a *Future[T]
// of any T. Use it as the type argument to mix result types:
// rt.Wait[rt.Waitable](rt.FirstCompleted, t1, t2), then type-assert the
// members of Done and Pending.
type Waitable interface {
	Done() bool
	waitList() **waitNode
	failed() bool    // done with an error that is not a cancellation
	waitLoop() *Loop // a task's loop; nil for a future
}

func (cx *Ctx) waitList() **waitNode { return &cx.waiters }
func (cx *Ctx) waitLoop() *Loop      { return cx.loop }
func (cx *Ctx) failed() bool {
	return cx.flags&(fDone|fCancelled) == fDone && cx.err() != nil
}

func (f *Future[T]) waitList() **waitNode { return &f.waiters }
func (f *Future[T]) waitLoop() *Loop      { return nil }
func (f *Future[T]) failed() bool         { return f.done && f.err != nil && !isCancelled(f.err) }

// checkLoop panics if a task of ws runs on another loop than cx: its
// completion would wake cx from another goroutine.
func checkLoop[W Waitable](cx *Ctx, ws []W) {
	for _, w := range ws {
		if l := w.waitLoop(); l != nil && l != cx.loop {
			panic(fmt.Sprintf("rt: %v waits for %v, which runs on another loop; a task can wait only for tasks of its own loop", cx, w))
		}
	}
}

// WaitMode says when Wait returns (asyncio's return_when).
type WaitMode uint8

const (
	// AllCompleted: when every awaitable is done (ALL_COMPLETED).
	AllCompleted WaitMode = iota
	// FirstCompleted: when any one is done (FIRST_COMPLETED).
	FirstCompleted
	// FirstError: when any one fails with an error other than a
	// cancellation (a panic counts), or when all are done
	// (FIRST_EXCEPTION).
	FirstError
)

// WaitResult is what Wait returns: the awaitables that are done and those
// still pending, each in argument order (asyncio's (done, pending) sets).
type WaitResult[W Waitable] struct {
	Done, Pending []W
}

// Wait waits until the tasks or futures ws are done as mode says
// (asyncio.wait), and returns which are done and which are still pending.
// It never fails for their failures (read each one's Result) and never
// cancels them, also when the awaiting task is cancelled: its await fails
// with ErrCancelled and they go on. An await of a Wait whose condition
// already holds (or of one with no awaitables) completes at once.
//
//	r := rt.Await(rt.Wait(rt.FirstCompleted, t1, t2, t3))
//	for _, t := range r.Done { v, err := t.Result(); ... }
func Wait[W Waitable](mode WaitMode, ws ...W) Coro[WaitResult[W]] {
	return newWait(mode, -1, ws)
}

// WaitTimeout is Wait that also returns once d has elapsed, with the
// awaitables not yet done in Pending (asyncio.wait with a timeout). Like
// asyncio, and unlike WaitFor, it does not cancel them.
func WaitTimeout[W Waitable](d time.Duration, mode WaitMode, ws ...W) Coro[WaitResult[W]] {
	if d < 0 {
		d = 0
	}
	return newWait(mode, d, ws)
}

func newWait[W Waitable](mode WaitMode, d time.Duration, ws []W) Coro[WaitResult[W]] {
	c := new(WithTask[WaitResult[W], waitM[W]])
	c.M.mode, c.M.timeout, c.M.ws = mode, d, ws
	return NewCoro[WaitResult[W]](&c.M, &c.Task)
}

type waitM[W Waitable] struct {
	Frame[WaitResult[W]]
	ws      []W
	kids    []waitKid[W]
	timeout time.Duration // < 0: none
	left    int           // not done yet
	mode    WaitMode
	ready   bool // the condition holds
	waiter  *Ctx
}

type waitKid[W Waitable] struct {
	node waitNode
	m    *waitM[W]
	i    int
}

func (k *waitKid[W]) wake(*Ctx) { k.m.kidDone(k.i) }

func (m *waitM[W]) kidDone(i int) {
	m.left--
	if !m.ready && (m.mode == FirstCompleted || m.left == 0 || m.mode == FirstError && m.ws[i].failed()) {
		m.ready = true
		if m.waiter != nil {
			m.waiter.schedule()
		}
	}
}

// holdsNow counts the awaitables not yet done and reports whether the
// condition already holds.
func (m *waitM[W]) holdsNow() bool {
	m.left = 0
	for _, w := range m.ws {
		switch {
		case !w.Done():
			m.left++
		case m.mode == FirstCompleted, m.mode == FirstError && w.failed():
			return true
		}
	}
	return m.left == 0
}

// Poll waits until the condition holds, the timeout passes or the awaiting
// task is cancelled.
func (m *waitM[W]) Poll(cx *Ctx) bool {
	switch m.State {
	case StateDone:
		return PolledAfterDone(m.CoroName())
	case 0:
		checkLoop(cx, m.ws)
		if m.holdsNow() {
			return m.finish()
		}
		m.kids = make([]waitKid[W], len(m.ws))
		for i, w := range m.ws {
			if !w.Done() {
				k := &m.kids[i]
				k.m, k.i, k.node.w = m, i, k
				addWaiter(w.waitList(), &k.node)
			}
		}
		if m.timeout >= 0 {
			// The task's own sleep timer: it is not sleeping while it waits here.
			cx.setTimer(m.timeout)
		}
		m.waiter = cx
		m.State = 1
		cx.suspend(m)
		return false
	}
	timedOut := m.timeout >= 0 && cx.timer.idx < 0
	if !m.ready && !timedOut && cx.flags&fCancelPending == 0 {
		return false
	}
	m.waiter = nil
	if !timedOut && m.timeout >= 0 {
		cx.loop.timers.remove(&cx.timer)
	}
	for i, w := range m.ws {
		if k := &m.kids[i]; k.m != nil && !w.Done() {
			removeWaiter(w.waitList(), &k.node)
		}
	}
	cx.resume()
	if cx.delivered() {
		return m.Fail(ErrCancelled)
	}
	return m.finish()
}

func (m *waitM[W]) finish() bool {
	var r WaitResult[W]
	for _, w := range m.ws {
		if w.Done() {
			r.Done = append(r.Done, w)
		} else {
			r.Pending = append(r.Pending, w)
		}
	}
	return m.Complete(r)
}

// cancelWait wakes the waiting task to be cancelled; the awaitables go on.
func (m *waitM[W]) cancelWait(cx *Ctx) { cx.schedule() }

func (m *waitM[W]) CoroName() string { return "rt.Wait" }

// errAsCompleted is the failure of a Next with nothing left to return.
var errAsCompleted = errors.New("rt: AsCompleted: Next called after every awaitable was returned")

// Completions hands out tasks or futures in the order they complete: what
// AsCompleted returns (asyncio.as_completed). One task at a time may await
// its Next.
type Completions[W Waitable] struct {
	ws      []W
	kids    []completionKid[W]
	queue   []int // indices of ws done, in completion order; from head on not yet returned
	head    int
	left    int // not yet returned
	waiter  *Ctx
	got     W
	has     bool
	checked bool // the awaitables' loop is the awaiting task's
}

type completionKid[W Waitable] struct {
	node waitNode
	c    *Completions[W]
	i    int
}

func (k *completionKid[W]) wake(*Ctx) { k.c.done(k.i) }

// AsCompleted returns an iterator over ws in completion order
// (asyncio.as_completed, in its Python 3.13 form that yields the original
// tasks): each await of Next returns the next one that is done, and the
// caller reads its result. Those already done come first, in argument
// order. Nothing is cancelled, and a result is never lost: a Next whose
// awaiting task is cancelled fails with ErrCancelled and takes nothing, so
// the next Next returns it.
//
//	it := rt.AsCompleted(tasks...)
//	for it.More() {
//		t := rt.Await(it.Next())
//		v, err := t.Result()
//		...
//	}
//
// For a time limit on the whole iteration, wrap it in a TimeoutScope.
func AsCompleted[W Waitable](ws ...W) *Completions[W] {
	c := &Completions[W]{ws: ws, left: len(ws), kids: make([]completionKid[W], len(ws))}
	for i, w := range ws {
		if w.Done() {
			c.queue = append(c.queue, i)
			continue
		}
		k := &c.kids[i]
		k.c, k.i, k.node.w = c, i, k
		addWaiter(w.waitList(), &k.node)
	}
	return c
}

func (c *Completions[W]) done(i int) {
	c.queue = append(c.queue, i)
	if c.waiter != nil {
		c.waiter.schedule()
	}
}

// More reports whether some awaitable has not been returned by Next yet.
func (c *Completions[W]) More() bool { return c.left > 0 }

// Len returns how many awaitables Next has yet to return.
func (c *Completions[W]) Len() int { return c.left }

// Next returns an awaitable of the next awaitable to complete (at once if
// one is done and not yet returned). Awaiting it after every awaitable was
// returned fails with an error.
func (c *Completions[W]) Next() NextCompleted[W] { return NextCompleted[W]{c} }

// NextCompleted is the awaitable Completions.Next returns.
type NextCompleted[W Waitable] struct{ c *Completions[W] }

func (c *Completions[W]) take() {
	c.got, c.has = c.ws[c.queue[c.head]], true
	c.head++
	if c.head == len(c.queue) {
		c.queue, c.head = c.queue[:0], 0
	}
	c.left--
}

// Poll waits for the next completion (the await protocol).
func (n NextCompleted[W]) Poll(cx *Ctx) bool {
	c := n.c
	if !cx.resumed() {
		switch {
		case c.waiter != nil:
			panic("rt: AsCompleted: two tasks await Next at once; " + c.waiter.String() + " already does")
		case !c.checked:
			checkLoop(cx, c.ws)
			c.checked = true
			return n.Poll(cx)
		case c.left == 0:
			return true
		case c.head < len(c.queue):
			c.take()
			return true
		}
		c.waiter = cx
		cx.suspend(c)
		return false
	}
	if c.head == len(c.queue) && cx.flags&fCancelPending == 0 {
		return false
	}
	c.waiter = nil
	cx.resume()
	if cx.flags&fCancelDelivered == 0 {
		c.take()
	}
	return true
}

// Outcome returns the awaitable that completed.
func (n NextCompleted[W]) Outcome(cx *Ctx) (W, error) {
	c := n.c
	var zero W
	if cx.delivered() {
		return zero, ErrCancelled
	}
	if !c.has {
		return zero, errAsCompleted
	}
	w := c.got
	c.got, c.has = zero, false
	return w, nil
}

// cancelWait wakes the waiting task to be cancelled; nothing is taken.
func (c *Completions[W]) cancelWait(cx *Ctx) { cx.schedule() }
