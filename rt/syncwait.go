package rt

import "fmt"

// The waiting machinery shared by the synchronisation primitives and the
// queues (sync*.go, asyncqueue.go).
//
// A task that must wait on a primitive is appended to one of its waitLists
// as a waiter node and suspends with the node as its leaf (Ctx.leaf), so a
// cancellation reaches the node (cancelWait) and the primitive's Poll finds
// the node again when the task resumes. Nodes come from the list's own free
// list: a primitive in steady state allocates nothing to wait.
//
// A node ends its wait in one of three ways, and the task reads which when
// it resumes:
//   - granted: the primitive woke it and promised it something (the lock,
//     a permit, an item, a free slot), which the primitive counts as "in
//     transit" until the task runs: nobody else can take it meanwhile, so
//     there is no barging, and a task cancelled before it runs hands it on;
//   - woken: the primitive woke it without a promise (an event set, a
//     notify, a shutdown); the task re-checks the primitive's state;
//   - cancelled: the task was cancelled while it waited; cancelWait has
//     already unlinked it, so it leaves the line of waiters at once.
//
// Waking preserves order: nodes are woken from the head of the list, and
// woken tasks enter the loop's FIFO ready queue in that order.

type waiterState uint8

const (
	wWaiting   waiterState = iota // in its list
	wGranted                      // woken with a promise
	wWoken                        // woken without one
	wCancelled                    // unlinked by cancelWait
)

// waiter is one waiting task.
type waiter struct {
	prev, next *waiter
	cx         *Ctx
	list       *waitList
	state      waiterState

	// What a multi-step wait (Condition.Wait, Barrier.Wait) carries from
	// one step to the next.
	phase     uint8
	cancelled bool // a cancellation was delivered at an earlier step
	index     int  // Barrier.Wait: the arrival index
}

// waitList is a FIFO list of waiting tasks, doubly linked so that a
// cancelled waiter leaves it in O(1).
type waitList struct {
	head, tail *waiter
	free       *waiter // spare nodes, linked by next
	n          int

	// What its waiters wait for, for DumpTasks: op, then owner's String.
	op    string
	owner fmt.Stringer
}

func (l *waitList) empty() bool { return l.head == nil }

// len returns the number of tasks waiting (not those already woken).
func (l *waitList) len() int { return l.n }

// push appends a node for cx, which waits to op (a verb) the owner of the
// list. The caller sets the node's fields and then suspends cx on it with
// cx.suspend(w), which may cancel the wait at once.
func (l *waitList) push(cx *Ctx, op string, owner fmt.Stringer) *waiter {
	l.op, l.owner = op, owner
	w := l.free
	if w != nil {
		l.free = w.next
		w.next = nil
	} else {
		w = new(waiter)
	}
	w.cx, w.list, w.state = cx, l, wWaiting
	w.prev = l.tail
	if l.tail != nil {
		l.tail.next = w
	} else {
		l.head = w
	}
	l.tail = w
	l.n++
	return w
}

// wait appends cx to the list and suspends it there.
func (l *waitList) wait(cx *Ctx, op string, owner fmt.Stringer) {
	cx.suspend(l.push(cx, op, owner))
}

func (l *waitList) unlink(w *waiter) {
	if w.prev != nil {
		w.prev.next = w.next
	} else {
		l.head = w.next
	}
	if w.next != nil {
		w.next.prev = w.prev
	} else {
		l.tail = w.prev
	}
	w.prev, w.next = nil, nil
	l.n--
}

// wakeFirst wakes the task at the head of the list, with a promise
// (granted) or without (woken). It reports whether there was one.
func (l *waitList) wakeFirst(s waiterState) bool {
	w := l.head
	if w == nil {
		return false
	}
	l.unlink(w)
	w.state = s
	w.cx.schedule()
	return true
}

// wakeAll wakes every waiting task, in order.
func (l *waitList) wakeAll(s waiterState) {
	for l.wakeFirst(s) {
	}
}

// release returns a node to the free list once its task has resumed.
func (l *waitList) release(w *waiter) {
	*w = waiter{next: l.free}
	l.free = w
}

// String describes what the waiter waits for, as "acquire: lock locked,
// waiters:2" (for DumpTasks).
func (w *waiter) String() string {
	if w.list == nil || w.list.owner == nil {
		return ""
	}
	return w.list.op + ": " + w.list.owner.String()
}

// cancelWait: the task was cancelled while it waited. It leaves the list
// at once and wakes to be cancelled. A node already woken is left alone:
// its task is in the ready queue and finds the cancellation when it runs.
func (w *waiter) cancelWait(cx *Ctx) {
	if w.state != wWaiting {
		return
	}
	w.list.unlink(w)
	w.state = wCancelled
	cx.schedule()
}

// resumeWaiter ends cx's wait on a primitive when the task runs again. It
// returns the node, whose state tells how the wait ended, or nil if the
// task is still waiting (polled without having been woken). The caller
// releases the node to its list when it is done with it.
func resumeWaiter(cx *Ctx) *waiter {
	w := cx.extra.waitsOn.(*waiter)
	if w.state == wWaiting {
		return nil
	}
	cx.resume()
	return w
}

// cancelling reports whether the await being resumed must fail with
// ErrCancelled (cx.delivered without consuming it).
func cancelling(cx *Ctx) bool { return cx.flags&fCancelDelivered != 0 }
