package rt

import (
	"slices"
	"time"
	"unsafe"
)

// timer is an entry of the loop's timer heap: a task's Sleep (the timer
// embedded in the task's Ctx, taskTimer set in seq) or a CallLater callback
// (the timer embedded first in a TimerHandle). Timers with equal deadlines
// fire in the order they were set. It is kept small because every task
// carries one: 16 bytes, the owner told by a bit rather than a pointer.
type timer struct {
	when int64 // loop time in nanoseconds
	// seq is the order of setting shifted left by one (renumbered before it
	// wraps, see renumber); its low bit is taskTimer. Orders are unique, so
	// comparing whole seqs compares orders.
	seq uint32
	idx int32 // position in the heap, -1 when not in it
}

// taskTimer marks the timer embedded in a Ctx.
const taskTimer = 1

// maxTimerOrder is the last order a timer can get before renumbering.
const maxTimerOrder = 1<<31 - 1

// task returns the task whose Ctx embeds t, or nil for a callback's timer.
func (t *timer) task() *Ctx {
	if t.seq&taskTimer == 0 {
		return nil
	}
	return (*Ctx)(unsafe.Add(unsafe.Pointer(t), -int(unsafe.Offsetof(Ctx{}.timer))))
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

const timerBlockLen = 512 // 4 KiB of slots

type timerBlock [timerBlockLen]*timer

func (h *timerHeap) len() int { return h.n }

func (h *timerHeap) at(i int) *timer { return h.blocks[uint(i)/timerBlockLen][uint(i)%timerBlockLen] }

// min returns the timer that fires first; the heap must not be empty.
func (h *timerHeap) min() *timer { return h.blocks[0][0] }

// put stores t at position i.
func (h *timerHeap) put(i int, t *timer) {
	h.blocks[uint(i)/timerBlockLen][uint(i)%timerBlockLen] = t
	t.idx = int32(i)
}

func (h *timerHeap) less(a, b *timer) bool {
	return a.when < b.when || a.when == b.when && a.seq < b.seq
}

func (h *timerHeap) push(t *timer) {
	if h.n == len(h.blocks)*timerBlockLen {
		h.blocks = append(h.blocks, new(timerBlock))
	}
	h.n++
	h.up(h.n-1, t)
}

func (h *timerHeap) remove(t *timer) {
	i := int(t.idx)
	if i < 0 {
		return
	}
	h.n--
	last := h.at(h.n)
	h.blocks[uint(h.n)/timerBlockLen][uint(h.n)%timerBlockLen] = nil
	t.idx = -1
	if i != h.n {
		// The last timer fills the hole, moving whichever way it must.
		if i > 0 && h.less(last, h.at((i-1)/4)) {
			h.up(i, last)
		} else {
			h.down(i, last)
		}
	}
}

// up places t, which belongs at or above the empty position i.
func (h *timerHeap) up(i int, t *timer) {
	for i > 0 {
		p := (i - 1) / 4
		pt := h.at(p)
		if !h.less(t, pt) {
			break
		}
		h.put(i, pt)
		i = p
	}
	h.put(i, t)
}

// down places t, which belongs at or below the empty position i.
func (h *timerHeap) down(i int, t *timer) {
	for {
		c := 4*i + 1
		if c >= h.n {
			break
		}
		m, mt := c, h.at(c)
		for k := c + 1; k < c+4 && k < h.n; k++ {
			if kt := h.at(k); h.less(kt, mt) {
				m, mt = k, kt
			}
		}
		if !h.less(mt, t) {
			break
		}
		h.put(i, mt)
		i = m
	}
	h.put(i, t)
}

// all returns the timers, in heap order.
func (h *timerHeap) all() []*timer {
	out := make([]*timer, h.n)
	for i := range out {
		out[i] = h.at(i)
	}
	return out
}

// renumber gives the timers the orders 1..n in firing order, so that the
// loop's 31-bit counter can start again from n without changing any
// order. A sorted array is a valid heap. It runs once per 2³¹ timers.
func (h *timerHeap) renumber() {
	ts := h.all()
	slices.SortFunc(ts, func(a, b *timer) int {
		switch {
		case a.when != b.when:
			if a.when < b.when {
				return -1
			}
			return 1
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
	for i, t := range ts {
		t.seq = uint32(i+1)<<1 | t.seq&taskTimer
		h.put(i, t)
	}
}

// TimerHandle is a callback scheduled with CallLater.
type TimerHandle struct {
	t    timer // first: see timer.handle
	fn   func()
	loop *Loop
}

// When returns the loop time the callback is (or was) due at (asyncio's
// TimerHandle.when).
func (h *TimerHandle) When() time.Duration { return time.Duration(h.t.when) }

// Cancel stops the callback from running; it reports whether it was still
// pending.
func (h *TimerHandle) Cancel() bool {
	if h.t.idx < 0 {
		return false
	}
	h.loop.timers.remove(&h.t)
	return true
}
