package rt

import "strconv"

// Semaphore is a counter of permits for tasks (asyncio.Semaphore): Acquire
// takes a permit, waiting while there is none, and Release returns one. The
// zero value has no permits; NewSemaphore gives it some.
//
// Acquiring is fair, as in asyncio: a permit released while tasks wait goes
// to the first of them, and until that task runs nobody else can take it;
// a task that arrives while others wait or are being woken waits its turn
// even if permits are free. A waiter cancelled before it runs gives its
// permit to the next one.
type Semaphore struct {
	value   int // free permits, not counting those in transit
	transit int // permits given to woken waiters that have not run yet
	waiters waitList
}

// NewSemaphore returns a semaphore with n permits (asyncio.Semaphore(n)).
// It panics if n is negative (asyncio raises ValueError).
func NewSemaphore(n int) *Semaphore {
	if n < 0 {
		panic("rt: NewSemaphore with a negative value")
	}
	return &Semaphore{value: n}
}

// Locked reports whether Acquire would wait (asyncio's Semaphore.locked):
// no permit is free, or other tasks are in line for one.
func (s *Semaphore) Locked() bool {
	return s.value == 0 || s.transit > 0 || !s.waiters.empty()
}

// Acquire returns an awaitable that takes a permit, waiting for one if
// needed (asyncio's Semaphore.acquire). If the task is cancelled while
// waiting, the await fails with ErrCancelled and takes no permit.
func (s *Semaphore) Acquire() SemaphoreAcquire { return SemaphoreAcquire{s} }

// Release returns a permit and gives it to the first waiting task, if any
// (asyncio's Semaphore.release).
func (s *Semaphore) Release() {
	s.value++
	s.wakeNext()
}

// wakeNext gives a free permit to the first waiter, if there is one.
func (s *Semaphore) wakeNext() bool {
	if !s.waiters.wakeFirst(wGranted) {
		return false
	}
	s.value--
	s.transit++
	return true
}

// String returns "semaphore locked" or "semaphore unlocked, value:<n>",
// with the number of waiters if there are any.
func (s *Semaphore) String() string {
	return "semaphore " + s.describe()
}

func (s *Semaphore) describe() string {
	d := "locked"
	if !s.Locked() {
		d = "unlocked, value:" + strconv.Itoa(s.value)
	}
	return d + waitersSuffix(s.waiters.len())
}

// SemaphoreAcquire is the awaitable Semaphore.Acquire and
// BoundedSemaphore.Acquire return.
type SemaphoreAcquire struct{ s *Semaphore }

// Poll takes a permit or waits for one (the await protocol).
func (a SemaphoreAcquire) Poll(cx *Ctx) bool {
	s := a.s
	if !cx.resumed() {
		if !s.Locked() {
			s.value--
			return true
		}
		s.waiters.wait(cx, "acquire", s)
		return false
	}
	w := resumeWaiter(cx)
	if w == nil {
		return false
	}
	granted := w.state == wGranted
	s.waiters.release(w)
	if granted {
		s.transit--
		if cancelling(cx) {
			s.value++ // not taken: give it back
		}
	}
	// Tasks that arrived while this one was being woken wait behind it:
	// wake as many as there are permits.
	for s.value > 0 && s.wakeNext() {
	}
	return true
}

// Outcome reports ErrCancelled if the task was cancelled while waiting.
func (a SemaphoreAcquire) Outcome(cx *Ctx) (Void, error) {
	if cx.delivered() {
		return Void{}, ErrCancelled
	}
	return Void{}, nil
}

// BoundedSemaphore is a Semaphore that cannot be released more often than
// it was acquired (asyncio.BoundedSemaphore).
type BoundedSemaphore struct {
	s     Semaphore
	bound int
}

// NewBoundedSemaphore returns a bounded semaphore with n permits. It panics
// if n is negative.
func NewBoundedSemaphore(n int) *BoundedSemaphore {
	if n < 0 {
		panic("rt: NewBoundedSemaphore with a negative value")
	}
	return &BoundedSemaphore{s: Semaphore{value: n}, bound: n}
}

// Locked reports whether Acquire would wait.
func (b *BoundedSemaphore) Locked() bool { return b.s.Locked() }

// Acquire returns an awaitable that takes a permit, waiting for one if
// needed.
func (b *BoundedSemaphore) Acquire() SemaphoreAcquire { return SemaphoreAcquire{&b.s} }

// Release returns a permit. It panics if that would make more permits than
// the semaphore started with (asyncio raises ValueError): a release without
// an acquire.
func (b *BoundedSemaphore) Release() {
	if b.s.value >= b.bound {
		panic("rt: BoundedSemaphore released too many times")
	}
	b.s.Release()
}

// String returns "bounded semaphore locked" or "bounded semaphore
// unlocked, value:<n>", with the number of waiters if there are any.
func (b *BoundedSemaphore) String() string { return "bounded semaphore " + b.s.describe() }
