//go:build corosrc

// Package fetch is the seed's §7 example: fetching two sources concurrently.
package fetch

import (
	"fmt"
	"time"

	"github.com/corogen/corogen/rt"
)

//go:generate corogen

// FetchData simulates fetching data from a source.
//
//coro:async
func FetchData(source string, delay time.Duration) rt.Coro[string] {
	return rt.Async(func() string {
		fmt.Printf("📥 Fetching data from %s\n", source)
		rt.Await(rt.Sleep(delay)) // Simulate I/O operation
		data := "Data from " + source
		fmt.Printf("✅ Finished fetching from %s\n", source)
		return data
	})
}

// Main schedules both fetches concurrently and prints the results.
//
//coro:async
func Main() rt.Coro[rt.Void] {
	return rt.Do(func() {
		task1 := rt.Spawn(FetchData("Source 1", 2*time.Second))
		task2 := rt.Spawn(FetchData("Source 2", 3*time.Second))

		results := rt.Await(rt.Gather(task1, task2))

		fmt.Println("📊 Results:")
		for _, result := range results {
			fmt.Println(result)
		}
	})
}
