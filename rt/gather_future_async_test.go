//go:build corosrc

package rt_test

import "github.com/corogen/corogen/rt"

// gatherFuture awaits a Gather of one future.
//
//coro:async
func gatherFuture(f *rt.Future[int]) rt.Coro[[]int] {
	return rt.Async(func() []int { return rt.Await(rt.Gather[int](f)) })
}

// awaitFuture awaits f.
//
//coro:async
func awaitFuture(f *rt.Future[int]) rt.Coro[int] {
	return rt.Async(func() int { return rt.Await(f) })
}
