//go:build corosrc

// Package fresh gets its generated files written by the test, with and
// without //line directives, before it is analysed: then nothing is stale.
package fresh

import "github.com/corogen/corogen/rt"

//go:generate corogen

//coro:async
func Job(n int) rt.Coro[int] { // want Job:"async"
	return rt.Async(func() int {
		rt.Await(rt.Sleep(0))
		return n
	})
}
