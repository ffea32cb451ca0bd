package rt

import "fmt"

// Ctx is a task as the loop and generated code see it: the part of a
// Task[T] that does not depend on T. Generated Poll methods receive the
// running task's Ctx; leaf awaitables (sleeps, futures, other tasks) use it
// to register the wake-up and to deliver a cancellation.
//
// Every task carries one, so it is kept to 64 bytes: a task and a
// machine of up to 32 bytes (a Frame[int] and a word, or a Frame[Void] and
// two) fit a 96-byte allocation, and one of up to 48 bytes a 112-byte one.
// What a suspended await waits on (see leaf) is therefore not a field: a
// sleep's is the task's own timer, any other's is in the extra state. The
// timer's deadline is in the loop's timer heap, and the list of live tasks
// is the loop's array, of which the task keeps its index.
type Ctx struct {
	loop    *Loop
	root    anyMachine // the machine this task drives
	waiters *waitNode  // who waits for this task to finish, most recent first
	extra   *ctxExtra  // what few tasks need: a panic, a name
	// awaiter is the task awaiting the coroutine in place (Coro.Poll)
	// while it is not spawned (loop == nil); nil once it is.
	awaiter *Ctx
	id      uint32
	flags   ctxFlags
	timer   timer  // a Sleep's (or a Wait's time limit) while this task is suspended in one
	liveIdx uint32 // position in the loop's list of live tasks while fLinked (live.go)
}

// ctxExtra holds a task's rarely used state, allocated on first use.
type ctxExtra struct {
	panic *panicked // a panic the machine let escape, recovered by the loop
	name  string    // set by SetName
	// cancels counts Cancel requests once a timeout scope or a task group
	// watches the task (asyncio's Task.cancelling), so that they can tell
	// their own cancellation from an outside one (see uncancel).
	cancels int
	// unretrieved reports the task's error if it is never retrieved.
	unretrieved *unretrieved
	// wnode links the task into the waiters of a task, future or shield
	// it awaits (see waiterNode).
	wnode waitNode
	// waitsOn is what a suspended await other than a sleep waits on (see
	// leaf): a task waiting on anything but a sleep or a coroutine has
	// extra state, allocated on its first such wait.
	waitsOn waitTarget
}

// leaf is what the task's suspended await waits on, for Cancel to reach:
// its own timer while it sleeps (fSleeping), else what suspend recorded,
// or nil (a running task; Sleep(0), which waits on nothing but the ready
// queue).
func (cx *Ctx) leaf() waitTarget {
	switch {
	case cx.flags&fSleeping != 0:
		return &cx.timer
	case cx.extra != nil && cx.extra.waitsOn != nil:
		return cx.extra.waitsOn
	}
	return nil
}

// clearLeaf forgets the leaf.
func (cx *Ctx) clearLeaf() {
	cx.flags &^= fSleeping
	if cx.extra != nil {
		cx.extra.waitsOn = nil
	}
}

// anyMachine is Machine[T] without T.
type anyMachine interface {
	Poll(cx *Ctx) bool
	Err() error
	CoroName() string
	// storeResult stores the value of a machine that completed in dst, a
	// *T, or returns its failure: it lets Gather read a task's result
	// without asserting the task's machine to Machine[T] (a getitab per
	// task).
	storeResult(dst any) error
}

type ctxFlags uint32

const (
	fScheduled       ctxFlags = 1 << iota // in the ready queue
	fStarted                              // polled at least once (or cancelled before it could be)
	fDone                                 // finished; the outcome is in the machine
	fCancelPending                        // Cancel requested, not yet delivered at an await
	fCancelDelivered                      // the leaf await ends in ErrCancelled
	fCancelled                            // finished by a cancellation
	fRetrieved                            // its outcome was read or awaited
	fWaiting                              // suspended at a leaf await: the next poll resumes it
	fFailCancelled                        // failed with ErrCancelled decided outside the machine (before it ran, or undelivered when it returned)
	fLinked                               // on the loop's list of live tasks (live.go)
	fSleeping                             // suspended in a Sleep with a timer: the timer is its leaf
)

// waitTarget is the leaf an await is suspended on.
type waitTarget interface {
	// cancelWait asks the target to end cx's wait early because cx was
	// cancelled: a sleep wakes at once, a task or future is cancelled.
	cancelWait(cx *Ctx)
}

// waker is woken when what it waits for completes: from is the task that
// finished (nil for a future), which a gather's node, shared by its tasks,
// needs to know.
type waker interface{ wake(from *Ctx) }

// waitNode links a waker into the waiters of a task or future, most recent
// first. A list's last node may end other lists too (see gather.node).
type waitNode struct {
	next *waitNode
	w    waker
}

// Loop returns the loop the task runs on.
func (cx *Ctx) Loop() *Loop { return cx.loop }

// Done reports whether the task has finished (returned, failed, or unwound
// after a cancellation).
func (cx *Ctx) Done() bool { return cx.flags&fDone != 0 }

// Cancelled reports whether the task finished by cancellation.
func (cx *Ctx) Cancelled() bool { return cx.flags&fCancelled != 0 }

// Name returns the task's name: "Task-<n>" unless SetName gave it one.
func (cx *Ctx) Name() string {
	if cx.extra != nil && cx.extra.name != "" {
		return cx.extra.name
	}
	return fmt.Sprintf("Task-%d", cx.id)
}

// SetName names the task (asyncio's Task.set_name).
func (cx *Ctx) SetName(name string) { cx.more().name = name }

func (cx *Ctx) more() *ctxExtra {
	if cx.extra == nil {
		cx.extra = new(ctxExtra)
	}
	return cx.extra
}

// Where returns the source position ("file.go:21") of the await the task is
// suspended at, innermost first, or "" when it is not suspended or the
// position is unknown.
func (cx *Ctx) Where() string {
	if w, ok := cx.root.(interface{ Where() string }); ok && cx.flags&fDone == 0 {
		return w.Where()
	}
	return ""
}

// String returns "task <name> <state>", the state being pending, running,
// done, failed or cancelled.
func (cx *Ctx) String() string { return "task " + cx.Name() + " " + cx.state() }

func (cx *Ctx) state() string {
	switch {
	case cx.flags&fCancelled != 0:
		return "cancelled"
	case cx.flags&fDone != 0:
		if cx.err() != nil {
			return "failed"
		}
		return "done"
	case cx.loop != nil && cx.loop.current == cx:
		return "running"
	}
	return "pending"
}

// Cancel requests the task's cancellation (asyncio's Task.cancel): the await
// it is suspended at, or the next one that suspends, fails with ErrCancelled,
// once. A task awaiting another task, a gather or a future cancels that
// first. Cancel returns false if the task has already finished. Done stays
// false until the task has unwound.
func (cx *Ctx) Cancel() bool {
	if cx.flags&fDone != 0 {
		return false
	}
	cx.flags |= fCancelPending
	if cx.extra != nil {
		cx.extra.cancels++
	}
	if leaf := cx.leaf(); leaf != nil && cx.flags&fScheduled == 0 {
		leaf.cancelWait(cx)
	}
	return true
}

// schedule appends the task to the ready queue unless it is already there.
func (cx *Ctx) schedule() {
	if cx.flags&(fScheduled|fDone) != 0 {
		return
	}
	cx.flags |= fScheduled
	cx.loop.ready.push(cx)
}

func (cx *Ctx) wake(*Ctx) { cx.schedule() }

// waiterNode returns the node that links the task into the waiters of a
// task, future or shield it awaits. It lives in the task's extra state,
// allocated on the task's first such await (or SetName, or panic) and kept:
// most tasks never await one (they await coroutines in place, sleeps and
// gathers), and a word in every Ctx would push a small task (a 32-byte
// machine, as spawn_gather's) into the next size class.
func (cx *Ctx) waiterNode() *waitNode {
	x := cx.more()
	if x.wnode.w == nil {
		x.wnode.w = cx
	}
	return &x.wnode
}

// suspend records the leaf the task now waits on. A cancellation requested
// while the task was running is passed on to the leaf at once, as asyncio
// cancels the future a task yields when it must cancel.
func (cx *Ctx) suspend(leaf waitTarget) {
	if leaf == waitTarget(&cx.timer) {
		// The timer is in the Ctx: no extra state (see leaf), and the
		// task is found in the timer heap (see liveSet).
		cx.flags |= fSleeping
	} else {
		cx.more().waitsOn = leaf
		cx.loop.live.link(cx)
	}
	cx.flags |= fWaiting
	if cx.flags&fCancelPending != 0 {
		leaf.cancelWait(cx)
	}
}

// yield suspends the task for one turn of the loop (Sleep(0)): it is
// already in the ready queue, so a cancellation has nothing to end early
// and the task needs no leaf.
func (cx *Ctx) yield() {
	cx.schedule()
	cx.flags |= fWaiting
}

// resume ends the wait at a leaf when the task runs again; a pending
// cancellation is delivered here, once (see delivered).
func (cx *Ctx) resume() {
	cx.clearLeaf()
	cx.flags &^= fWaiting
	if cx.flags&fCancelPending != 0 {
		cx.flags = cx.flags&^fCancelPending | fCancelDelivered
	}
}

// abandonWait forgets the wait at a leaf without delivering anything: a
// panic unwound the machine past its await.
func (cx *Ctx) abandonWait() {
	cx.clearLeaf()
	cx.flags &^= fWaiting
}

// resumed reports whether the task is resuming at a leaf await (true) or
// reaching it for the first time (false).
func (cx *Ctx) resumed() bool { return cx.flags&fWaiting != 0 }

// delivered reports, once, whether the leaf await just resumed must fail
// with ErrCancelled.
func (cx *Ctx) delivered() bool {
	if cx.flags&fCancelDelivered == 0 {
		return false
	}
	cx.flags &^= fCancelDelivered
	return true
}

// addWaiter links n into the list of wakers of a task or future.
func addWaiter(head **waitNode, n *waitNode) {
	n.next = *head
	*head = n
}

// removeWaiter unlinks n if it is in the list.
func removeWaiter(head **waitNode, n *waitNode) {
	for p := head; *p != nil; p = &(*p).next {
		if *p == n {
			*p = n.next
			n.next = nil
			return
		}
	}
}

// wakeAll wakes every node of the non-empty list head, which belonged to
// the task from (nil for a future), in the order they were added: the last
// node first. It never writes the last node's link, so that one node can be
// last in many lists (see gather.node).
func wakeAll(head *waitNode, from *Ctx) {
	var rev *waitNode
	for head.next != nil {
		next := head.next
		head.next = rev
		rev, head = head, next
	}
	head.w.wake(from)
	for rev != nil {
		next := rev.next
		rev.next = nil
		rev.w.wake(from)
		rev = next
	}
}
