//go:build corosrc

// Hello is the seed's §5: an explicit event loop, RunUntilComplete and Close.
package main

import (
	"fmt"
	"log"
	"time"

	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

//coro:async
func SayHello() rt.Coro[rt.Void] {
	return rt.Do(func() {
		fmt.Println("👋 Hello")
		rt.Await(rt.Sleep(time.Second))
		fmt.Println("🌍 World")
	})
}

// run is the seed's program with the loop's options.
func run(opts ...rt.Option) time.Duration {
	// Get the event loop
	loop := rt.NewLoop(opts...)

	// Run the coroutine until it completes
	if _, err := rt.RunUntilComplete(loop, SayHello()); err != nil {
		log.Fatal(err)
	}
	elapsed := loop.Now()

	// Close the loop
	if err := loop.Close(); err != nil {
		log.Fatal(err)
	}
	return elapsed
}

func main() { run() }
