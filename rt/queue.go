package rt

// ring is a FIFO ring buffer that grows by doubling and never shrinks, so a
// loop in steady state does not allocate to schedule. The loop keeps two:
// ready tasks (readyQueue) and callbacks (ring[func()]); a slot of one
// pointer keeps the queue of a million ready tasks at 8 MB.
type ring[E any] struct {
	buf        []E
	head, size int
}

func (q *ring[E]) len() int { return q.size }

func (q *ring[E]) push(e E) {
	if q.size == len(q.buf) {
		q.grow()
	}
	q.buf[(q.head+q.size)&(len(q.buf)-1)] = e
	q.size++
}

func (q *ring[E]) pop() E {
	var zero E
	e := q.buf[q.head]
	q.buf[q.head] = zero // let the GC have it
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.size--
	return e
}

func (q *ring[E]) grow() {
	n := len(q.buf) * 2
	if n == 0 {
		n = 64
	}
	buf := make([]E, n)
	for i := 0; i < q.size; i++ {
		buf[i] = q.buf[(q.head+i)&(len(q.buf)-1)]
	}
	q.buf, q.head = buf, 0
}

// readyQueue is ring[*Ctx] written out: the generic version is compiled
// for a shape shared by all pointer types, and its push and pop were not
// inlined into the loop's hot path. head and tail run freely; a slot is
// found by masking them.
type readyQueue struct {
	buf        []*Ctx
	head, tail uint
}

func (q *readyQueue) len() int { return int(q.tail - q.head) }

func (q *readyQueue) push(cx *Ctx) {
	if q.tail-q.head == uint(len(q.buf)) {
		q.grow()
	}
	q.buf[q.tail&uint(len(q.buf)-1)] = cx
	q.tail++
}

func (q *readyQueue) pop() *Ctx {
	i := q.head & uint(len(q.buf)-1)
	cx := q.buf[i]
	q.buf[i] = nil // let the GC have it
	q.head++
	return cx
}

func (q *readyQueue) grow() {
	buf := make([]*Ctx, max(64, 2*len(q.buf)))
	n := uint(0)
	for ; q.head != q.tail; n++ {
		buf[n] = q.pop()
	}
	q.buf, q.head, q.tail = buf, 0, n
}
