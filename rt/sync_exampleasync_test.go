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
