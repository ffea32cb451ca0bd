package rt

import "iter"

// ring is a FIFO ring buffer that grows by doubling and never shrinks, so a
// loop in steady state does not allocate to schedule. The loop keeps its
// callbacks in one (ring[func()]); ready tasks are in a readyQueue.
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

// readyQueue is the FIFO of ready tasks: a list of fixed blocks rather than
// a doubling ring, because a burst of spawns makes every new task ready at
// once, and a ring would hold up to twice their number of slots plus its
// old arrays, in the memory a sleeper costs. A queue that empties starts
// again at the front of its block, so a loop in steady state stays in one
// block and never allocates; one drained block is kept spare. It is written
// out for *Ctx, not generic, so that push and pop inline into the loop's
// hot path.
type readyQueue struct {
	head, tail *readyBlock
	hi, ti     int // next slot to pop in head, to push in tail
	n          int
	spare      *readyBlock
}

// readyBlockLen is the slots of a block: with its link, 4 KiB.
const readyBlockLen = 511

type readyBlock struct {
	next  *readyBlock
	slots [readyBlockLen]*Ctx
}

func (q *readyQueue) len() int { return q.n }

func (q *readyQueue) push(cx *Ctx) {
	if q.tail == nil || q.ti == readyBlockLen {
		q.addBlock()
	}
	q.tail.slots[q.ti] = cx
	q.ti++
	q.n++
}

func (q *readyQueue) pop() *Ctx {
	cx := q.head.slots[q.hi]
	q.head.slots[q.hi] = nil // let the GC have it
	q.hi++
	q.n--
	if q.n == 0 {
		q.hi, q.ti = 0, 0 // empty, so head == tail: back to its front
	} else if q.hi == readyBlockLen {
		q.dropHead()
	}
	return cx
}

// all yields the queue's entries, first to pop first.
func (q *readyQueue) all() iter.Seq[*Ctx] {
	return func(yield func(*Ctx) bool) {
		for b, i, left := q.head, q.hi, q.n; left > 0; b, i = b.next, 0 {
			for ; i < readyBlockLen && left > 0; i++ {
				if !yield(b.slots[i]) {
					return
				}
				left--
			}
		}
	}
}

func (q *readyQueue) addBlock() {
	b := q.spare
	if b != nil {
		q.spare = nil
	} else {
		b = new(readyBlock)
	}
	if q.tail == nil {
		q.head = b
	} else {
		q.tail.next = b
	}
	q.tail, q.ti = b, 0
}

// dropHead moves on to the next block, keeping the drained one as spare.
func (q *readyQueue) dropHead() {
	b := q.head
	q.head, q.hi = b.next, 0
	b.next = nil
	q.spare = b
}
