//go:build corosrc

// Cancel is the seed's §6: cancelling a task, which sees the cancellation
// at its await, cleans up and re-raises it.
package main

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

//coro:async
func LongRunningTask() rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		for {
			fmt.Println("🔄 Task is running...")
			if _, err := rt.Try(rt.Sleep(time.Second)); err != nil {
				fmt.Println("🛑 Task was cancelled")
				return err // re-raise
			}
		}
	})
}

//coro:async
func Main() rt.Coro[rt.Void] {
	return rt.Do(func() {
		task := rt.Spawn(LongRunningTask())

		// Let the task run for 3 seconds
		rt.Await(rt.Sleep(3 * time.Second))
		task.Cancel()

		if _, err := rt.Try(task); errors.Is(err, rt.ErrCancelled) {
			fmt.Println("🔄 Caught task cancellation")
		}
	})
}

func main() {
	if _, err := rt.Run(Main()); err != nil {
		log.Fatal(err)
	}
}
