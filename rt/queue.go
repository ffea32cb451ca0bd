package rt

// ring is a FIFO ring buffer that grows by doubling and never shrinks, so a
// loop in steady state does not allocate to schedule. The loop keeps two:
// ready tasks (*Ctx) and callbacks (func()); a slot of one pointer keeps
// the queue of a million ready tasks at 8 MB.
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
