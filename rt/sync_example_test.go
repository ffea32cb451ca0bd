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

// asyncio's Event example: a task waits until another sets the event.
func ExampleEvent() {
	rt.Run(eventMain(), rt.WithVirtualClock())
	// Output:
	// waiting for it ...
	// ... got it! (at 1s)
}

// Two consumers wait on a condition until a producer has an item for
// them; Notify(1) wakes one waiter at a time, in the order they waited.
func ExampleCondition() {
	rt.Run(conditionMain(), rt.WithVirtualClock())
	// Output:
	// a took apple at 1s
	// b took pear at 2s
}

// A semaphore of two lets two downloads run at a time; the others wait
// their turn in the order they asked. (A BoundedSemaphore is the same, but
// a Release without an Acquire panics.)
func ExampleSemaphore() {
	rt.Run(semaphoreMain(), rt.WithVirtualClock())
	// Output:
	// download 0 done at 1s
	// download 1 done at 1s
	// download 2 done at 2s
	// download 3 done at 2s
	// download 4 done at 3s
}

// Three runners wait at a barrier for each other; all pass when the last
// arrives. Wait returns each one's arrival index, 0 for the first.
func ExampleBarrier() {
	order, _ := rt.Run(barrierMain(), rt.WithVirtualClock())
	fmt.Println("arrival index of ann, ben, cat:", order)
	// Output:
	// ben arrives at 1s
	// cat arrives at 2s
	// ann arrives at 3s
	// ann passes at 3s
	// ben passes at 3s
	// cat passes at 3s
	// arrival index of ann, ben, cat: [2 0 1]
}
