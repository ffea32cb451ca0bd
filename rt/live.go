package rt

import (
	"cmp"
	"slices"
)

// liveSet keeps account of a loop's unfinished tasks: how many there are
// (the loop's shutdown waits for none) and, for AllTasks, DumpTasks, the
// deadlock report, Run's shutdown (which cancels them) and Close (which
// names them), which they are.
//
// It counts a task from its spawn but links it into its list only when the
// task first suspends (or spawns an eager task): a task that finishes in its
// first poll, as most spawned-and-gathered tasks do, never touches the list.
// Linking and unlinking write seven pointers, each a write barrier while the
// garbage collector marks, which a burst of spawns keeps it doing (see
// BENCHMARKS.md, spawn_gather). The tasks not on the list are where
// liveTasks finds them: in the ready queue, not started yet, or running
// (l.current; an eager task's spawner is linked when it spawns).
type liveSet struct {
	head *Ctx // the most recently linked
	n    int  // every unfinished task, linked or not
}

// link puts a running task on the list, if it is not on it yet.
func (ll *liveSet) link(cx *Ctx) {
	if cx.flags&fLinked != 0 {
		return
	}
	cx.flags |= fLinked
	cx.next = ll.head
	if ll.head != nil {
		ll.head.prev = cx
	}
	ll.head = cx
}

// finished counts cx out, taking it off the list if it was on it.
func (ll *liveSet) finished(cx *Ctx) {
	ll.n--
	if cx.flags&fLinked == 0 {
		return
	}
	cx.flags &^= fLinked
	if cx.prev != nil {
		cx.prev.next = cx.next
	} else if ll.head == cx {
		ll.head = cx.next
	}
	if cx.next != nil {
		cx.next.prev = cx.prev
	}
	cx.prev, cx.next = nil, nil
}

// liveTasks returns the loop's unfinished tasks, oldest (first spawned)
// first.
func (l *Loop) liveTasks() []*Ctx {
	out := make([]*Ctx, 0, l.live.n)
	for cx := l.live.head; cx != nil; cx = cx.next {
		out = append(out, cx)
	}
	for cx := range l.ready.all() {
		if cx != &l.callMark && cx.flags&(fStarted|fDone) == 0 {
			out = append(out, cx) // not started yet
		}
	}
	if cx := l.current; cx != nil && cx.flags&(fLinked|fDone) == 0 {
		out = append(out, cx) // in its first poll
	}
	// Ids count spawns; a loop that spawned more than 2³² tasks may
	// misorder its oldest ones.
	slices.SortFunc(out, func(a, b *Ctx) int { return cmp.Compare(a.id, b.id) })
	return out
}
