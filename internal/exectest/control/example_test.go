//go:build corosrc

package control

import (
	"fmt"

	"github.com/corogen/corogen/rt"
)

// Half is an async function only the tests hold.
//
//coro:async
func Half(n int) rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(rt.Sleep(0))
		return n / 2
	})
}

// An Example in a file of async functions keeps its output comment in the
// generated file, so go test runs it in both build modes.
func Example() {
	v, err := rt.Run(Half(84))
	fmt.Println(v, err)
	// Output: 42 <nil>
}
