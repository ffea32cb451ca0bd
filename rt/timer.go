package rt

// timer is an entry of the loop's timer heap: a task's Sleep (cx set) or a
// CallLater callback (fn set). Timers with equal deadlines fire in the order
// they were set (seq).
type timer struct {
	when int64 // loop time in nanoseconds
	seq  uint64
	idx  int // position in the heap, -1 when not in it
	cx   *Ctx
	fn   func()
}

// timerHeap is a 4-ary min-heap ordered by (when, seq).
type timerHeap []*timer

func (h timerHeap) less(i, j int) bool {
	a, b := h[i], h[j]
	return a.when < b.when || a.when == b.when && a.seq < b.seq
}

func (h timerHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx = i
	h[j].idx = j
}

func (h *timerHeap) push(t *timer) {
	t.idx = len(*h)
	*h = append(*h, t)
	h.up(t.idx)
}

func (h *timerHeap) remove(t *timer) {
	i := t.idx
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

// TimerHandle is a callback scheduled with CallLater.
type TimerHandle struct {
	t    timer
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
