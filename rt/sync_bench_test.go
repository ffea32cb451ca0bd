package rt_test

import (
	"testing"

	"github.com/corogen/corogen/rt"
)

// Machines written as corogen generates them (the awaitable kept in a field
// of its own type), for the benchmarks and allocation tests of the
// synchronisation primitives and queues.

// lockLoopM acquires and releases l n times, yielding once while it holds
// the lock if yield is set (so that other tasks contend for it).
type lockLoopM struct {
	rt.Frame[rt.Void]
	l     *rt.Lock
	n, i  int
	yield bool
	aw1   rt.LockAcquire
	aw2   rt.Sleeper
}

func lockLoop(l *rt.Lock, n int, yield bool) rt.Coro[rt.Void] {
	c := new(rt.WithTask[rt.Void, lockLoopM])
	c.M.l, c.M.n, c.M.yield = l, n, yield
	return rt.NewCoro[rt.Void](&c.M, &c.Task)
}

func (m *lockLoopM) CoroName() string { return "rt_test.lockLoop" }

func (m *lockLoopM) Poll(cx *rt.Ctx) bool {
	switch m.State {
	case 0:
	case 1:
		goto await1
	case 2:
		goto await2
	default:
		return rt.PolledAfterDone(m.CoroName())
	}
loop:
	if m.i >= m.n {
		return m.Complete(rt.Void{})
	}
	m.aw1 = m.l.Acquire()
	m.State = 1
await1:
	if !m.aw1.Poll(cx) {
		return false
	}
	if _, err := m.aw1.Outcome(cx); err != nil {
		return m.Fail(err)
	}
	if !m.yield {
		goto release
	}
	m.aw2 = rt.Sleep(0)
	m.State = 2
await2:
	if !m.aw2.Poll(cx) {
		return false
	}
	if _, err := m.aw2.Outcome(cx); err != nil {
		return m.Fail(err)
	}
release:
	m.l.Release()
	m.i++
	goto loop
}

// semLoopM is lockLoopM for a semaphore.
type semLoopM struct {
	rt.Frame[rt.Void]
	s     *rt.Semaphore
	n, i  int
	yield bool
	aw1   rt.SemaphoreAcquire
	aw2   rt.Sleeper
}

func semLoop(s *rt.Semaphore, n int, yield bool) rt.Coro[rt.Void] {
	c := new(rt.WithTask[rt.Void, semLoopM])
	c.M.s, c.M.n, c.M.yield = s, n, yield
	return rt.NewCoro[rt.Void](&c.M, &c.Task)
}

func (m *semLoopM) CoroName() string { return "rt_test.semLoop" }

func (m *semLoopM) Poll(cx *rt.Ctx) bool {
	switch m.State {
	case 0:
	case 1:
		goto await1
	case 2:
		goto await2
	default:
		return rt.PolledAfterDone(m.CoroName())
	}
loop:
	if m.i >= m.n {
		return m.Complete(rt.Void{})
	}
	m.aw1 = m.s.Acquire()
	m.State = 1
await1:
	if !m.aw1.Poll(cx) {
		return false
	}
	if _, err := m.aw1.Outcome(cx); err != nil {
		return m.Fail(err)
	}
	if !m.yield {
		goto release
	}
	m.aw2 = rt.Sleep(0)
	m.State = 2
await2:
	if !m.aw2.Poll(cx) {
		return false
	}
	if _, err := m.aw2.Outcome(cx); err != nil {
		return m.Fail(err)
	}
release:
	m.s.Release()
	m.i++
	goto loop
}

// putterM puts 0..n-1 into q.
type putterM struct {
	rt.Frame[rt.Void]
	q    *rt.Queue[int]
	n, i int
	aw1  rt.QueuePut[int]
}

func putter(q *rt.Queue[int], n int) rt.Coro[rt.Void] {
	c := new(rt.WithTask[rt.Void, putterM])
	c.M.q, c.M.n = q, n
	return rt.NewCoro[rt.Void](&c.M, &c.Task)
}

func (m *putterM) CoroName() string { return "rt_test.putter" }

func (m *putterM) Poll(cx *rt.Ctx) bool {
	switch m.State {
	case 0:
	case 1:
		goto await1
	default:
		return rt.PolledAfterDone(m.CoroName())
	}
loop:
	if m.i >= m.n {
		return m.Complete(rt.Void{})
	}
	m.aw1 = m.q.Put(m.i)
	m.State = 1
await1:
	if !m.aw1.Poll(cx) {
		return false
	}
	if _, err := m.aw1.Outcome(cx); err != nil {
		return m.Fail(err)
	}
	m.i++
	goto loop
}

// getterM gets n items from q and checks that they are 0..n-1 in order.
type getterM struct {
	rt.Frame[rt.Void]
	q    *rt.Queue[int]
	n, i int
	aw1  rt.QueueGet[int]
}

func getter(q *rt.Queue[int], n int) rt.Coro[rt.Void] {
	c := new(rt.WithTask[rt.Void, getterM])
	c.M.q, c.M.n = q, n
	return rt.NewCoro[rt.Void](&c.M, &c.Task)
}

func (m *getterM) CoroName() string { return "rt_test.getter" }

func (m *getterM) Poll(cx *rt.Ctx) bool {
	switch m.State {
	case 0:
	case 1:
		goto await1
	default:
		return rt.PolledAfterDone(m.CoroName())
	}
loop:
	if m.i >= m.n {
		return m.Complete(rt.Void{})
	}
	m.aw1 = m.q.Get()
	m.State = 1
await1:
	if !m.aw1.Poll(cx) {
		return false
	}
	if v, err := m.aw1.Outcome(cx); err != nil {
		return m.Fail(err)
	} else if v != m.i {
		panic("queue order")
	}
	m.i++
	goto loop
}

// allM spawns the coroutines and awaits their tasks.
type allM struct {
	rt.Frame[rt.Void]
	cs    []rt.Coro[rt.Void]
	tasks []*rt.Task[rt.Void]
	i     int
	aw1   *rt.Task[rt.Void]
}

func all(cs ...rt.Coro[rt.Void]) rt.Coro[rt.Void] {
	c := new(rt.WithTask[rt.Void, allM])
	c.M.cs = cs
	return rt.NewCoro[rt.Void](&c.M, &c.Task)
}

func (m *allM) CoroName() string { return "rt_test.all" }

func (m *allM) Poll(cx *rt.Ctx) bool {
	switch m.State {
	case 0:
		for _, c := range m.cs {
			m.tasks = append(m.tasks, rt.SpawnOn(cx.Loop(), c))
		}
	case 1:
		goto await1
	default:
		return rt.PolledAfterDone(m.CoroName())
	}
loop:
	if m.i >= len(m.tasks) {
		return m.Complete(rt.Void{})
	}
	m.aw1 = m.tasks[m.i]
	m.State = 1
await1:
	if !m.aw1.Poll(cx) {
		return false
	}
	if _, err := m.aw1.Outcome(cx); err != nil {
		return m.Fail(err)
	}
	m.i++
	goto loop
}

// The workloads: n acquisitions, or n items.

func lockUncontended(n int) rt.Coro[rt.Void] { return lockLoop(new(rt.Lock), n, false) }

// lockContended: two tasks take turns, each holding the lock across a
// yield, so that every acquisition waits and is handed the lock.
func lockContended(n int) rt.Coro[rt.Void] {
	l := new(rt.Lock)
	return all(lockLoop(l, n/2, true), lockLoop(l, n-n/2, true))
}

func semUncontended(n int) rt.Coro[rt.Void] { return semLoop(rt.NewSemaphore(1), n, false) }

// semContended: four tasks share two permits.
func semContended(n int) rt.Coro[rt.Void] {
	s := rt.NewSemaphore(2)
	return all(semLoop(s, n/4, true), semLoop(s, n/4, true), semLoop(s, n/4, true), semLoop(s, n-3*(n/4), true))
}

// queuePingPong: a producer and a consumer through a queue of maxsize 1,
// so that each waits for the other at every item.
func queuePingPong(n int) rt.Coro[rt.Void] {
	q := rt.NewQueue[int](1)
	return all(putter(q, n), getter(q, n))
}

// queueBuffered: the producer fills an unbounded queue, then the consumer
// drains it; neither waits.
func queueBuffered(n int) rt.Coro[rt.Void] {
	q := rt.NewQueue[int](0)
	return all(putter(q, n), getter(q, n))
}

func TestSyncDoesNotAllocate(t *testing.T) {
	for _, c := range []struct {
		name string
		mk   func(int) rt.Coro[rt.Void]
	}{
		{"lock uncontended", lockUncontended},
		{"lock contended", lockContended},
		{"semaphore uncontended", semUncontended},
		{"semaphore contended", semContended},
		{"queue ping-pong", queuePingPong},
	} {
		if a := allocsPer(t, 2000, c.mk); a != 0 {
			t.Errorf("%s: %.3f allocations per operation, want 0", c.name, a)
		}
	}
}

func TestQueueNowaitDoesNotAllocate(t *testing.T) {
	q := rt.NewQueue[int](4)
	lq := rt.NewLifoQueue[int](4)
	pq := rt.NewPriorityQueue[int](4)
	for _, q := range []*rt.Queue[int]{q, lq, pq} {
		a := testing.AllocsPerRun(100, func() {
			for i := range 4 {
				if q.PutNowait(3-i) != nil {
					t.Fatal("put")
				}
			}
			for range 4 {
				if _, err := q.GetNowait(); err != nil {
					t.Fatal(err)
				}
			}
		})
		if a != 0 {
			t.Errorf("%v: %.1f allocations per 4 puts and gets, want 0", q, a)
		}
	}
}

func benchSync(b *testing.B, mk func(int) rt.Coro[rt.Void]) {
	l := rt.NewLoop(rt.WithVirtualClock())
	defer l.Close()
	b.ReportAllocs()
	b.ResetTimer()
	must(rt.RunUntilComplete(l, mk(b.N)))
}

// BenchmarkLockUncontended is Acquire (not waiting) and Release.
func BenchmarkLockUncontended(b *testing.B) { benchSync(b, lockUncontended) }

// BenchmarkLockContended is an acquisition that waits for the lock and is
// handed it by Release: a suspension, a loop turn and a Sleep(0) per op.
func BenchmarkLockContended(b *testing.B) { benchSync(b, lockContended) }

// BenchmarkSemaphoreUncontended is Acquire (not waiting) and Release.
func BenchmarkSemaphoreUncontended(b *testing.B) { benchSync(b, semUncontended) }

// BenchmarkSemaphoreContended: four tasks, two permits, each holding its
// permit across a Sleep(0).
func BenchmarkSemaphoreContended(b *testing.B) { benchSync(b, semContended) }

// BenchmarkQueuePingPong is one item through a queue of maxsize 1: a put
// and a get, each waiting for the other.
func BenchmarkQueuePingPong(b *testing.B) { benchSync(b, queuePingPong) }

// BenchmarkQueueBuffered is one item put and got without waiting (the
// queue grows to b.N items).
func BenchmarkQueueBuffered(b *testing.B) { benchSync(b, queueBuffered) }

// BenchmarkQueueNowait is PutNowait and GetNowait of a FIFO queue, off
// any task.
func BenchmarkQueueNowait(b *testing.B) {
	q := rt.NewQueue[int](0)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		q.PutNowait(i)
		q.GetNowait()
	}
}

// BenchmarkPriorityQueueNowait is PutNowait and GetNowait of a priority
// queue holding 1000 items.
func BenchmarkPriorityQueueNowait(b *testing.B) {
	q := rt.NewPriorityQueue[int](0)
	for i := range 1000 {
		q.PutNowait(i * 7919 % 1000)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q.PutNowait(i % 1000)
		q.GetNowait()
	}
}
