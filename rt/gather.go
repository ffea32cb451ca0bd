package rt

import "fmt"

// Gather runs the awaitables concurrently and returns their results in
// argument order (asyncio.gather). Coroutine arguments are spawned as tasks
// when Gather is called, on the loop running the caller. Awaiting the result
// fails with the first failure, in completion order, while the other
// awaitables keep running; cancelling the await cancels all of them.
func Gather[T any](aws ...Awaitable[T]) Coro[[]T] {
	return gatherHere[T]("Gather", aws)
}

// GatherAll is Gather of a slice of one kind of awaitable: the tasks a
// loop spawned ([]*Task[T]), coroutines, futures, or []Awaitable[T].
//
//	results := rt.Await(rt.GatherAll(tasks))
//
// Go passes only a []Awaitable[T] as Gather's arguments; GatherAll saves
// copying a slice of tasks into one (16 bytes per task).
func GatherAll[T any, A Awaitable[T]](aws []A) Coro[[]T] {
	return gatherHere[T]("GatherAll", aws)
}

// gatherHere gathers on the loop of the tasks and futures in aws, or on
// the running loop if it has to spawn some of them.
func gatherHere[T any, A Awaitable[T]](fn string, aws []A) Coro[[]T] {
	var l *Loop
	if needsLoop[T](aws) {
		l = currentLoop(fn, "rt."+fn+"On(loop, ...)")
	}
	return gatherOn[T](l, aws)
}

// GatherOn is Gather with the loop named, for code that runs off the loop.
func GatherOn[T any](l *Loop, aws ...Awaitable[T]) Coro[[]T] {
	return gatherOn[T](l, aws)
}

// GatherAllOn is GatherAll with the loop named, for code that runs off the
// loop.
func GatherAllOn[T any, A Awaitable[T]](l *Loop, aws []A) Coro[[]T] {
	return gatherOn[T](l, aws)
}

// gatherOn makes the gather: a task's node, kid or result per argument,
// and tasks for the coroutines among them, spawned on l.
func gatherOn[T any, A Awaitable[T]](l *Loop, aws []A) Coro[[]T] {
	c := new(WithTask[[]T, gather[T]])
	g := &c.M
	g.loop = l
	g.out = make([]T, len(aws))
	for i, a := range aws {
		var task *Task[T]
		var fut *Future[T]
		switch a := any(a).(type) {
		case *Task[T]:
			task = a
			if task == nil {
				panicNilArg("task", i)
			}
		case *Future[T]:
			fut = a
			if fut == nil {
				panicNilArg("future", i)
			}
		case Coro[T]:
			task = SpawnOn(l, a)
		case nil:
			panicNilArg("awaitable", i)
		default:
			task = SpawnOn(l, awaitCoro(a.(Awaitable[T])))
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
		// Only an awaitable still running needs waiting for: with eager
		// tasks (or finished ones) a gather allocates nothing per argument
		// but its result.
		g.remaining++
		if task != nil && task.waiters == nil {
			// The common case: the gather is the task's only waiter, so
			// the gather's own node can be its whole list (see node).
			if g.tasks == nil {
				g.tasks = make([]*Task[T], len(aws))
				g.node.w = g
			}
			g.tasks[i] = task
			task.waiters = &g.node
			continue
		}
		if g.kids == nil {
			g.kids = make([]gatherKid[T], len(aws))
		}
		k := &g.kids[i]
		k.g, k.i, k.node.w = g, i, k
		if task != nil {
			k.task = task
			addWaiter(&task.waiters, &k.node)
		} else {
			k.fut = fut
			addWaiter(&fut.waiters, &k.node)
		}
	}
	g.next = g.nextTask(0)
	return NewCoro[[]T](g, &c.Task)
}

// panicNilArg reports a nil argument of a gather, at the call rather than
// when the gather runs; out of line, so that gatherOn's loop stays small.
func panicNilArg(kind string, i int) {
	panic(fmt.Sprintf("rt: Gather of a nil %s (argument %d)", kind, i))
}

// needsLoop reports whether Gather must spawn some of aws, and so find
// the running loop: whether any is not a task or future.
func needsLoop[T any, A Awaitable[T]](aws []A) bool {
	var zero A
	switch any(zero).(type) {
	case *Task[T], *Future[T]:
		return false // a slice of tasks or futures, nil ones included
	}
	for _, a := range aws {
		switch any(a).(type) {
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
	// tasks are the tasks the gather waits for through node, at their
	// argument's position (nil elsewhere); nil when there are none.
	tasks []*Task[T]
	// node is the gather's waiter in the list of each of those tasks,
	// which it was the only waiter of when Gather was called: one node for
	// them all, since a node that is last in a list keeps a nil link
	// (wakeAll never writes it, and other waiters are added in front), so
	// a gathered task costs the gather a slot in tasks rather than a node.
	node waitNode
	// next is the position in tasks of the task expected to finish next:
	// tasks that finish in the order they were gathered (those that
	// finish in their first poll do, by the ready queue's order) store
	// their results as they finish; once one does not, unordered is set
	// and the results are read when the gather finishes.
	next      int
	unordered bool
	// kids wait for the other awaitables still running when Gather was
	// called: futures, and tasks that had other waiters already; nil when
	// there are none.
	kids       []gatherKid[T]
	remaining  int // awaitables not finished
	failure    error
	waiter     *Ctx
	cancelling bool
}

// gatherKid waits for a running future or a task that had waiters: the
// rare case, so it is plain rather than small. Its node's waker is the kid
// itself, nil once the kid has been counted.
type gatherKid[T any] struct {
	node waitNode
	g    *gather[T]
	i    int // the argument's position
	task *Task[T]
	fut  *Future[T]
}

func (k *gatherKid[T]) wake(*Ctx) {
	if k.node.w == nil {
		return
	}
	k.node.w = nil
	g := k.g
	g.remaining--
	g.store(k.i, k.task, k.fut)
	g.wakeWaiter()
}

// wake counts in a task the gather waits for through its node: from, which
// finished.
func (g *gather[T]) wake(from *Ctx) {
	g.taskDone(from)
	g.wakeWaiter()
}

// wakeWaiter schedules the task awaiting the gather once it is ready.
func (g *gather[T]) wakeWaiter() {
	if g.waiter != nil && g.ready() {
		g.waiter.schedule()
	}
}

// taskDone counts in a task the gather waits for through its node.
func (g *gather[T]) taskDone(from *Ctx) {
	g.remaining--
	if i := g.next; i < len(g.tasks) && &g.tasks[i].Ctx == from {
		g.store(i, g.tasks[i], nil)
		g.next = g.nextTask(i + 1)
		return
	}
	g.unordered = true
	if err := from.err(); err != nil {
		g.record(panicAcross(err))
	}
}

// nextTask returns the first position from i on that holds a task, or
// len(g.tasks).
func (g *gather[T]) nextTask(i int) int {
	for i < len(g.tasks) && g.tasks[i] == nil {
		i++
	}
	return i
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
	if g.unordered {
		// Some tasks finished out of order: read every task's result
		// (again, for those stored already).
		for i, t := range g.tasks {
			if t != nil {
				g.store(i, t, nil)
			}
		}
	}
	return g.Complete(g.out)
}

// cancelWait cancels every awaitable still running; the awaiting task
// resumes when all of them have finished.
func (g *gather[T]) cancelWait(cx *Ctx) {
	g.cancelling = true
	for _, t := range g.tasks {
		if t != nil && !t.Done() {
			t.Cancel()
		}
	}
	for i := range g.kids {
		k := &g.kids[i]
		switch {
		case !k.running():
		case k.task != nil:
			k.task.Cancel()
		default:
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
