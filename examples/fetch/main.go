//go:build corosrc

// Fetch is the seed's §7: fetching data from two sources concurrently.
package main

import (
	"fmt"
	"log"
	"time"

	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

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

//coro:async
func Main() rt.Coro[rt.Void] {
	return rt.Do(func() {
		// Schedule both FetchData coroutines concurrently
		task1 := rt.Spawn(FetchData("Source 1", 2*time.Second))
		task2 := rt.Spawn(FetchData("Source 2", 3*time.Second))

		// Await both tasks to complete
		results := rt.Await(rt.Gather(task1, task2))

		fmt.Println("📊 Results:")
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
