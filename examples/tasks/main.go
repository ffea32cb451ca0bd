//go:build corosrc

// Tasks is the seed's §7 advanced example: three tasks of different
// durations gathered.
package main

import (
	"fmt"
	"log"
	"time"

	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

//coro:async
func TaskA() rt.Coro[string] {
	return rt.Async(func() string {
		fmt.Println("🔵 Task A started")
		rt.Await(rt.Sleep(1 * time.Second))
		fmt.Println("🔵 Task A completed")
		return "Result A"
	})
}

//coro:async
func TaskB() rt.Coro[string] {
	return rt.Async(func() string {
		fmt.Println("🟢 Task B started")
		rt.Await(rt.Sleep(2 * time.Second))
		fmt.Println("🟢 Task B completed")
		return "Result B"
	})
}

//coro:async
func TaskC() rt.Coro[string] {
	return rt.Async(func() string {
		fmt.Println("🟡 Task C started")
		rt.Await(rt.Sleep(3 * time.Second))
		fmt.Println("🟡 Task C completed")
		return "Result C"
	})
}

//coro:async
func Main() rt.Coro[rt.Void] {
	return rt.Do(func() {
		// Create tasks
		tasks := []rt.Awaitable[string]{
			rt.Spawn(TaskA()),
			rt.Spawn(TaskB()),
			rt.Spawn(TaskC()),
		}

		// Wait for all tasks to complete
		results := rt.Await(rt.Gather(tasks...))

		fmt.Println("📊 All Results:")
		for _, result := range results {
			fmt.Println(result)
		}
	})
}

func main() {
	if _, err := rt.Run(Main()); err != nil {
		log.Fatal(err)
	}
}
