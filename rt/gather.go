package rt

import "fmt"

// Gather runs the awaitables concurrently and returns their results in
// argument order (asyncio.gather). Coroutine arguments are spawned as tasks
// when Gather is called, on the loop running the caller. Awaiting the result
// fails with the first failure, in completion order, while the other
// awaitables keep running; cancelling the await cancels all of them.
func Gather[T any](aws ...Awaitable[T]) Coro[[]T] {
	var l *Loop
	if needsLoop(aws) {
		l = currentLoop("Gather", "rt.GatherOn(loop, ...)")
	}
	return GatherOn(l, aws...)
}

// GatherOn is Gather with the loop named, for code that runs off the loop.
func GatherOn[T any](l *Loop, aws ...Awaitable[T]) Coro[[]T] {
	c := new(WithTask[[]T, gather[T]])
	g := &c.M
	g.loop = l
	g.kids = make([]gatherKid[T], len(aws))
	g.remaining = len(aws)
	for i, a := range aws {
		k := &g.kids[i]
		k.g = g
		k.node.w = k
		switch a := a.(type) {
		case *Task[T]:
			k.task = a
		case *Future[T]:
			k.fut = a
		case Coro[T]:
			k.task = SpawnOn(l, a)
		default:
			k.task = SpawnOn(l, awaitCoro(a))
		}
		if k.task != nil {
			if g.loop == nil {
				g.loop = k.task.loop
			} else if k.task.loop != g.loop {
				panic(fmt.Sprintf("rt: Gather of %v, which runs on another loop than the gather's other tasks", k.task))
			}
			k.task.flags |= fRetrieved
			if k.task.flags&fDone != 0 {
				g.kidDone(k)
			} else {
				addWaiter(&k.task.waiters, &k.node)
			}
		} else if k.fut.done {
			g.kidDone(k)
		} else {
			addWaiter(&k.fut.waiters, &k.node)
		}
	}
	return NewCoro[[]T](g, &c.Task)
}

func needsLoop[T any](aws []Awaitable[T]) bool {
	for _, a := range aws {
		switch a.(type) {
		case *Task[T], *Future[T]:
		default:
			return true
		}
	}
	return false
}

type gather[T any] struct {
	Frame[[]T]
	loop       *Loop // of the gathered tasks; nil when there are only futures
	kids       []gatherKid[T]
	remaining  int
	failure    error
	waiter     *Ctx
	cancelling bool
}

type gatherKid[T any] struct {
	g    *gather[T]
	node waitNode
	task *Task[T]
	fut  *Future[T]
	done bool
}

func (k *gatherKid[T]) wake() { k.g.kidDone(k) }

func (k *gatherKid[T]) result() (T, error) {
	if k.task != nil {
		v, err := k.task.result()
		return v, panicAcross(err)
	}
	return k.fut.value, k.fut.err
}

func (g *gather[T]) kidDone(k *gatherKid[T]) {
	if k.done {
		return
	}
	k.done = true
	g.remaining--
	if !g.cancelling && g.failure == nil {
		if _, err := k.result(); err != nil {
			g.failure = err
		}
	}
	if g.waiter != nil && g.ready() {
		g.waiter.schedule()
	}
}

func (g *gather[T]) ready() bool {
	if g.cancelling {
		return g.remaining == 0
	}
	return g.remaining == 0 || g.failure != nil
}

// Poll waits for the gathered awaitables.
func (g *gather[T]) Poll(cx *Ctx) bool {
	if g.State == StateDone {
		return PolledAfterDone(g.CoroName())
	}
	if !cx.resumed() {
		if g.loop != nil && g.loop != cx.loop {
			panic(fmt.Sprintf("rt: %v awaits a Gather of tasks of another loop", cx))
		}
		if g.ready() {
			return g.finish()
		}
		g.waiter = cx
		g.State = 1
		cx.suspend(g)
		return false
	}
	if !g.ready() {
		return false
	}
	g.waiter = nil
	cx.resume()
	if cx.delivered() {
		return g.Fail(ErrCancelled)
	}
	return g.finish()
}

func (g *gather[T]) finish() bool {
	if g.failure != nil {
		return g.Fail(g.failure)
	}
	out := make([]T, len(g.kids))
	for i := range g.kids {
		out[i], _ = g.kids[i].result()
	}
	return g.Complete(out)
}

// cancelWait cancels every awaitable still running; the awaiting task
// resumes when all of them have finished.
func (g *gather[T]) cancelWait(cx *Ctx) {
	g.cancelling = true
	for i := range g.kids {
		k := &g.kids[i]
		if k.done {
			continue
		}
		if k.task != nil {
			k.task.Cancel()
		} else {
			k.fut.Cancel()
		}
	}
	if g.ready() {
		cx.schedule()
	}
}

func (g *gather[T]) CoroName() string { return "rt.Gather" }

// awaitCoro wraps any awaitable into a coroutine that awaits it.
func awaitCoro[T any](a Awaitable[T]) Coro[T] {
	c := new(WithTask[T, awaitMachine[T]])
	c.M.a = a
	return NewCoro[T](&c.M, &c.Task)
}

type awaitMachine[T any] struct {
	Frame[T]
	a Awaitable[T]
}

func (m *awaitMachine[T]) Poll(cx *Ctx) bool {
	if m.State == StateDone {
		return PolledAfterDone(m.CoroName())
	}
	if !m.a.Poll(cx) {
		m.State = 1
		return false
	}
	return m.Return(m.a.Outcome(cx))
}

func (m *awaitMachine[T]) CoroName() string { return "rt.Await" }
