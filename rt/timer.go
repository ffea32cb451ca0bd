package rt

import (
	"slices"
	"time"
	"unsafe"
)

// timer is a task's Sleep timer (embedded in its Ctx) or a CallLater
// callback's (embedded first in a TimerHandle): its position in the loop's
// timer heap. What the heap orders by is in the heap's own slots
// (timerSlot), so that every task carries 4 bytes rather than 16, and
// comparing two timers reads no task.
type timer struct {
	idx int32 // position in the heap, -1 when not in it
}

// timerSlot is a slot of the timer heap. Timers with equal deadlines fire in
// the order they were set.
type timerSlot struct {
	when int64 // loop time in nanoseconds
	// seq is the order of setting shifted left by one (renumbered before it
	// wraps, see renumber); its low bit is taskTimer. Orders are unique, so
	// comparing whole seqs compares orders.
	seq uint32
	t   *timer
}

// taskTimer marks the timer embedded in a Ctx; a callback's has the bit
// clear.
const taskTimer = 1

// maxTimerOrder is the last order a timer can get before renumbering.
const maxTimerOrder = 1<<31 - 1

// task returns the task whose Ctx embeds the slot's timer, or nil for a
// callback's.
func (s *timerSlot) task() *Ctx {
	if s.seq&taskTimer == 0 {
		return nil
	}
	return (*Ctx)(unsafe.Add(unsafe.Pointer(s.t), -int(unsafe.Offsetof(Ctx{}.timer))))
}

// handle returns the TimerHandle of a callback's timer. The timer is the
// handle's first field, so the two share an address.
func (t *timer) handle() *TimerHandle { return (*TimerHandle)(unsafe.Pointer(t)) }

// timerHeap is a 4-ary min-heap ordered by (when, seq). It is stored in
// blocks of timerBlockLen slots rather than one array, so that growing it
// copies nothing: a million sleepers set at once would otherwise leave the
// heap's old arrays behind and pay up to twice its slots (in the memory a
// sleeper costs, as the peers measure it).
type timerHeap struct {
	blocks []*timerBlock
	n      int
}

const timerBlockLen = 256 // 6 KiB of slots

type timerBlock [timerBlockLen]timerSlot

func (h *timerHeap) len() int { return h.n }

func (h *timerHeap) at(i int) *timerSlot {
	return &h.blocks[uint(i)/timerBlockLen][uint(i)%timerBlockLen]
}

// min returns the slot of the timer that fires first; the heap must not be
// empty.
func (h *timerHeap) min() *timerSlot { return &h.blocks[0][0] }

// when returns the deadline of t, which must be in the heap.
func (h *timerHeap) when(t *timer) int64 { return h.at(int(t.idx)).when }

// put stores s at position i.
func (h *timerHeap) put(i int, s timerSlot) {
	*h.at(i) = s
	s.t.idx = int32(i)
}

func less(a, b *timerSlot) bool {
	return a.when < b.when || a.when == b.when && a.seq < b.seq
}

func (h *timerHeap) push(s timerSlot) {
	if h.n == len(h.blocks)*timerBlockLen {
		h.blocks = append(h.blocks, new(timerBlock))
	}
	h.n++
	h.up(h.n-1, s)
}

func (h *timerHeap) remove(t *timer) {
	i := int(t.idx)
	if i < 0 {
		return
	}
	h.n--
	end := h.at(h.n)
	last := *end
	*end = timerSlot{}
	t.idx = -1
	if i != h.n {
		// The last timer fills the hole, moving whichever way it must.
		if i > 0 && less(&last, h.at((i-1)/4)) {
			h.up(i, last)
		} else {
			h.down(i, last)
		}
	}
	trimBlocks(&h.blocks, h.n, timerBlockLen) // a million sleepers do not keep 24 MB for good
}

// up places s, which belongs at or above the empty position i.
func (h *timerHeap) up(i int, s timerSlot) {
	for i > 0 {
		p := (i - 1) / 4
		ps := h.at(p)
		if !less(&s, ps) {
			break
		}
		h.put(i, *ps)
		i = p
	}
	h.put(i, s)
}

// down places s, which belongs at or below the empty position i.
func (h *timerHeap) down(i int, s timerSlot) {
	for {
		c := 4*i + 1
		if c >= h.n {
			break
		}
		m, ms := c, h.at(c)
		for k := c + 1; k < c+4 && k < h.n; k++ {
			if ks := h.at(k); less(ks, ms) {
				m, ms = k, ks
			}
		}
		if !less(ms, &s) {
			break
		}
		h.put(i, *ms)
		i = m
	}
	h.put(i, s)
}

// all returns the slots, in heap order.
func (h *timerHeap) all() []timerSlot {
	out := make([]timerSlot, h.n)
	for i := range out {
		out[i] = *h.at(i)
	}
	return out
}

// renumber gives the timers the orders 1..n in firing order, so that the
// loop's 31-bit counter can start again from n without changing any
// order. A sorted array is a valid heap. It runs once per 2³¹ timers.
func (h *timerHeap) renumber() {
	ss := h.all()
	slices.SortFunc(ss, func(a, b timerSlot) int {
		switch {
		case less(&a, &b):
			return -1
		case less(&b, &a):
			return 1
		}
		return 0
	})
	for i, s := range ss {
		s.seq = uint32(i+1)<<1 | s.seq&taskTimer
		h.put(i, s)
	}
}

// TimerHandle is a callback scheduled with CallLater.
type TimerHandle struct {
	t    timer // first: see timer.handle
	when int64
	fn   func()
	loop *Loop
}

// When returns the loop time the callback is (or was) due at (asyncio's
// TimerHandle.when).
func (h *TimerHandle) When() time.Duration { return time.Duration(h.when) }

// arm sets the callback to run at loop time when.
func (h *TimerHandle) arm(when int64) {
	h.when = when
	h.loop.pushTimer(&h.t, when, 0)
}

// Cancel stops the callback from running; it reports whether it was still
// pending.
func (h *TimerHandle) Cancel() bool {
	if h.t.idx < 0 {
		return false
	}
	h.loop.timers.remove(&h.t)
	return true
}
