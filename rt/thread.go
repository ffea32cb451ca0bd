package rt

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// ToThread runs fn on a goroutine of the loop's pool and awaits its result
// without blocking the loop (asyncio.to_thread): other tasks run, and the
// loop sleeps in its idle wait, while fn blocks. It is the way to call
// blocking Go code (file I/O, cgo, a CPU-heavy computation, a library that
// blocks) from a coroutine. Like any coroutine, the returned one runs
// nothing until it is awaited or spawned.
//
// The pool is the loop's own and bounded (WithThreadLimit; by default
// min(32, NumCPU+4) goroutines, as asyncio's default executor): calls beyond
// the bound wait for a goroutine, first come, first served.
//
// Cancelling the awaiting task fails its await with ErrCancelled at once.
// Go cannot stop a goroutine, so fn, if it has started, runs to its end and
// its result is dropped (one that has not started yet never runs). A panic
// in fn is re-raised in the awaiting coroutine, with fn's goroutine stack;
// if the await was cancelled, it goes up from the loop as a *PanicError,
// so that it is never lost: Run, like asyncio.run, waits at its end for
// the functions still running in ToThread.
//
// Under WithVirtualClock, time stands still while fn runs: the loop waits
// for it instead of jumping to its next timer.
func ToThread[T any](fn func() T) Coro[T] {
	return ToThreadErr(func() (T, error) { return fn(), nil })
}

// ToThreadErr is ToThread for a function that can fail: awaiting it fails
// with fn's error.
func ToThreadErr[T any](fn func() (T, error)) Coro[T] {
	c := new(WithTask[T, threadCall[T]])
	c.M.fn = fn
	return NewCoro[T](&c.M, &c.Task)
}

// WithThreadLimit bounds the loop's pool of ToThread goroutines to n
// (n >= 1).
func WithThreadLimit(n int) Option {
	if n < 1 {
		panic("rt: WithThreadLimit needs at least one goroutine")
	}
	return func(l *Loop) { l.threadPool().limit = n }
}

// Hold keeps the loop from reporting a deadlock while outside work that
// will wake it is in progress: a goroutine that is to hand a result in
// with CallSoonThreadsafe. Without it, a loop whose tasks all wait for such
// a callback, with no timer set, stops with ErrDeadlock. Under
// WithVirtualClock, time stands still while the loop is held. release ends
// the hold; it may be called from any goroutine, more than once (only the
// first call counts), and should be called after the last
// CallSoonThreadsafe of that work.
//
//	release := loop.Hold()
//	go func() {
//		defer release()
//		v := blockingCall()
//		loop.CallSoonThreadsafe(func() { fut.SetResult(v) })
//	}()
func (l *Loop) Hold() (release func()) {
	l.ext.pending.Add(1)
	var released atomic.Bool
	return func() {
		if !released.Swap(true) {
			// Let go on the loop, so that its idle wait sees it.
			l.CallSoonThreadsafe(func() { l.ext.pending.Add(-1) })
		}
	}
}

// threadPool is a loop's bounded pool of goroutines for ToThread. Its
// goroutines exist only while there is work: one ends when it finds the
// queue empty.
type threadPool struct {
	mu      sync.Mutex
	limit   int
	running int
	queue   []func()
}

func (l *Loop) threadPool() *threadPool {
	if l.threads == nil {
		l.threads = &threadPool{limit: min(32, runtime.NumCPU()+4)}
	}
	return l.threads
}

func (p *threadPool) submit(job func()) {
	p.mu.Lock()
	if p.running < p.limit {
		p.running++
		p.mu.Unlock()
		go p.work(job)
		return
	}
	p.queue = append(p.queue, job)
	p.mu.Unlock()
}

func (p *threadPool) work(job func()) {
	for {
		job()
		p.mu.Lock()
		if len(p.queue) == 0 {
			p.running--
			p.mu.Unlock()
			return
		}
		job = p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		p.mu.Unlock()
	}
}

// threadCall is the machine of ToThread.
type threadCall[T any] struct {
	Frame[T]
	fn     func() (T, error)
	loop   *Loop
	waiter *Ctx

	// Written by the pool's goroutine before it hands complete to the loop.
	value T
	err   error

	dropped  atomic.Bool // the await was cancelled: skip fn if not started
	finished bool        // complete ran on the loop
}

func (m *threadCall[T]) Poll(cx *Ctx) bool {
	switch m.State {
	case StateDone:
		return PolledAfterDone(m.CoroName())
	case 0:
		m.State = 1
		m.loop, m.waiter = cx.loop, cx
		if cx.flags&fCancelPending == 0 {
			cx.loop.ext.pending.Add(1) // outside work: no deadlock, no time jump
			cx.loop.threadCalls++
			cx.loop.threadPool().submit(m.run)
		} else {
			m.finished = true // cancelled before it began: never start fn
		}
		cx.suspend(m)
		return false
	}
	if !m.finished && cx.flags&fCancelPending == 0 {
		return false
	}
	m.waiter = nil
	cx.resume()
	if cx.delivered() {
		m.dropped.Store(true)
		return m.Fail(ErrCancelled)
	}
	return m.Return(m.value, m.err)
}

// run runs on a goroutine of the pool.
func (m *threadCall[T]) run() {
	defer m.loop.CallSoonThreadsafe(m.complete)
	if m.dropped.Load() {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			m.err = newPanicked(r)
		}
	}()
	m.value, m.err = m.fn()
}

// complete runs on the loop once fn has returned.
func (m *threadCall[T]) complete() {
	m.loop.ext.pending.Add(-1)
	m.loop.threadCalls--
	m.finished = true
	if m.waiter != nil {
		m.waiter.schedule()
		return
	}
	if p, ok := m.err.(*panicked); ok && m.dropped.Load() {
		panic(panicAcross(p).(*panicked).value)
	}
}

// cancelWait wakes the awaiting task to be cancelled; fn goes on.
func (m *threadCall[T]) cancelWait(cx *Ctx) { cx.schedule() }

func (m *threadCall[T]) CoroName() string { return "rt.ToThread" }
