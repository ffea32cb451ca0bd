package rt_test

import (
	"fmt"

	"github.com/corogen/corogen/rt"
)

// Tasks take the lock in the order they asked for it. Without it, each
// deposit would read the balance before the others wrote theirs.
func ExampleLock() {
	balance, _ := rt.Run(bank(), rt.WithVirtualClock())
	fmt.Println("balance:", balance)
	// Output:
	// alice deposited 10 at 1s: balance 10
	// bob deposited 20 at 2s: balance 30
	// carol deposited 30 at 3s: balance 60
	// balance: 60
}

// The asyncio documentation's queue example: a pool of workers takes jobs
// from a queue, and Join waits until all are done.
func ExampleQueue() {
	rt.Run(pool(), rt.WithVirtualClock())
	// Output:
	// worker-1 has slept for 300ms
	// worker-2 has slept for 500ms
	// worker-2 has slept for 100ms
	// worker-0 has slept for 900ms
	// worker-1 has slept for 700ms
	// 3 workers slept in parallel for 1s, 2.5s in total
}
