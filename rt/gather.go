package rt

import (
	"fmt"
	"unsafe"
)

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
	g.out = make([]T, len(aws))
	for i, a := range aws {
		var task *Task[T]
		var fut *Future[T]
		switch a := a.(type) {
		case *Task[T]:
			task = a
		case *Future[T]:
			fut = a
		case Coro[T]:
			task = SpawnOn(l, a)
		default:
			task = SpawnOn(l, awaitCoro(a))
		}
		if task != nil {
			if g.loop == nil {
				g.loop = task.loop
			} else if task.loop != g.loop {
				panic(fmt.Sprintf("rt: Gather of %v, which runs on another loop than the gather's other tasks", task))
			}
			task.retrieve()
			if task.flags&fDone != 0 {
				g.store(i, task, nil)
				continue
			}
		} else if fut.done {
			g.store(i, nil, fut)
			continue
		}
		// Only an awaitable still running needs a kid: with eager tasks
		// (or finished ones) a gather allocates nothing per argument but
		// its result.
		if g.kids == nil {
			g.kids = make([]gatherKid[T], len(aws))
		}
		k := &g.kids[i]
		k.node.w = g
		g.remaining++
		if task != nil {
			k.task = task
			addWaiter(&task.waiters, &k.node)
		} else {
			if g.futs == nil {
				g.futs = make([]*Future[T], len(aws))
			}
			g.futs[i] = fut
			addWaiter(&fut.waiters, &k.node)
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
	loop *Loop // of the gathered tasks; nil when there are only futures
	out  []T   // the results, each stored when its awaitable finishes
	// kids wait for the awaitables that had not finished when Gather was
	// called (the others' kids stay zero); nil when all had.
	kids []gatherKid[T]
	// futs holds the futures the kids wait for, at their argument's
	// position; nil when no kid waits for a future.
	futs       []*Future[T]
	remaining  int // kids not finished
	failure    error
	waiter     *Ctx
	cancelling bool
}

// gatherKid waits for one running awaitable: a task, or the future in the
// gather's futs at the kid's position. The gather is the waker of every
// kid's node (node.w), which is nil once the kid has been counted. A kid
// is 32 bytes: the gather and its position are found from the node's
// address, so they need no fields.
type gatherKid[T any] struct {
	node waitNode // first: see wake
	task *Task[T] // nil for a future
}

// wake counts in the kid whose node n is: its awaitable has finished.
func (g *gather[T]) wake(n *waitNode) {
	k := (*gatherKid[T])(unsafe.Pointer(n)) // the node is the kid's first field
	if k.node.w == nil {
		return
	}
	k.node.w = nil
	g.remaining--
	i := g.index(k)
	if k.task != nil {
		g.store(i, k.task, nil)
	} else {
		g.store(i, nil, g.futs[i])
	}
	if g.waiter != nil && g.ready() {
		g.waiter.schedule()
	}
}

// index is the kid's argument position: its offset in the gather's kids.
func (g *gather[T]) index(k *gatherKid[T]) int {
	first := unsafe.SliceData(g.kids)
	return int((uintptr(unsafe.Pointer(k)) - uintptr(unsafe.Pointer(first))) / unsafe.Sizeof(*k))
}

func (k *gatherKid[T]) running() bool { return k.node.w != nil }

// record notes a failure: the first, in completion order, is the gather's
// unless it is being cancelled.
func (g *gather[T]) record(err error) {
	if !g.cancelling && g.failure == nil {
		g.failure = err
	}
}

// store puts the value of argument i, a finished task or future, in its
// place in the results, or records its failure: when Gather is called, or
// when the argument's kid wakes.
func (g *gather[T]) store(i int, task *Task[T], fut *Future[T]) {
	var err error
	if task != nil {
		err = panicAcross(task.resultInto(&g.out[i]))
	} else if err = fut.err; err == nil {
		g.out[i] = fut.value
	}
	if err != nil {
		g.record(err)
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
	return g.Complete(g.out)
}

// cancelWait cancels every awaitable still running; the awaiting task
// resumes when all of them have finished.
func (g *gather[T]) cancelWait(cx *Ctx) {
	g.cancelling = true
	for i := range g.kids {
		k := &g.kids[i]
		switch {
		case !k.running():
		case k.task != nil:
			k.task.Cancel()
		default:
			g.futs[i].Cancel()
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
