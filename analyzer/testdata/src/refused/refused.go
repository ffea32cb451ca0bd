//go:build corosrc

// Package refused has async functions that asyncfn accepts and the
// transform refuses: the analyzer reports what corogen would.
package refused

import "github.com/corogen/corogen/rt"

//coro:async
func Local() rt.Coro[int] { // want Local:"async"
	return rt.Async(func() int {
		const n = 2
		type pair [n]int // want `type pair is declared inside an async function and depends on n, local to the function; declare both at package level`
		p := pair{1, 2}
		rt.Await(rt.Sleep(0))
		return p[0] + p[1]
	})
}

// The validation's findings do not keep the transform from running: both
// are reported, as corogen reports them, and each once.

//coro:async
func Shape() rt.Coro[int] {
	x := 1 // want `the body of an async function must be a single statement`
	return rt.Async(func() int { return x })
}

//coro:async
func Closure() rt.Coro[int] { // want Closure:"async"
	return rt.Async(func() int {
		f := func() {
			rt.Await(rt.Sleep(0)) // want `rt.Await inside a function literal that is not a coroutine`
		}
		f()
		return 0
	})
}
