//go:build corosrc

// Package loopcalls calls the rt functions that need the running loop;
// in an async function corogen hands them the task's loop instead of
// letting them look it up by goroutine.
package loopcalls

import (
	"time"

	"github.com/corogen/corogen/rt"
)

//coro:async
func Ret(i int) rt.Coro[int] {
	return rt.Async(func() int { return i })
}

//coro:async
func Uses() rt.Coro[int] {
	return rt.Async(func() int {
		loop := rt.RunningLoop()
		t := rt.Spawn(Ret(1))
		rs := rt.Await(rt.Gather(Ret(2), t))
		more := rt.Await(rt.GatherAll([]rt.Coro[int]{Ret(4)}))
		at := rt.Now()
		_ = rt.CurrentTask()
		at += time.Duration(rt.Await(rt.Shield(Ret(3))))
		return rs[0] + rs[1] + more[0] + int(at/time.Second) + int(loop.Now()/time.Second)
	})
}
