package rt

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
)

// Errors of Queue operations (asyncio's QueueEmpty, QueueFull and
// QueueShutDown).
var (
	// ErrQueueEmpty: GetNowait found no item to take.
	ErrQueueEmpty = errors.New("rt: queue empty")
	// ErrQueueFull: PutNowait found no free slot.
	ErrQueueFull = errors.New("rt: queue full")
	// ErrQueueShutDown: a put on a queue that was shut down, or a get on a
	// queue that was shut down and has no item left for it.
	ErrQueueShutDown = errors.New("rt: queue shut down")
)

type queueKind uint8

const (
	fifoQueue queueKind = iota
	lifoQueue
	priorityQueue
)

// Queue is a queue of items for producer and consumer tasks
// (asyncio.Queue, LifoQueue and PriorityQueue). The zero value is an
// unbounded FIFO queue; NewQueue, NewLifoQueue, NewPriorityQueue and
// NewPriorityQueueFunc make the others.
//
// Get waits while the queue has no item for the task, Put while a bounded
// queue is full. Both are fair: waiting getters receive items, and waiting
// putters free slots, in the order they started waiting. An item or a slot
// handed to a woken task is kept for it until it runs, so a task that
// comes later cannot take it (asyncio lets it, and the woken task waits
// again at the back); if the woken task is cancelled before it runs, the
// item or slot goes to the next waiter, so nothing is lost. That is also
// why GetNowait can report ErrQueueEmpty while Qsize counts an item that
// is promised to a woken getter, and PutNowait ErrQueueFull while a slot is
// promised to a woken putter: for the moment between the wake-up and the
// woken task's turn.
//
// Join waits until every item put has been taken and marked done with
// TaskDone; Shutdown makes puts, and gets once the queue is empty, fail
// with ErrQueueShutDown (Python 3.13).
type Queue[T any] struct {
	kind    queueKind
	maxsize int
	cmp     func(a, b T) int // priority queues

	// The items: a ring of n items from head (FIFO) or a stack (LIFO) in
	// buf, or a heap ordered by cmp and then by the order of putting
	// (priority).
	buf  []T
	heap []prioItem[T]
	head int
	n    int
	seq  uint64

	getters, putters waitList
	reservedGet      int // items kept for woken getters
	reservedPut      int // slots kept for woken putters
	shutdown         bool

	unfinished int
	joiners    waitList
}

// NewQueue returns a FIFO queue (asyncio.Queue(maxsize)): Put waits while
// it holds maxsize items; maxsize <= 0 means unbounded.
func NewQueue[T any](maxsize int) *Queue[T] {
	return &Queue[T]{maxsize: maxsize}
}

// NewLifoQueue returns a LIFO queue (asyncio.LifoQueue): Get takes the item
// put last.
func NewLifoQueue[T any](maxsize int) *Queue[T] {
	return &Queue[T]{kind: lifoQueue, maxsize: maxsize}
}

// NewPriorityQueue returns a priority queue (asyncio.PriorityQueue): Get
// takes the smallest item; equal items come out in the order they were
// put.
func NewPriorityQueue[T cmp.Ordered](maxsize int) *Queue[T] {
	return NewPriorityQueueFunc[T](maxsize, cmp.Compare[T])
}

// NewPriorityQueueFunc returns a priority queue ordered by cmp, which
// returns a negative number when a comes first, as for slices.SortFunc: Get
// takes the item that comes first; items that compare equal come out in the
// order they were put.
func NewPriorityQueueFunc[T any](maxsize int, cmp func(a, b T) int) *Queue[T] {
	if cmp == nil {
		panic("rt: NewPriorityQueueFunc with a nil cmp")
	}
	return &Queue[T]{kind: priorityQueue, maxsize: maxsize, cmp: cmp}
}

// Qsize returns the number of items in the queue (asyncio's qsize),
// including those promised to woken getters that have not run yet.
func (q *Queue[T]) Qsize() int { return q.n }

// Maxsize returns the queue's bound; 0 or less means unbounded.
func (q *Queue[T]) Maxsize() int { return q.maxsize }

// Empty reports whether the queue holds no item.
func (q *Queue[T]) Empty() bool { return q.n == 0 }

// Full reports whether the queue holds maxsize items; never for an
// unbounded queue.
func (q *Queue[T]) Full() bool { return q.maxsize > 0 && q.n >= q.maxsize }

// IsShutDown reports whether Shutdown has been called.
func (q *Queue[T]) IsShutDown() bool { return q.shutdown }

// Get returns an awaitable that takes an item, waiting until there is one
// (asyncio's Queue.get). It fails with ErrQueueShutDown once the queue is
// shut down and has no item left for the task, and with ErrCancelled if
// the task is cancelled while waiting, taking nothing.
func (q *Queue[T]) Get() QueueGet[T] { return QueueGet[T]{q} }

// Put returns an awaitable that adds v, waiting while a bounded queue is
// full (asyncio's Queue.put). It fails with ErrQueueShutDown if the queue
// is shut down, also while waiting, and with ErrCancelled if the task is
// cancelled while waiting, adding nothing.
func (q *Queue[T]) Put(v T) QueuePut[T] { return QueuePut[T]{q, v} }

// GetNowait takes an item if one is available at once (asyncio's
// Queue.get_nowait); otherwise it returns ErrQueueEmpty, or
// ErrQueueShutDown if the queue is shut down (no item will come).
func (q *Queue[T]) GetNowait() (T, error) {
	if q.available() > 0 {
		return q.take(), nil
	}
	var zero T
	if q.shutdown {
		return zero, ErrQueueShutDown
	}
	return zero, ErrQueueEmpty
}

// PutNowait adds v if a slot is free at once (asyncio's Queue.put_nowait);
// otherwise it returns ErrQueueFull, or ErrQueueShutDown if the queue is
// shut down.
func (q *Queue[T]) PutNowait(v T) error {
	if q.shutdown {
		return ErrQueueShutDown
	}
	if q.free() <= 0 {
		return ErrQueueFull
	}
	q.add(v)
	return nil
}

// TaskDone marks an item taken from the queue as processed (asyncio's
// Queue.task_done); Join waits until every item put has been. It panics if
// called more times than items were put (asyncio raises ValueError).
func (q *Queue[T]) TaskDone() {
	if q.unfinished <= 0 {
		panic("rt: Queue.TaskDone called too many times")
	}
	q.unfinished--
	if q.unfinished == 0 {
		q.joiners.wakeAll(wGranted)
	}
}

// Join returns an awaitable that waits until every item put into the
// queue has been taken and marked done with TaskDone (asyncio's
// Queue.join); at once if that is already so.
func (q *Queue[T]) Join() QueueJoin { return QueueJoin{&q.unfinished, &q.joiners, q} }

// Shutdown shuts the queue down (asyncio's Queue.shutdown, Python 3.13):
// puts fail with ErrQueueShutDown from now on, and so do gets once the
// queue is empty; every task waiting in Get or Put wakes to find out. With
// immediate, the items still in the queue are dropped, each counting as
// done for Join, so gets fail at once.
func (q *Queue[T]) Shutdown(immediate bool) {
	q.shutdown = true
	if immediate {
		for q.n > 0 {
			q.pop()
			if q.unfinished > 0 {
				q.unfinished--
			}
		}
		if q.unfinished == 0 {
			q.joiners.wakeAll(wGranted)
		}
	}
	q.getters.wakeAll(wWoken)
	q.putters.wakeAll(wWoken)
}

// String returns "queue maxsize=<m> qsize=<n>" with the numbers of getters,
// putters and unfinished items if there are any, and "shutdown".
func (q *Queue[T]) String() string {
	s := "queue maxsize=" + strconv.Itoa(q.maxsize) + " qsize=" + strconv.Itoa(q.n)
	if n := q.getters.len(); n > 0 {
		s += " getters=" + strconv.Itoa(n)
	}
	if n := q.putters.len(); n > 0 {
		s += " putters=" + strconv.Itoa(n)
	}
	if q.unfinished > 0 {
		s += " tasks=" + strconv.Itoa(q.unfinished)
	}
	if q.shutdown {
		s += " shutdown"
	}
	return s
}

// available returns the number of items a new getter may take: those not
// promised to woken getters.
func (q *Queue[T]) available() int { return q.n - q.reservedGet }

// free returns the number of slots a new putter may fill (1 when
// unbounded).
func (q *Queue[T]) free() int {
	if q.maxsize <= 0 {
		return 1
	}
	return q.maxsize - q.n - q.reservedPut
}

// add puts v into the queue and promises items to waiting getters.
func (q *Queue[T]) add(v T) {
	q.push(v)
	q.unfinished++
	q.wakeGetters()
}

// take removes an item and promises the slot to waiting putters.
func (q *Queue[T]) take() T {
	v := q.pop()
	q.wakePutters()
	return v
}

// wakeGetters promises every item that is not yet promised to a waiting
// getter, in order.
func (q *Queue[T]) wakeGetters() {
	for q.available() > 0 && q.getters.wakeFirst(wGranted) {
		q.reservedGet++
	}
}

// wakePutters promises every free slot to a waiting putter, in order.
func (q *Queue[T]) wakePutters() {
	for q.free() > 0 && q.putters.wakeFirst(wGranted) {
		q.reservedPut++
	}
}

func (q *Queue[T]) push(v T) {
	switch q.kind {
	case fifoQueue:
		if q.n == len(q.buf) {
			q.grow()
		}
		i := q.head + q.n
		if i >= len(q.buf) {
			i -= len(q.buf)
		}
		q.buf[i] = v
	case lifoQueue:
		q.buf = append(q.buf, v)
	case priorityQueue:
		q.seq++
		q.heap = append(q.heap, prioItem[T]{})
		q.up(q.n, prioItem[T]{q.seq, v})
	}
	q.n++
}

func (q *Queue[T]) pop() T {
	var zero T
	var v T
	q.n--
	switch q.kind {
	case fifoQueue:
		v = q.buf[q.head]
		q.buf[q.head] = zero
		q.head++
		if q.head == len(q.buf) {
			q.head = 0
		}
	case lifoQueue:
		v = q.buf[q.n]
		q.buf[q.n] = zero
		q.buf = q.buf[:q.n]
	case priorityQueue:
		v = q.heap[0].v
		last := q.heap[q.n]
		q.heap[q.n] = prioItem[T]{}
		q.heap = q.heap[:q.n]
		if q.n > 0 {
			q.down(last)
		}
	}
	return v
}

// grow doubles a FIFO queue's ring.
func (q *Queue[T]) grow() {
	n := 2 * len(q.buf)
	if n == 0 {
		n = 8
	}
	if q.maxsize > 0 && n > q.maxsize {
		n = max(q.maxsize, q.n+1)
	}
	buf := make([]T, n)
	for i := 0; i < q.n; i++ {
		buf[i] = q.buf[(q.head+i)%len(q.buf)]
	}
	q.buf, q.head = buf, 0
}

// prioItem is an item of a priority queue with its number in the order
// of putting, which breaks ties.
type prioItem[T any] struct {
	seq uint64
	v   T
}

func (q *Queue[T]) less(a, b *prioItem[T]) bool {
	if c := q.cmp(a.v, b.v); c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}

// up places it at the hole i or above, moving the items it precedes down.
func (q *Queue[T]) up(i int, it prioItem[T]) {
	h := q.heap
	for i > 0 {
		p := (i - 1) / 2
		if !q.less(&it, &h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = it
}

// down places it at the hole at the root or below, moving the items that
// precede it up.
func (q *Queue[T]) down(it prioItem[T]) {
	h := q.heap
	n := len(h)
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && q.less(&h[c+1], &h[c]) {
			c++
		}
		if !q.less(&h[c], &it) {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = it
}

// QueueGet is the awaitable Queue.Get returns.
type QueueGet[T any] struct{ q *Queue[T] }

// Poll waits until there is an item for the task (the await protocol).
func (a QueueGet[T]) Poll(cx *Ctx) bool {
	q := a.q
	if cx.resumed() {
		w := resumeWaiter(cx)
		if w == nil {
			return false
		}
		if w.state == wGranted {
			q.reservedGet-- // the item is ours to take in Outcome
		}
		q.getters.release(w)
		if cancelling(cx) {
			q.wakeGetters() // pass the item on
			return true
		}
	}
	if q.available() > 0 || q.shutdown {
		return true
	}
	q.getters.wait(cx, "get", q)
	return false
}

// Outcome takes the item, or reports why there is none: ErrCancelled or
// ErrQueueShutDown.
func (a QueueGet[T]) Outcome(cx *Ctx) (T, error) {
	if cx.delivered() {
		var zero T
		return zero, ErrCancelled
	}
	return a.q.GetNowait()
}

// QueuePut is the awaitable Queue.Put returns.
type QueuePut[T any] struct {
	q *Queue[T]
	v T
}

// Poll waits until there is a free slot for the task (the await protocol).
func (a QueuePut[T]) Poll(cx *Ctx) bool {
	q := a.q
	if cx.resumed() {
		w := resumeWaiter(cx)
		if w == nil {
			return false
		}
		if w.state == wGranted {
			q.reservedPut-- // the slot is ours to fill in Outcome
		}
		q.putters.release(w)
		if cancelling(cx) {
			q.wakePutters() // pass the slot on
			return true
		}
	}
	if q.free() > 0 || q.shutdown {
		return true
	}
	q.putters.wait(cx, "put", q)
	return false
}

// Outcome adds the item, or reports why not: ErrCancelled or
// ErrQueueShutDown.
func (a QueuePut[T]) Outcome(cx *Ctx) (Void, error) {
	if cx.delivered() {
		return Void{}, ErrCancelled
	}
	return Void{}, a.q.PutNowait(a.v)
}

// QueueJoin is the awaitable Queue.Join returns.
type QueueJoin struct {
	unfinished *int
	joiners    *waitList
	q          fmt.Stringer
}

// Poll waits until every item has been marked done (the await protocol).
func (a QueueJoin) Poll(cx *Ctx) bool {
	if !cx.resumed() {
		if *a.unfinished == 0 {
			return true
		}
		a.joiners.wait(cx, "join", a.q)
		return false
	}
	w := resumeWaiter(cx)
	if w == nil {
		return false
	}
	a.joiners.release(w)
	return true
}

// Outcome reports ErrCancelled if the task was cancelled while waiting.
func (a QueueJoin) Outcome(cx *Ctx) (Void, error) {
	if cx.delivered() {
		return Void{}, ErrCancelled
	}
	return Void{}, nil
}
