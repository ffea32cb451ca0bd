package rt

import "fmt"

// Ctx is a task as the loop and generated code see it: the part of a
// Task[T] that does not depend on T. Generated Poll methods receive the
// running task's Ctx; leaf awaitables (sleeps, futures, other tasks) use it
// to register the wake-up and to deliver a cancellation.
type Ctx struct {
	loop    *Loop
	root    anyMachine // the machine this task drives
	fail    error      // an outcome decided outside the machine: a panic it let escape, or a cancellation before it ran
	leaf    waitTarget // what the task is suspended on; nil while it runs
	node    waitNode   // links the task into the waiters of a task or future it awaits
	waiters *waitNode  // who waits for this task to finish, most recent first
	timer   timer      // the timer of a Sleep this task is suspended in
	prev    *Ctx       // the loop's list of live tasks
	next    *Ctx
	id      uint32
	flags   ctxFlags
}

// anyMachine is Machine[T] without T.
type anyMachine interface {
	Poll(cx *Ctx) bool
	Err() error
	CoroName() string
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
)

// waitTarget is the leaf an await is suspended on.
type waitTarget interface {
	// cancelWait asks the target to end cx's wait early because cx was
	// cancelled: a sleep wakes at once, a task or future is cancelled.
	cancelWait(cx *Ctx)
}

// waker is woken when what it waits for completes.
type waker interface{ wake() }

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
	if cx.loop != nil {
		if n, ok := cx.loop.names[cx]; ok {
			return n
		}
	}
	return fmt.Sprintf("Task-%d", cx.id)
}

// SetName names the task (asyncio's Task.set_name).
func (cx *Ctx) SetName(name string) {
	if cx.loop.names == nil {
		cx.loop.names = make(map[*Ctx]string)
	}
	cx.loop.names[cx] = name
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
	if cx.leaf != nil && cx.flags&fScheduled == 0 {
		cx.leaf.cancelWait(cx)
	}
	return true
}

// schedule appends the task to the ready queue unless it is already there.
func (cx *Ctx) schedule() {
	if cx.flags&(fScheduled|fDone) != 0 {
		return
	}
	cx.flags |= fScheduled
	cx.loop.ready.push(entry{cx: cx})
}

func (cx *Ctx) wake() { cx.schedule() }

// suspend records the leaf the task now waits on. A cancellation requested
// while the task was running is passed on to the leaf at once, as asyncio
// cancels the future a task yields when it must cancel.
func (cx *Ctx) suspend(leaf waitTarget) {
	cx.leaf = leaf
	if cx.flags&fCancelPending != 0 {
		leaf.cancelWait(cx)
	}
}

// resume ends the wait at a leaf when the task runs again. It reports
// whether the leaf must fail with ErrCancelled (the pending cancellation is
// delivered here, once).
func (cx *Ctx) resume() {
	cx.leaf = nil
	if cx.flags&fCancelPending != 0 {
		cx.flags = cx.flags&^fCancelPending | fCancelDelivered
	}
}

// resumed reports whether the task is resuming at a leaf await (true) or
// reaching it for the first time (false).
func (cx *Ctx) resumed() bool { return cx.leaf != nil }

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

// wakeAll wakes every node of the list in the order they were added.
func wakeAll(head *waitNode) {
	var rev *waitNode
	for head != nil {
		next := head.next
		head.next = rev
		rev, head = head, next
	}
	for rev != nil {
		next := rev.next
		rev.next = nil
		rev.w.wake()
		rev = next
	}
}
