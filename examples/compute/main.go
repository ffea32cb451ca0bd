//go:build corosrc

// Compute is the seed's §4: awaiting a coroutine.
package main

import (
	"fmt"
	"log"

	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

//coro:async
func Compute() rt.Coro[int] {
	return rt.Async(func() int {
		return 21 * 2
	})
}

//coro:async
func Main() rt.Coro[rt.Void] {
	return rt.Do(func() {
		result := rt.Await(Compute())
		fmt.Printf("The answer is %d\n", result)
	})
}

func main() {
	// To run the coroutine, use an event loop.
	if _, err := rt.Run(Main()); err != nil {
		log.Fatal(err)
	}
}
