//go:build corosrc

package fresh

import "github.com/corogen/corogen/rt"

//coro:async
func twice(n int) rt.Coro[int] { // want twice:"async"
	return rt.Async(func() int { return 2 * rt.Await(Job(n)) })
}
