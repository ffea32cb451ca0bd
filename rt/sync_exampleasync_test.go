//go:build corosrc

package rt_test

// The async functions of the examples in sync_example_test.go. The
// Example functions are in a file of their own, without the corosrc
// constraint, because the generated twin of a file drops the // Output:
// comments inside function bodies.

import (
	"fmt"
	"time"

	"github.com/corogen/corogen/rt"
)

// deposit adds amount to *balance: a read, an await, and a write, which
// the lock keeps other tasks out of.
//
//coro:async
func deposit(mu *rt.Lock, balance *int, name string, amount int) rt.Coro[rt.Void] {
	return rt.Do(func() {
		rt.Await(mu.Acquire())
		defer mu.Release()
		b := *balance
		rt.Await(rt.Sleep(time.Second)) // e.g. a request to a ledger
		*balance = b + amount
		fmt.Printf("%s deposited %d at %v: balance %d\n", name, amount, rt.Now(), *balance)
	})
}

//coro:async
func bank() rt.Coro[int] {
	return rt.Async(func() int {
		var mu rt.Lock
		balance := 0
		rt.Await(rt.Gather(
			deposit(&mu, &balance, "alice", 10),
			deposit(&mu, &balance, "bob", 20),
			deposit(&mu, &balance, "carol", 30)))
		return balance
	})
}

// worker takes sleep durations from q until it is cancelled.
//
//coro:async
func worker(name string, q *rt.Queue[time.Duration]) rt.Coro[rt.Void] {
	return rt.Do(func() {
		for {
			d := rt.Await(q.Get())
			rt.Await(rt.Sleep(d))
			q.TaskDone()
			fmt.Printf("%s has slept for %v\n", name, d)
		}
	})
}

//coro:async
func pool() rt.Coro[rt.Void] {
	return rt.Do(func() {
		q := rt.NewQueue[time.Duration](0)
		total := time.Duration(0)
		for _, ms := range []int{900, 300, 500, 700, 100} {
			d := time.Duration(ms) * time.Millisecond
			total += d
			q.PutNowait(d)
		}
		var workers []*rt.Task[rt.Void]
		for i := range 3 {
			workers = append(workers, rt.Spawn(worker(fmt.Sprint("worker-", i), q)))
		}
		rt.Await(q.Join()) // until every item is marked done
		for _, w := range workers {
			w.Cancel()
		}
		fmt.Printf("3 workers slept in parallel for %v, %v in total\n", rt.Now(), total)
	})
}

// waiter waits for the event, as in asyncio's Event example.
//
//coro:async
func waiter(ev *rt.Event) rt.Coro[rt.Void] {
	return rt.Do(func() {
		fmt.Println("waiting for it ...")
		rt.Await(ev.Wait())
		fmt.Printf("... got it! (at %v)\n", rt.Now())
	})
}

//coro:async
func eventMain() rt.Coro[rt.Void] {
	return rt.Do(func() {
		var ev rt.Event
		t := rt.Spawn(waiter(&ev))
		rt.Await(rt.Sleep(time.Second))
		ev.Set()
		rt.Await(t)
	})
}

// consumer waits until the shared slice has an item for it.
//
//coro:async
func consumer(name string, cond *rt.Condition, items *[]string) rt.Coro[rt.Void] {
	return rt.Do(func() {
		rt.Await(cond.Acquire())
		defer cond.Release()
		rt.Await(cond.WaitFor(func() bool { return len(*items) > 0 }))
		item := (*items)[0]
		*items = (*items)[1:]
		fmt.Printf("%s took %s at %v\n", name, item, rt.Now())
	})
}

//coro:async
func conditionMain() rt.Coro[rt.Void] {
	return rt.Do(func() {
		cond := rt.NewCondition(nil)
		var items []string
		a := rt.Spawn(consumer("a", cond, &items))
		b := rt.Spawn(consumer("b", cond, &items))
		for _, item := range []string{"apple", "pear"} {
			rt.Await(rt.Sleep(time.Second))
			rt.Await(cond.Acquire())
			items = append(items, item)
			cond.Notify(1)
			cond.Release()
		}
		rt.Await(rt.Gather(a, b))
	})
}

// download holds one of the semaphore's slots for a second.
//
//coro:async
func download(sem *rt.Semaphore, i int) rt.Coro[rt.Void] {
	return rt.Do(func() {
		rt.Await(sem.Acquire())
		defer sem.Release()
		rt.Await(rt.Sleep(time.Second))
		fmt.Printf("download %d done at %v\n", i, rt.Now())
	})
}

//coro:async
func semaphoreMain() rt.Coro[rt.Void] {
	return rt.Do(func() {
		sem := rt.NewSemaphore(2) // at most two downloads at a time
		var all []rt.Awaitable[rt.Void]
		for i := range 5 {
			all = append(all, download(sem, i))
		}
		rt.Await(rt.Gather(all...))
	})
}

// runner arrives at the barrier after d and waits for the others.
//
//coro:async
func runner(b *rt.Barrier, name string, d time.Duration) rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(rt.Sleep(d))
		fmt.Printf("%s arrives at %v\n", name, rt.Now())
		i := rt.Await(b.Wait())
		fmt.Printf("%s passes at %v\n", name, rt.Now())
		return i
	})
}

//coro:async
func barrierMain() rt.Coro[[]int] {
	return rt.Async(func() []int {
		b := rt.NewBarrier(3)
		return rt.Await(rt.Gather(
			runner(b, "ann", 3*time.Second),
			runner(b, "ben", time.Second),
			runner(b, "cat", 2*time.Second)))
	})
}
