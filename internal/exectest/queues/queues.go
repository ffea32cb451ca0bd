//go:build corosrc

// Package queues exercises rt.Queue as asyncio defines asyncio.Queue,
// LifoQueue and PriorityQueue: order, maxsize, the nowait forms and their
// errors, fairness, cancellation while waiting and after being woken (no
// item is lost or duplicated, no slot leaks), Join/TaskDone, and Shutdown
// (Python 3.13), graceful and immediate.
package queues

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

func errName(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, rt.ErrCancelled):
		return "cancelled"
	case errors.Is(err, rt.ErrQueueEmpty):
		return "QueueEmpty"
	case errors.Is(err, rt.ErrQueueFull):
		return "QueueFull"
	case errors.Is(err, rt.ErrQueueShutDown):
		return "QueueShutDown"
	case errors.Is(err, rt.ErrTimeout):
		return "timeout"
	}
	return err.Error()
}

// catch runs f and returns what it panicked with.
func catch(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

// Producer puts the items, logging when each put starts and ends.
//
//coro:async
func Producer[T any](name string, q *rt.Queue[T], items ...T) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		for _, v := range items {
			out.Say("%s puts %v at %v (%v)", name, v, rt.Now(), q)
			if _, err := rt.Try(q.Put(v)); err != nil {
				out.Say("%s: put %v: %s at %v", name, v, errName(err), rt.Now())
				return err
			}
		}
		return nil
	})
}

// Consumer gets n items, taking work for each.
//
//coro:async
func Consumer[T any](name string, q *rt.Queue[T], n int, work time.Duration) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		for range n {
			v, err := rt.Try(q.Get())
			if err != nil {
				out.Say("%s: get: %s at %v", name, errName(err), rt.Now())
				return err
			}
			out.Say("%s got %v at %v", name, v, rt.Now())
			if work > 0 {
				rt.Await(rt.Sleep(work))
			}
		}
		return nil
	})
}

// FIFO: a bounded queue makes the producer wait while it is full; items come
// out in order.
//
//coro:async
func FIFO() rt.Coro[rt.Void] {
	return rt.Do(func() {
		q := rt.NewQueue[int](2)
		p := rt.Spawn(Producer("p", q, 1, 2, 3, 4, 5))
		c := rt.Spawn(Consumer("c", q, 5, time.Second))
		rt.Await(rt.Gather(p, c))
		out.Say("end: %v", q)
	})
}

type job struct {
	prio int
	name string
}

func (j job) String() string { return fmt.Sprintf("%s/%d", j.name, j.prio) }

// drain gets every item with GetNowait.
func drain[T any](q *rt.Queue[T]) []T {
	var got []T
	for {
		v, err := q.GetNowait()
		if err != nil {
			out.Say("then %s", errName(err))
			return got
		}
		got = append(got, v)
	}
}

// Kinds: LIFO and priority order (equal priorities in the order put), the
// nowait forms and their errors, Qsize, Empty, Full.
//
//coro:async
func Kinds() rt.Coro[rt.Void] {
	return rt.Do(func() {
		var fifo rt.Queue[string] // the zero value: unbounded FIFO
		for _, s := range []string{"a", "b", "c"} {
			fifo.PutNowait(s)
		}
		out.Say("fifo %v", drain(&fifo))

		lifo := rt.NewLifoQueue[string](3)
		for _, s := range []string{"a", "b", "c", "d"} {
			out.Say("lifo put %s: %s; qsize %d full %v", s, errName(lifo.PutNowait(s)), lifo.Qsize(), lifo.Full())
		}
		out.Say("lifo %v; empty %v", drain(lifo), lifo.Empty())

		pq := rt.NewPriorityQueue[int](0)
		for _, v := range []int{5, 1, 4, 1, 5, 9, 2, 6, 5, 3} {
			pq.PutNowait(v)
		}
		out.Say("priority %v", drain(pq))

		jobs := rt.NewPriorityQueueFunc(0, func(a, b job) int { return cmp.Compare(a.prio, b.prio) })
		for i, p := range []int{2, 1, 3, 1, 2, 1} {
			jobs.PutNowait(job{p, fmt.Sprint("j", i)})
		}
		out.Say("by priority, ties in order put: %v", drain(jobs))

		// Get and Put interleave with the other kinds too.
		pq2 := rt.NewPriorityQueue[string](2)
		p := rt.Spawn(Producer("p", pq2, "m", "z", "a", "b"))
		rt.Await(rt.Sleep(time.Second))
		rt.Await(Consumer("c", pq2, 4, 0))
		rt.Await(p)
	})
}

// Fairness: an item put while a getter waits is kept for it until it runs,
// and a free slot for a waiting putter; latecomers wait their turn (asyncio
// lets them take it).
//
//coro:async
func Fairness() rt.Coro[rt.Void] {
	return rt.Do(func() {
		q := rt.NewQueue[string](1)
		g := rt.Spawn(Consumer("g", q, 1, 0))
		rt.Await(rt.Sleep(0))
		q.PutNowait("x") // promised to g, which has not run
		_, err := q.GetNowait()
		out.Say("get_nowait with x promised to g: %s; qsize %d", errName(err), q.Qsize())
		p := rt.Spawn(Producer("p", q, "y"))
		v := rt.Await(q.Get()) // waits behind g: gets y
		out.Say("main got %v at %v", v, rt.Now())
		rt.Await(rt.Gather(g, p))

		q.PutNowait("z")
		p = rt.Spawn(Producer("p", q, "w")) // waits: full
		rt.Await(rt.Sleep(0))
		v, _ = q.GetNowait() // the slot goes to p
		out.Say("main took %v; put_nowait with the slot promised to p: %s; full %v", v, errName(q.PutNowait("v")), q.Full())
		rt.Await(p)
		out.Say("end: %v; %v", q, drain(q))
	})
}

// Cancel: a getter cancelled while waiting leaves the line; a getter
// cancelled after an item was promised to it passes the item on; the same
// for putters and slots. Nothing is lost, duplicated or leaked.
//
//coro:async
func Cancel() rt.Coro[rt.Void] {
	return rt.Do(func() {
		q := rt.NewQueue[string](0)
		g1 := rt.Spawn(Consumer("g1", q, 1, 0))
		g2 := rt.Spawn(Consumer("g2", q, 1, 0))
		g3 := rt.Spawn(Consumer("g3", q, 1, 0))
		g4 := rt.Spawn(Consumer("g4", q, 1, 0))
		rt.Await(rt.Sleep(time.Second))
		g2.Cancel() // waiting
		rt.Await(rt.Sleep(0))
		q.PutNowait("a") // to g1
		q.PutNowait("b") // to g3
		g1.Cancel()      // woken, not yet run: its item goes to g4
		out.Say("%v", q)
		rt.Try(g1)
		rt.Try(g2)
		rt.Await(rt.Gather(g3, g4))
		out.Say("getters done: %v", q)

		q = rt.NewQueue[string](1)
		q.PutNowait("x")
		p1 := rt.Spawn(Producer("p1", q, "y"))
		p2 := rt.Spawn(Producer("p2", q, "z"))
		p3 := rt.Spawn(Producer("p3", q, "w"))
		rt.Await(rt.Sleep(time.Second))
		p2.Cancel() // waiting: never puts
		v, _ := q.GetNowait()
		out.Say("main took %v: the slot goes to p1", v)
		p1.Cancel() // woken, not yet run: its slot goes to p3
		rt.Try(p1)
		rt.Try(p2)
		rt.Await(p3)
		out.Say("putters done: %v; %v", q, drain(q))
	})
}

// Worker takes jobs from q until it is cancelled, marking each done.
//
//coro:async
func Worker(name string, q *rt.Queue[int]) rt.Coro[rt.Void] {
	return rt.Do(func() {
		for {
			d := rt.Await(q.Get())
			rt.Await(rt.Sleep(time.Duration(d) * time.Second))
			out.Say("%s did %ds at %v", name, d, rt.Now())
			q.TaskDone()
		}
	})
}

// Join: the asyncio documentation's worker pool; Join returns once every
// item is marked done; TaskDone too often panics.
//
//coro:async
func Join() rt.Coro[rt.Void] {
	return rt.Do(func() {
		q := rt.NewQueue[int](0)
		rt.Await(q.Join())
		out.Say("join of an empty queue at %v", rt.Now())
		for _, d := range []int{3, 1, 2, 1, 1, 2} {
			q.PutNowait(d)
		}
		ws := []*rt.Task[rt.Void]{}
		for i := 1; i <= 3; i++ {
			ws = append(ws, rt.Spawn(Worker(fmt.Sprint("w", i), q)))
		}
		joiner := rt.Spawn(rt.Do(func() {
			rt.Await(q.Join())
			out.Say("joiner done at %v", rt.Now())
		}))
		rt.Await(q.Join())
		out.Say("main joined at %v: %v", rt.Now(), q)
		for _, w := range ws {
			w.Cancel()
		}
		rt.Await(joiner)
		out.Say("task_done too often: %v", catch(q.TaskDone))

		q.PutNowait(1)
		j := rt.Spawn(rt.Do(func() {
			_, err := rt.Try(q.Join())
			out.Say("join: %s", errName(err))
		}))
		rt.Await(rt.Sleep(0))
		j.Cancel()
		rt.Await(j)
	})
}

// Shutdown: graceful, gets drain the queue and then fail; puts fail at
// once, also those waiting. Immediate: the items are dropped (counting as
// done for Join) and waiting getters fail.
//
//coro:async
func Shutdown() rt.Coro[rt.Void] {
	return rt.Do(func() {
		q := rt.NewQueue[int](2)
		q.PutNowait(1)
		q.PutNowait(2)
		p := rt.Spawn(Producer("p", q, 3))
		rt.Await(rt.Sleep(time.Second))
		q.Shutdown(false)
		out.Say("shut down: %v; put_nowait: %s", q, errName(q.PutNowait(4)))
		rt.Try(p)
		_, err := rt.Try(q.Put(5))
		out.Say("put: %s", errName(err))
		g := rt.Spawn(Consumer("g", q, 3, 0))
		rt.Try(g)
		_, err = q.GetNowait()
		out.Say("get_nowait: %s; %v", errName(err), q)

		q = rt.NewQueue[int](0)
		g = rt.Spawn(Consumer("g", q, 1, 0))
		rt.Await(rt.Sleep(time.Second))
		q.Shutdown(false)
		rt.Try(g)

		q = rt.NewQueue[int](0)
		q.PutNowait(1)
		q.PutNowait(2)
		v, _ := q.GetNowait()
		j := rt.Spawn(rt.Do(func() {
			rt.Await(q.Join())
			out.Say("joined at %v: %v", rt.Now(), q)
		}))
		rt.Await(rt.Sleep(time.Second))
		out.Say("took %d, not done; %v", v, q)
		q.Shutdown(true)
		out.Say("shut down now: %v", q)
		rt.Await(rt.Sleep(time.Second))
		q.TaskDone() // the item taken before
		rt.Await(j)
		_, err = q.GetNowait()
		out.Say("get_nowait: %s", errName(err))
	})
}

// Stress runs producers and consumers at random, cancelling some of them
// while they wait or right after they were woken, and checks that every
// item put was got exactly once or is still in the queue.
//
//coro:async
func Stress() rt.Coro[rt.Void] {
	return rt.Do(func() {
		rng := rand.New(rand.NewPCG(1, 2))
		q := rt.NewQueue[int](3)
		put := map[int]bool{}
		got := map[int]int{}
		next := 0
		var tasks []*rt.Task[rt.Void]
		for i := range 200 {
			d := time.Duration(rng.IntN(20)) * time.Millisecond
			if i%2 == 0 {
				next++
				v := next
				tasks = append(tasks, rt.Spawn(rt.Do(func() {
					rt.Await(rt.Sleep(d))
					if _, err := rt.Try(q.Put(v)); err == nil {
						put[v] = true
					}
				})))
			} else {
				tasks = append(tasks, rt.Spawn(rt.Do(func() {
					rt.Await(rt.Sleep(d))
					if v, err := rt.Try(q.Get()); err == nil {
						got[v]++
					}
				})))
			}
		}
		cancelled, woken := 0, 0
		for range 60 {
			rt.Await(rt.Sleep(time.Duration(rng.IntN(2)) * time.Millisecond / 2))
			// Wake a waiter and cancel a task in the same turn: if it is
			// the one just woken, what it was promised must go on.
			switch rng.IntN(3) {
			case 0:
				next++
				if q.PutNowait(next) == nil {
					put[next] = true
					woken++
				}
			case 1:
				if v, err := q.GetNowait(); err == nil {
					got[v]++
					woken++
				}
			}
			if t := tasks[rng.IntN(len(tasks))]; t.Cancel() {
				cancelled++
			}
		}
		// Tasks still waiting wake up with ErrQueueShutDown: getters once
		// the queue is empty, all putters.
		rt.Await(rt.Sleep(time.Second))
		out.Say("before shutdown: %v", q)
		q.Shutdown(false)
		for _, t := range tasks {
			rt.Try(t)
		}
		left := drain(q)
		lost, dup := 0, 0
		for v := range put {
			if got[v] == 0 && !contains(left, v) {
				lost++
			}
		}
		for _, n := range got {
			if n > 1 {
				dup++
			}
		}
		out.Say("put %d, got %d, left %d; %d nowait, %d cancelled: lost %d, duplicated %d; %v",
			len(put), len(got), len(left), woken, cancelled, lost, dup, q)
	})
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Timeouts: rt.WaitFor (asyncio.wait_for) on Get, Put and Join fails with
// ErrTimeout at the deadline and leaves the queue as it was.
//
//coro:async
func Timeouts() rt.Coro[rt.Void] {
	return rt.Do(func() {
		q := rt.NewQueue[int](1)
		_, err := rt.Try(rt.WaitFor(q.Get(), time.Second))
		out.Say("get: %s at %v; %v", errName(err), rt.Now(), q)
		q.PutNowait(1)
		_, err = rt.Try(rt.WaitFor(q.Put(2), time.Second))
		out.Say("put: %s at %v; %v", errName(err), rt.Now(), q)
		_, err = rt.Try(rt.WaitFor(q.Join(), time.Second))
		out.Say("join: %s at %v; %v", errName(err), rt.Now(), q)
		v, err := rt.Try(rt.WaitFor(q.Get(), time.Second))
		out.Say("get: %v %s at %v; %v", v, errName(err), rt.Now(), q)
	})
}
