package rt

// entry is one item of the ready queue: a task to step or a callback.
type entry struct {
	cx *Ctx
	fn func()
}

// readyQueue is a FIFO ring buffer that grows by doubling; it never shrinks,
// so a loop in steady state does not allocate to schedule.
type readyQueue struct {
	buf        []entry
	head, size int
}

func (q *readyQueue) len() int { return q.size }

func (q *readyQueue) push(e entry) {
	if q.size == len(q.buf) {
		q.grow()
	}
	q.buf[(q.head+q.size)&(len(q.buf)-1)] = e
	q.size++
}

func (q *readyQueue) pop() entry {
	e := q.buf[q.head]
	q.buf[q.head] = entry{}
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.size--
	return e
}

func (q *readyQueue) grow() {
	n := len(q.buf) * 2
	if n == 0 {
		n = 64
	}
	buf := make([]entry, n)
	for i := 0; i < q.size; i++ {
		buf[i] = q.buf[(q.head+i)&(len(q.buf)-1)]
	}
	q.buf, q.head = buf, 0
}
