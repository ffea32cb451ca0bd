package rt

import (
	"errors"
	"fmt"
)

// ErrNotDone is returned by Result on a task or future that has not finished.
var ErrNotDone = errors.New("rt: result is not ready")

// Task is a coroutine scheduled to run on a loop concurrently with others
// (asyncio's Task). Spawn creates one; awaiting it waits for its result.
type Task[T any] struct {
	Ctx
}

// SpawnOn schedules c to run as a task on l (asyncio's loop.create_task).
// The task starts on the loop's next turn, after the tasks scheduled before
// it (at once under WithEagerTasks). Inside a coroutine, Spawn finds the
// loop itself.
func SpawnOn[T any](l *Loop, c Coro[T]) *Task[T] {
	if l == nil {
		panic("rt: SpawnOn with a nil loop")
	}
	l.checkOpen()
	if c.m == nil {
		panic("rt: Spawn of a zero Coro (a coroutine variable that was never assigned)")
	}
	t := c.slot
	switch {
	case t.loop != nil:
		panic(fmt.Sprintf("rt: %v is already running as task %s; a coroutine can be spawned once", c, t.Name()))
	case t.awaiter != nil:
		panic(fmt.Sprintf("rt: %v is already being awaited by task %s; a coroutine runs once", c, t.awaiter.Name()))
	}
	t.loop = l
	t.root = c.m
	l.nextID++
	t.id = l.nextID
	// Set once here rather than at every await.
	t.timer.idx = -1
	l.live.n++ // linked only if it suspends (live.go)
	if l.eager && l.running {
		l.startEager(&t.Ctx)
	} else {
		t.schedule()
	}
	return t
}

// Result returns the task's value or error (asyncio's Task.result), or
// ErrNotDone if it has not finished. If the task's coroutine panicked, Result
// panics with a *PanicError.
func (t *Task[T]) Result() (T, error) {
	var zero T
	if t.flags&fDone == 0 {
		return zero, ErrNotDone
	}
	t.retrieve()
	v, err := t.result()
	if p, ok := panicAcross(err).(*panicked); ok {
		panic(p.value)
	}
	return v, err
}

func (t *Task[T]) result() (T, error) {
	if err := t.loopErr(); err != nil {
		var zero T
		return zero, err
	}
	return t.root.(Machine[T]).Result()
}

// resultInto is result for a reader that has a place for the value: it
// stores the value in *dst, or returns the failure (leaving *dst), without
// asserting the machine to Machine[T].
func (t *Task[T]) resultInto(dst *T) error {
	if err := t.loopErr(); err != nil {
		return err
	}
	return t.root.storeResult(dst)
}

// loopErr is the finished task's failure when the loop rather than its
// machine may have decided it (a panic it caught, a cancellation before the
// task ran), else nil: then the machine's outcome is the task's.
func (t *Task[T]) loopErr() error {
	if t.extra != nil || t.flags&fFailCancelled != 0 {
		return t.err()
	}
	return nil
}

// Poll waits for the task to finish (the await protocol).
func (t *Task[T]) Poll(cx *Ctx) bool {
	if !cx.resumed() {
		t.retrieve()
		if t.flags&fDone != 0 {
			return true
		}
		if t.loop != cx.loop || &t.Ctx == cx {
			t.cannotWait(cx)
		}
		addWaiter(&t.waiters, cx.waiterNode())
		cx.suspend(&t.Ctx)
		return false
	}
	if t.flags&fDone == 0 {
		return false
	}
	cx.resume()
	return true
}

// cannotWait panics: cx cannot wait for t (itself, or a task of another
// loop, which would wake cx from another goroutine).
func (t *Ctx) cannotWait(cx *Ctx) {
	if t == cx {
		panic(fmt.Sprintf("rt: %v awaits itself", cx))
	}
	panic(fmt.Sprintf("rt: %v awaits %v, which runs on another loop; a task can await only tasks of its own loop", cx, t))
}

// Outcome returns the task's result to the awaiting task. A panic in the
// task arrives as a panic with a *PanicError.
func (t *Task[T]) Outcome(cx *Ctx) (T, error) {
	if cx.delivered() {
		var zero T
		return zero, ErrCancelled
	}
	v, err := t.result()
	return v, panicAcross(err)
}

// cancelWait: a task awaiting t was cancelled, so t is cancelled too; the
// awaiting task resumes once t has unwound.
func (t *Ctx) cancelWait(cx *Ctx) { t.Cancel() }

// AddDoneCallback calls fn on the loop once the task has finished (soon, if
// it already has).
func (t *Task[T]) AddDoneCallback(fn func(*Task[T])) {
	cb := &callback{fn: func() { fn(t) }, loop: t.loop}
	if t.flags&fDone != 0 {
		t.loop.CallSoon(cb.fn)
		return
	}
	cb.node.w = cb
	addWaiter(&t.waiters, &cb.node)
}

type callback struct {
	node waitNode
	fn   func()
	loop *Loop
}

func (c *callback) wake(*Ctx) { c.loop.pushCall(c.fn) }

// AnyTask is a task whatever its result type: what CurrentTask and AllTasks
// return. Every *Task[T] is one.
type AnyTask interface {
	Name() string
	SetName(string)
	Done() bool
	Cancelled() bool
	Cancel() bool
	String() string
}

// AllTasks returns the loop's unfinished tasks, oldest first (asyncio's
// all_tasks).
func (l *Loop) AllTasks() []AnyTask {
	live := l.liveTasks()
	out := make([]AnyTask, len(live))
	for i, cx := range live {
		out[i] = cx
	}
	return out
}

// CurrentTask returns the task running on the loop, or nil between tasks.
func (l *Loop) CurrentTask() AnyTask {
	if l.current == nil {
		return nil
	}
	return l.current
}
