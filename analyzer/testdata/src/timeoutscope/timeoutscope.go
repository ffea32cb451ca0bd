//go:build corosrc

package timeoutscope

import (
	"time"

	"github.com/corogen/corogen/rt"
)

//coro:async
func Work() rt.Coro[int] { // want Work:"async"
	return rt.Async(func() int { return 1 })
}

// OnlyDeferred ends its scope only with a deferred End(nil).
//
//coro:async
func OnlyDeferred() rt.Coro[int] { // want OnlyDeferred:"async"
	return rt.AsyncErr(func() (int, error) {
		scope := rt.Await(rt.Timeout(time.Second))
		defer scope.End(nil) // want `the timeout scope is only ended by a deferred End\(nil\), which cannot see the failure of the work it limits: when the deadline passes that failure arrives as rt.ErrCancelled, not rt.ErrTimeout; where the work ends, write err = scope.End\(err\)`
		return rt.Try(Work())
	})
}

// Dropped ends its scope but drops what End returns.
//
//coro:async
func Dropped() rt.Coro[int] { // want Dropped:"async"
	return rt.AsyncErr(func() (int, error) {
		scope := rt.Await(rt.Timeout(time.Second))
		v, err := rt.Try(Work())
		scope.End(err) // want `the error End returns is dropped, and only that result turns the deadline's cancellation into rt.ErrTimeout: write err = scope.End\(err\)`
		return v, err
	})
}

// Good ends its scope with End(err) and keeps the deferred End as a
// safety net; Passed hands its scope to a helper that may end it.
//
//coro:async
func Good() rt.Coro[int] { // want Good:"async"
	return rt.AsyncErr(func() (int, error) {
		scope := rt.Await(rt.Timeout(time.Second))
		defer scope.End(nil)
		v, err := rt.Try(Work())
		err = scope.End(err)
		return v, err
	})
}

//coro:async
func Passed() rt.Coro[int] { // want Passed:"async"
	return rt.AsyncErr(func() (int, error) {
		scope := rt.Await(rt.Timeout(time.Second))
		defer scope.End(nil)
		v, err := rt.Try(Work())
		return v, finish(scope, err)
	})
}

func finish(scope *rt.TimeoutScope, err error) error { return scope.End(err) }
