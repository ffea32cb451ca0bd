//go:build corosrc

package awaitoutside

import "github.com/corogen/corogen/rt"

//coro:async
func Num(n int) rt.Coro[int] { // want Num:"async"
	return rt.Async(func() int {
		rt.Await(rt.Sleep(0)) // an await of the coroutine: fine
		if v, err := rt.Try(rt.Sleep(1)); err == nil {
			_ = v
		}
		f := func() {
			rt.Await(rt.Sleep(0)) // want `rt.Await inside a function literal that is not a coroutine`
		}
		f()
		return n
	})
}

// Plain is not async: its awaits cannot suspend anything.
func Plain() int {
	rt.Await(rt.Sleep(0))    // want `rt.Await outside an async function: only a coroutine can suspend`
	v := rt.Await(Num(1))    // want `rt.Await outside an async function`
	_, err := rt.Try(Num(2)) // want `rt.Try outside an async function`
	go func() {
		rt.Await(rt.Sleep(0)) // want `rt.Await outside an async function`
	}()
	_ = err
	return v
}

// Inline coroutines outside an async function are not transformed; their
// awaits are not reported again.
func Inline() rt.Coro[int] {
	return rt.Async(func() int { // want `rt.Async outside an async function is not transformed by corogen`
		return rt.Await(Num(3))
	})
}

// Runner runs a coroutine from plain code, as it should.
func Runner() (int, error) {
	return rt.Run(Num(4))
}
