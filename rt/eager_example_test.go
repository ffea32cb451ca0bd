package rt_test

import (
	"fmt"
	"runtime"
	"time"

	"github.com/corogen/corogen/rt"
)

// By default a spawned task starts after its spawner suspends; with eager
// tasks it runs at once, until its first await.
func ExampleWithEagerTasks() {
	rt.Run(exSpawner())
	fmt.Println("-- eager")
	rt.Run(exSpawner(), rt.WithEagerTasks())
	// Output:
	// spawned
	// child starts
	// child ends
	// -- eager
	// child starts
	// spawned
	// child ends
}

// The error of a task nobody awaited or asked about reaches the exception
// handler once the task is garbage-collected (by default it is logged).
func ExampleWithExceptionHandler() {
	reports := make(chan error, 1)
	rt.Run(exForget(), rt.WithExceptionHandler(func(err error) { reports <- err }))
	for range 500 {
		runtime.GC()
		select {
		case err := <-reports:
			fmt.Println(err)
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	fmt.Println("not reported")
	// Output:
	// rt: task Task-2 (rt_test.exFail) failed and its error was never retrieved: disk full
}
