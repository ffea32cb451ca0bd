package rt

import (
	"errors"
	"fmt"
)

// TaskGroup is structured concurrency (asyncio 3.11's TaskGroup, trio's
// nursery, errgroup with cancellation): the tasks spawned in it are awaited
// when the group's body ends, and the first failure cancels the others and
// the body.
//
// The body is a coroutine run by Run in the awaiting task:
//
//	g := rt.NewTaskGroup()
//	_, err := rt.Try(g.Run(rt.Do(func() {
//		rt.SpawnIn(g, Fetch("a"))
//		b := rt.SpawnIn(g, Fetch("b"))
//		rt.Await(rt.Sleep(time.Second)) // cancelled if a child fails
//		use(rt.Await(b))
//	})))
//
// or the code that follows NewTaskGroup, ended by Wait:
//
//	g := rt.NewTaskGroup()
//	defer rt.Await(g.Wait()) // a failure of a child replaces the body's
//	rt.SpawnIn(g, Fetch("a"))
//	...
//
// In both, when the body has ended the group waits for every child. A child
// that fails with an error other than a cancellation (or panics) cancels
// every other child and the body: the task running the body gets
// ErrCancelled at its current await, once; Run and Wait absorb that
// cancellation. Then the group fails with all the children's errors (and
// the body's own error, for Run) joined with errors.Join, in the order they
// happened, so errors.Is and errors.As find each of them. A panic in a
// child fails the group with that panic as a *PanicError, as awaiting the
// task would. Children that were cancelled are not failures.
//
// A cancellation of the body's task from outside cancels every child too;
// after they have unwound, the group fails with ErrCancelled, unless some
// child failed, whose errors then take precedence (as in asyncio).
//
// Prefer Run: the body's failure reaches the group, which cancels the
// children at once. With Wait, the body must reach Wait: catch failures
// with rt.Try, or defer the await of Wait as above (then, if a child
// failed, the joined errors replace the failure the body unwinds with;
// the body's own failure does not cancel the children, which are awaited
// to the end).
//
// SetLimit bounds how many children run at once, like errgroup.SetLimit:
// GoIn waits, as an await, for a free slot before it spawns; SpawnIn never
// waits and its task, over the limit, waits for a slot before its body
// starts. Waiting spawns and tasks take the free slots first come, first
// served.
//
// A group is used once, from its loop's goroutine. Spawning after the group
// finished panics; spawning while it is shutting down after a failure
// returns a task that is already cancelled and never runs.
type TaskGroup struct {
	loop   *Loop
	parent *Ctx // the task running the body
	base   int  // parent's cancellation requests when the group bound to it

	limit   int // 0: none
	active  int // children holding a slot
	pending int // children not finished
	queue   slotQueue

	kids groupKid // sentinel of the circular list of unfinished children
	free *groupKid

	errs   []error
	panic  error // the first panic of a child (*panicked, across)
	waiter *Ctx  // the parent, waiting for the children
	state  groupState

	aborting        bool
	failing         bool // a child failed: fail is scheduled or has run
	parentCancelled bool // the group cancelled the parent (to uncancel)
}

type groupState uint8

const (
	groupOpen groupState = iota
	groupWaiting
	groupFinished
)

// NewTaskGroup returns an empty task group. It binds to a task, the one
// whose body it is, when Run or Wait is awaited or when the first child is
// spawned from a task.
func NewTaskGroup() *TaskGroup {
	g := &TaskGroup{}
	g.kids.next, g.kids.prev = &g.kids, &g.kids
	return g
}

// SetLimit bounds the number of children running at once to n (n <= 0: no
// bound), like errgroup.Group.SetLimit. Raising it lets waiting spawns go.
func (g *TaskGroup) SetLimit(n int) {
	if n < 0 {
		n = 0
	}
	g.limit = n
	g.grant()
}

// Len returns the number of children that have not finished.
func (g *TaskGroup) Len() int { return g.pending }

// String describes the group, for debugging.
func (g *TaskGroup) String() string {
	s := fmt.Sprintf("task group (%d pending", g.pending)
	if g.limit > 0 {
		s += fmt.Sprintf(", %d/%d running", g.active, g.limit)
	}
	if g.aborting {
		s += ", shutting down"
	}
	return s + ")"
}

// bind makes cx the group's body task.
func (g *TaskGroup) bind(cx *Ctx, what string) {
	switch {
	case g.parent == nil:
		if g.loop != nil && g.loop != cx.loop {
			panic(fmt.Sprintf("rt: %s: %v runs on another loop than the task group's children", what, cx))
		}
		g.loop, g.parent = cx.loop, cx
		g.base = cx.watchCancels()
	case g.parent != cx:
		panic(fmt.Sprintf("rt: %s awaited by %v, but the task group belongs to %v", what, cx, g.parent))
	}
}

// spawnLoop returns the loop to spawn a child on and checks that the group
// still takes children. The first spawn binds the group to the task that
// makes it (cx, or the running task when cx is nil), if the group has none.
func (g *TaskGroup) spawnLoop(cx *Ctx, what string) *Loop {
	if g.state == groupFinished {
		panic("rt: " + what + " on a TaskGroup that has finished")
	}
	if g.loop == nil {
		if cx == nil {
			cx = currentLoop(what, "a TaskGroup on a loop").current
		}
		if cx != nil {
			g.bind(cx, what)
		} else {
			g.loop = runningLoop() // spawned from a callback
		}
	}
	if cx != nil && cx.loop != g.loop {
		panic(fmt.Sprintf("rt: %s in %v, which runs on another loop than the task group", what, cx))
	}
	return g.loop
}

// full reports whether a new child must wait for a slot.
func (g *TaskGroup) full() bool {
	return g.limit > 0 && !g.aborting && (g.active >= g.limit || g.queue.len() > 0)
}

// SpawnIn spawns c as a child of g (asyncio's TaskGroup.create_task). It
// never waits: if the group is at its limit, the task is created at once
// but starts its body only when a slot frees up.
func SpawnIn[T any](g *TaskGroup, c Coro[T]) *Task[T] {
	l := g.spawnLoop(nil, "SpawnIn")
	if !g.full() {
		t := SpawnOn(l, c)
		g.active++
		g.adopt(&t.Ctx, true, false)
		return t
	}
	if c.m == nil {
		panic("rt: SpawnIn of a zero Coro (a coroutine variable that was never assigned)")
	}
	// The task runs a gate that waits for a slot, then c in place.
	gc := new(WithTask[T, gate[T]])
	gm := &gc.M
	gm.c, gm.g = c, g
	c.claim(&gc.Task.Ctx) // c now runs only inside the gate
	t := SpawnOn(l, NewCoro[T](gm, &gc.Task))
	gm.entry.kid = g.adopt(&t.Ctx, false, false)
	return t
}

// adopt makes cx a child of the group; reserved: it was counted in pending
// when its spawn was granted a slot. A child that has already finished (an
// eager task, WithEagerTasks, that did not suspend) is counted as done at
// once, and adopt returns nil.
func (g *TaskGroup) adopt(cx *Ctx, slot, reserved bool) *groupKid {
	k := g.free
	if k != nil {
		g.free = k.next
	} else {
		k = &groupKid{g: g}
		k.node.w = k
	}
	k.cx, k.slot = cx, slot
	k.prev, k.next = g.kids.prev, &g.kids
	k.prev.next, g.kids.prev = k, k
	if !reserved {
		g.pending++
	}
	cx.retrieve() // the group reports its failure
	if cx.flags&fDone != 0 {
		g.kidDone(k)
		return nil
	}
	addWaiter(&cx.waiters, &k.node)
	if g.aborting {
		cx.Cancel()
	}
	return k
}

// groupKid links a child into its group.
type groupKid struct {
	g          *TaskGroup
	cx         *Ctx
	node       waitNode
	prev, next *groupKid
	slot       bool // holds one of the limit's slots
}

func (k *groupKid) wake(*Ctx) { k.g.kidDone(k) }

func (g *TaskGroup) kidDone(k *groupKid) {
	cx := k.cx
	k.prev.next, k.next.prev = k.next, k.prev
	g.pending--
	if k.slot {
		g.active--
	}
	k.cx, k.prev, k.next = nil, nil, g.free
	g.free = k
	if err := cx.err(); err != nil && cx.flags&fCancelled == 0 {
		if IsPanic(err) {
			if g.panic == nil {
				g.panic = panicAcross(err)
			}
		} else {
			g.errs = append(g.errs, err)
		}
		if !g.failing {
			// As asyncio's done callbacks, the shutdown comes on the loop's
			// next turn: the tasks woken in the same turn as this one still
			// run first, and a failure of theirs is reported too.
			g.failing = true
			g.loop.pushCall(g.fail)
		}
	}
	g.grant()
	if g.pending == 0 && g.waiter != nil {
		g.waiter.schedule()
	}
}

// fail starts the shutdown after a child's failure: the other children and
// the body are cancelled.
func (g *TaskGroup) fail() {
	if g.aborting {
		return
	}
	g.abort()
	if p := g.parent; p != nil && g.waiter == nil && g.state == groupOpen && p.flags&fDone == 0 {
		g.parentCancelled = true
		p.Cancel()
	}
}

// abort cancels every child; spawns waiting for a slot go ahead (and get
// cancelled tasks). It runs once, as asyncio's _abort: cancelling a child
// again (when the body unwinds, or the group's task is cancelled while it
// waits) would interrupt the cleanup the first cancellation started.
func (g *TaskGroup) abort() {
	if g.aborting {
		return
	}
	g.aborting = true
	for k := g.kids.next; k != &g.kids; {
		next := k.next
		k.cx.Cancel()
		k = next
	}
	g.grant()
}

// grant hands free slots to the spawns waiting for one, in order. Once a
// child has failed, no other starts: the spawns wait for the shutdown.
func (g *TaskGroup) grant() {
	if g.failing && !g.aborting {
		return
	}
	for g.queue.len() > 0 && (g.limit == 0 || g.aborting || g.active < g.limit) {
		e := g.queue.pop()
		e.granted = true
		g.active++
		if e.kid != nil {
			e.kid.slot = true
		} else {
			g.pending++ // the child to come: Wait waits for it
		}
		e.cx.schedule()
	}
}

// release gives back a slot granted to a GoIn that was cancelled before
// it could use it.
func (g *TaskGroup) release() {
	g.active--
	g.pending--
	g.grant()
	if g.pending == 0 && g.waiter != nil {
		g.waiter.schedule()
	}
}

// slotEntry is a spawn waiting for a slot: a GoIn's task, or the gate of a
// child spawned by SpawnIn.
type slotEntry struct {
	cx      *Ctx
	g       *TaskGroup
	kid     *groupKid // the gated child, or nil for GoIn
	queued  bool
	granted bool
}

// cancelWait: the waiting task was cancelled; it gives up its place.
func (e *slotEntry) cancelWait(cx *Ctx) {
	if e.queued {
		e.g.queue.remove(e)
	}
	cx.schedule()
}

// slotQueue is a FIFO of waiting spawns; a removed entry is skipped.
type slotQueue struct {
	q    []*slotEntry
	head int
	n    int
}

func (q *slotQueue) len() int { return q.n }

func (q *slotQueue) push(e *slotEntry) {
	e.queued = true
	q.q = append(q.q, e)
	q.n++
}

func (q *slotQueue) pop() *slotEntry {
	for {
		e := q.q[q.head]
		q.q[q.head] = nil
		q.head++
		if q.head == len(q.q) {
			q.q, q.head = q.q[:0], 0
		}
		if e.queued {
			e.queued = false
			q.n--
			return e
		}
	}
}

func (q *slotQueue) remove(e *slotEntry) {
	e.queued = false
	q.n--
	if q.n == 0 {
		clear(q.q[q.head:])
		q.q, q.head = q.q[:0], 0
	}
}

// gate is the machine of a child spawned by SpawnIn over the limit: it
// waits for a slot, then runs the child's coroutine in place.
type gate[T any] struct {
	Frame[T]
	c     Coro[T]
	g     *TaskGroup
	entry slotEntry
}

func (m *gate[T]) Poll(cx *Ctx) bool {
	switch m.State {
	case StateDone:
		return PolledAfterDone(m.CoroName())
	case 0:
		if !m.entry.granted {
			m.entry.cx, m.entry.g = cx, m.g
			m.g.queue.push(&m.entry)
			m.State = 1
			cx.suspend(&m.entry)
			return false
		}
	case 1:
		if !m.entry.granted && cx.flags&fCancelPending == 0 {
			return false
		}
		cx.resume()
		if cx.delivered() {
			return m.Fail(ErrCancelled) // a granted slot is given back when the task ends
		}
	}
	m.State = 2
	if !m.c.Poll(cx) {
		return false
	}
	return m.Return(m.c.Outcome(cx))
}

func (m *gate[T]) CoroName() string { return m.c.m.CoroName() }

// Where reports where the child is suspended.
func (m *gate[T]) Where() string {
	if m.State == 2 {
		return m.c.Where()
	}
	return ""
}

// GoIn spawns c as a child of g once the group has a free slot (SetLimit),
// as errgroup.Group.Go does: awaiting it waits, without blocking the loop,
// until fewer than the limit's children run, then spawns the task and
// returns it. Without a limit it returns at once. If the awaiting task is
// cancelled while it waits, c is not spawned.
//
//	for _, u := range urls {
//		rt.Await(rt.GoIn(g, Fetch(u))) // at most n fetches at a time
//	}
func GoIn[T any](g *TaskGroup, c Coro[T]) Spawning[T] { return Spawning[T]{g, c} }

// Spawning is the awaitable GoIn returns.
type Spawning[T any] struct {
	g *TaskGroup
	c Coro[T]
}

// Poll waits for a slot and spawns the child (the await protocol).
func (s Spawning[T]) Poll(cx *Ctx) bool {
	g := s.g
	if !cx.resumed() {
		l := g.spawnLoop(cx, "GoIn")
		if !g.full() {
			t := SpawnOn(l, s.c)
			g.active++
			g.adopt(&t.Ctx, true, false)
			return true
		}
		e := &slotEntry{cx: cx, g: g}
		g.queue.push(e)
		cx.suspend(e)
		return false
	}
	e := cx.extra.waitsOn.(*slotEntry)
	if !e.granted && cx.flags&fCancelPending == 0 {
		return false
	}
	cx.resume()
	if cx.flags&fCancelDelivered != 0 {
		if e.granted {
			g.release()
		}
		return true
	}
	t := SpawnOn(g.loop, s.c)
	g.adopt(&t.Ctx, true, true)
	return true
}

// Outcome returns the spawned task.
func (s Spawning[T]) Outcome(cx *Ctx) (*Task[T], error) {
	if cx.delivered() {
		return nil, ErrCancelled
	}
	return s.c.slot, nil
}

// Run runs body in the awaiting task as the group's body, then waits for
// the children (asyncio's `async with TaskGroup() as g:` block). It fails
// with the joined errors of the children and of the body, with ErrCancelled
// if the task was cancelled from outside and nothing failed, or with a
// panic of the body or of a child. See TaskGroup.
func (g *TaskGroup) Run(body Coro[Void]) Coro[Void] {
	c := new(WithTask[Void, groupRun])
	c.M.g, c.M.body, c.M.hasBody = g, body, true
	return NewCoro[Void](&c.M, &c.Task)
}

// Wait waits for the children (the end of asyncio's `async with` block)
// and fails as Run does, without a body error of its own. Await it in the
// task that spawned the children, once.
func (g *TaskGroup) Wait() Coro[Void] {
	c := new(WithTask[Void, groupRun])
	c.M.g = g
	return NewCoro[Void](&c.M, &c.Task)
}

type groupRun struct {
	Frame[Void]
	g       *TaskGroup
	body    Coro[Void]
	hasBody bool
	bodyErr error
}

const (
	groupStateBody = 1 + iota
	groupStateWait
)

func (m *groupRun) Poll(cx *Ctx) bool {
	g := m.g
	switch m.State {
	case StateDone:
		return PolledAfterDone(m.CoroName())
	case 0:
		what := "TaskGroup.Wait"
		if m.hasBody {
			what = "TaskGroup.Run"
		}
		if g.state != groupOpen || g.waiter != nil {
			panic("rt: " + what + " of a TaskGroup that is already being waited for or has finished")
		}
		g.bind(cx, what)
		if !m.hasBody {
			break
		}
		m.State = groupStateBody
		fallthrough
	case groupStateBody:
		if !m.pollBody(cx) {
			return false
		}
		if m.bodyErr != nil {
			g.abort()
		}
	case groupStateWait:
		if g.pending > 0 {
			return false
		}
		g.waiter = nil
		cx.resume()
		return m.finish(cx, cx.delivered())
	}
	g.state = groupWaiting
	if g.pending == 0 {
		return m.finish(cx, false)
	}
	g.waiter = cx
	m.State = groupStateWait
	cx.suspend(g)
	return false
}

// pollBody polls the body; a panic escaping it is its failure, so that the
// children are still cancelled and awaited.
func (m *groupRun) pollBody(cx *Ctx) (done bool) {
	defer func() {
		if r := recover(); r != nil {
			cx.abandonWait()
			m.bodyErr = newPanicked(r)
			done = true
		}
	}()
	if !m.body.Poll(cx) {
		return false
	}
	_, m.bodyErr = m.body.Outcome(cx)
	return true
}

func (m *groupRun) finish(cx *Ctx, cancelled bool) bool {
	g := m.g
	g.state = groupFinished
	if m.bodyErr != nil && isCancelled(m.bodyErr) {
		cancelled = true
	}
	if g.parentCancelled {
		g.parentCancelled = false
		if !cx.uncancel(g.base) {
			cancelled = false // the group's own cancellation of the body
		}
	}
	switch {
	case IsPanic(m.bodyErr):
		return m.Fail(m.bodyErr)
	case g.panic != nil:
		return m.Fail(g.panic)
	}
	errs := g.errs
	if m.bodyErr != nil && !isCancelled(m.bodyErr) {
		errs = append(errs, m.bodyErr)
	}
	switch {
	case len(errs) > 0:
		return m.Fail(errors.Join(errs...))
	case cancelled:
		return m.Fail(ErrCancelled)
	}
	return m.Complete(Void{})
}

// cancelWait: the body's task was cancelled while waiting for the
// children, which are cancelled; it resumes when they all have finished.
func (g *TaskGroup) cancelWait(cx *Ctx) {
	g.abort()
	if g.pending == 0 {
		cx.schedule()
	}
}

func (m *groupRun) CoroName() string {
	if m.hasBody {
		return "rt.TaskGroup.Run"
	}
	return "rt.TaskGroup.Wait"
}

// Where reports where the body is suspended.
func (m *groupRun) Where() string {
	if m.State == groupStateBody {
		return m.body.Where()
	}
	return ""
}
