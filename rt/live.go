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
// It counts a task from its spawn but lists it only when the task suspends
// on something that does not know its waiters' tasks (a lock, a future,
// another task, a socket: see Ctx.suspend), or spawns an eager task. Every
// other unfinished task is where liveTasks finds it: in the ready queue (not
// started yet, or yielding with Sleep(0), or woken), in the timer heap
// (asleep), or running (l.current). So a task that finishes in its first
// poll, as most spawned-and-gathered tasks do, or that only sleeps, as the
// sleepers of the benchmarks do, never touches the list, and costs it no
// slot.
type liveSet struct {
	// blocks hold the linked tasks at positions 0..linked-1, in no order;
	// a task keeps its position (liveIdx), so unlinking moves the last task
	// into its place rather than touching neighbours. Blocks rather than one
	// array, so that growing copies nothing.
	blocks []*liveBlock
	linked int
	n      int // every unfinished task, linked or not
}

const liveBlockLen = 512 // 4 KiB of slots

type liveBlock [liveBlockLen]*Ctx

func (ll *liveSet) at(i int) **Ctx { return &ll.blocks[uint(i)/liveBlockLen][uint(i)%liveBlockLen] }

// link puts a running task on the list, if it is not on it yet.
func (ll *liveSet) link(cx *Ctx) {
	if cx.flags&fLinked != 0 {
		return
	}
	cx.flags |= fLinked
	if ll.linked == len(ll.blocks)*liveBlockLen {
		ll.blocks = append(ll.blocks, new(liveBlock))
	}
	cx.liveIdx = uint32(ll.linked)
	*ll.at(ll.linked) = cx
	ll.linked++
}

// finished counts cx out, taking it off the list if it was on it.
func (ll *liveSet) finished(cx *Ctx) {
	ll.n--
	if cx.flags&fLinked == 0 {
		return
	}
	cx.flags &^= fLinked
	ll.linked--
	end := ll.at(ll.linked)
	if i := cx.liveIdx; int(i) != ll.linked {
		last := *end
		*ll.at(int(i)) = last
		last.liveIdx = i
	}
	*end = nil
	trimBlocks(&ll.blocks, ll.linked, liveBlockLen)
}

// trimBlocks gives back the last of the blocks of per slots that hold n
// entries once two blocks are empty: a burst does not keep its slots for
// good, and a count that hovers at a block's edge does not allocate one
// block over and over. The live list and the timer heap use it.
func trimBlocks[B any](blocks *[]*B, n, per int) {
	if bs := *blocks; n <= (len(bs)-2)*per {
		bs[len(bs)-1] = nil
		*blocks = bs[:len(bs)-1]
	}
}

// liveTasks returns the loop's unfinished tasks, oldest (first spawned)
// first.
func (l *Loop) liveTasks() []*Ctx {
	out := make([]*Ctx, 0, l.live.n)
	for i := range l.live.linked {
		out = append(out, *l.live.at(i))
	}
	unlisted := func(cx *Ctx) bool { return cx.flags&(fLinked|fDone) == 0 }
	for cx := range l.ready.all() {
		if cx != &l.callMark && unlisted(cx) {
			out = append(out, cx) // not started, yielding or woken
		}
	}
	for i := range l.timers.len() {
		if cx := l.timers.at(i).task(); cx != nil && unlisted(cx) {
			out = append(out, cx) // asleep
		}
	}
	if cx := l.current; cx != nil && unlisted(cx) {
		out = append(out, cx) // running
	}
	// Ids count spawns; a loop that spawned more than 2³² tasks may
	// misorder its oldest ones. A task is in one place only, but a list
	// that names a task twice would be worse than a compaction.
	slices.SortFunc(out, func(a, b *Ctx) int { return cmp.Compare(a.id, b.id) })
	return slices.Compact(out)
}
