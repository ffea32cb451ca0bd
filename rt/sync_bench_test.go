package rt_test

import (
	"testing"

	"github.com/corogen/corogen/rt"
)

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
