//go:build corosrc

package malformed

import "github.com/corogen/corogen/rt"

//coro:async // ERROR "marks a var declaration"
var notAFunc = 1

//coro:async
func NoReturn() rt.Coro[int] {
	panic("x") // ERROR "single statement"
}

//coro:async
func Plain() int { // ERROR "must return rt.Coro"
	return 1
}

//coro:async
func TwoStatements() rt.Coro[int] {
	x := 1 // ERROR "single statement"
	return rt.Async(func() int { return x })
}

//coro:async
func NotLiteral(f func() int) rt.Coro[int] {
	return rt.Async(f) // ERROR "single statement"
}

// coro:async // ERROR "no space after //"
func Misspelled() rt.Coro[int] {
	return rt.Async(func() int { return 1 })
}

//coro:async
func InlineNotLiteral(f func() int) rt.Coro[int] {
	return rt.Async(func() int {
		return rt.Await(rt.Async(f)) // ERROR "needs a function literal argument"
	})
}
