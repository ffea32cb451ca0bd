//go:build corosrc

package malformed

import "github.com/corogen/corogen/rt"

// want +1 `malformed directive "// coro:async": write //coro:async with no space after //`
// coro:async
func Spaced() rt.Coro[int] {
	return rt.Async(func() int { return 1 }) // want `rt.Async outside an async function`
}

// want +2 `//coro:async marks a var declaration`
//
//coro:async
var v = 1

//coro:async
func TwoStatements() rt.Coro[int] { // want TwoStatements:"async"
	return rt.Async(func() int { return v })
}

//coro:async
func Shape() rt.Coro[int] {
	x := 1 // want `the body of an async function must be a single statement`
	return rt.Async(func() int { return x })
}

//coro:async
func NotCoro() int { // want `async function NotCoro must return rt.Coro\[T\]`
	return 1
}

//coro:async
func GoAwait() rt.Coro[int] { // want GoAwait:"async"
	return rt.Async(func() int {
		go rt.Await(TwoStatements()) // want `go rt.Await\(...\) does not run anything concurrently: spawn the coroutine instead, rt.Spawn\(c\)`
		return 0
	})
}
