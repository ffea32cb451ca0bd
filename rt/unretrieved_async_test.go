//go:build corosrc

package rt_test

import (
	"errors"

	"github.com/corogen/corogen/rt"
)

// failWith fails with an error saying msg.
//
//coro:async
func failWith(msg string) rt.Coro[int] {
	return rt.AsyncErr(func() (int, error) { return 0, errors.New(msg) })
}

// loseErrors leaves tasks to fail in every way an error can be handled or
// not: one is never looked at ("lost"), one is read after it failed, one is
// awaited, one is cancelled before it runs.
//
//coro:async
func loseErrors() rt.Coro[rt.Void] {
	return rt.Do(func() {
		_ = rt.Spawn(failWith("lost"))
		later := rt.Spawn(failWith("read later"))
		awaited := rt.Spawn(failWith("awaited"))
		cancelled := rt.Spawn(failWith("cancelled"))
		cancelled.Cancel()
		rt.Try(awaited)
		rt.Await(rt.Sleep(0))
		later.Result()
	})
}
