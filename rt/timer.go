package rt

import (
	"slices"
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

// timerHeap is a 4-ary min-heap ordered by (when, seq).
type timerHeap []*timer

func (h timerHeap) less(i, j int) bool {
	a, b := h[i], h[j]
	return a.when < b.when || a.when == b.when && a.seq < b.seq
}

func (h timerHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx = int32(i)
	h[j].idx = int32(j)
}

func (h *timerHeap) push(t *timer) {
	if len(*h) == cap(*h) {
		h.grow()
	}
	t.idx = int32(len(*h))
	*h = append(*h, t)
	h.up(int(t.idx))
}

// grow doubles the heap's capacity. append grows a large slice by only
// 1.25×, leaving four times the final array behind as garbage while a
// million sleepers are set; doubling leaves one.
func (h *timerHeap) grow() {
	nh := make(timerHeap, len(*h), max(64, 2*cap(*h)))
	copy(nh, *h)
	*h = nh
}

func (h *timerHeap) remove(t *timer) {
	i := int(t.idx)
	if i < 0 {
		return
	}
	last := len(*h) - 1
	if i != last {
		h.swap(i, last)
	}
	(*h)[last] = nil
	*h = (*h)[:last]
	t.idx = -1
	if i != last {
		h.down(i)
		h.up(i)
	}
}

func (h timerHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 4
		if !h.less(i, p) {
			return
		}
		h.swap(i, p)
		i = p
	}
}

func (h timerHeap) down(i int) {
	n := len(h)
	for {
		c := 4*i + 1
		if c >= n {
			return
		}
		m := c
		for k := c + 1; k < c+4 && k < n; k++ {
			if h.less(k, m) {
				m = k
			}
		}
		if !h.less(m, i) {
			return
		}
		h.swap(i, m)
		i = m
	}
}

// renumber gives the timers the orders 1..n in firing order, so that the
// loop's 31-bit counter can start again from n without changing any
// order. A sorted slice is a valid heap. It runs once per 2³² timers.
func (h timerHeap) renumber() {
	slices.SortFunc(h, func(a, b *timer) int {
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
	for i, t := range h {
		t.idx, t.seq = int32(i), uint32(i+1)<<1|t.seq&taskTimer
	}
}

// TimerHandle is a callback scheduled with CallLater.
type TimerHandle struct {
	t    timer // first: see timer.handle
	fn   func()
	loop *Loop
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
