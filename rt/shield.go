package rt

import "fmt"

// Shield protects a from the cancellation of the task that awaits it
// (asyncio.shield). Cancelling the awaiting task makes its await of the
// shield fail with ErrCancelled at once, while a goes on running; a is not
// cancelled. A coroutine argument is spawned as a task when Shield is
// called, on the running loop (like Gather); a task or a future is awaited
// as it is; any other awaitable is spawned wrapped in a task. If a itself
// is cancelled (by someone else), awaiting the shield fails with
// ErrCancelled too. Keep the task (Spawn it yourself) to collect its result
// after the awaiting task was cancelled; a panic in it is never lost (Run
// re-panics with it if nobody asked its result).
func Shield[T any](a Awaitable[T]) Coro[T] {
	c := new(WithTask[T, shield[T]])
	m := &c.M
	switch a := a.(type) {
	case *Task[T]:
		m.task = a
	case *Future[T]:
		m.fut = a
	case Coro[T]:
		m.task = SpawnOn(currentLoop("Shield", "rt.Shield(rt.SpawnOn(loop, c))"), a)
	default:
		m.task = SpawnOn(currentLoop("Shield", "rt.Shield(rt.SpawnOn(loop, c))"), awaitCoro(a))
	}
	return NewCoro[T](m, &c.Task)
}

type shield[T any] struct {
	Frame[T]
	task *Task[T]
	fut  *Future[T]
}

func (m *shield[T]) innerDone() bool {
	if m.task != nil {
		return m.task.flags&fDone != 0
	}
	return m.fut.done
}

func (m *shield[T]) waiters() **waitNode {
	if m.task != nil {
		return &m.task.waiters
	}
	return &m.fut.waiters
}

// Poll waits for the shielded awaitable, or for the awaiting task's
// cancellation.
func (m *shield[T]) Poll(cx *Ctx) bool {
	switch m.State {
	case StateDone:
		return PolledAfterDone(m.CoroName())
	case 0:
		if m.task != nil && m.task.loop != cx.loop {
			m.task.cannotWait(cx)
		}
		if m.innerDone() {
			return m.finish()
		}
		m.State = 1
		addWaiter(m.waiters(), cx.waiterNode())
		cx.suspend(m)
		return false
	}
	if !m.innerDone() && cx.flags&fCancelPending == 0 {
		return false
	}
	cx.resume()
	if cx.delivered() {
		removeWaiter(m.waiters(), cx.waiterNode())
		return m.Fail(ErrCancelled)
	}
	return m.finish()
}

func (m *shield[T]) finish() bool {
	if m.task != nil {
		m.task.retrieve()
		v, err := m.task.result()
		return m.Return(v, panicAcross(err))
	}
	return m.Return(m.fut.value, m.fut.err)
}

// cancelWait wakes the awaiting task to be cancelled, leaving the shielded
// awaitable alone.
func (m *shield[T]) cancelWait(cx *Ctx) {
	removeWaiter(m.waiters(), cx.waiterNode())
	cx.schedule()
}

func (m *shield[T]) CoroName() string { return "rt.Shield" }

// String describes the shield for task dumps.
func (m *shield[T]) String() string {
	if m.task != nil {
		return fmt.Sprintf("shield of %v", &m.task.Ctx)
	}
	return "shield of " + m.fut.String()
}
