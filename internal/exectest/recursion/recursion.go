//go:build corosrc

// Package recursion exercises async functions that await themselves and
// each other directly (machines behind pointers, reused across calls).
package recursion

import (
	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

// Rec counts down to zero; every level awaits the next directly.
//
//coro:async
func Rec(d int) rt.Coro[int] {
	return rt.Async(func() int {
		if d == 0 {
			return 0
		}
		return rt.Await(Rec(d-1)) + 1
	})
}

// Fib suspends at the leaves, so resuming descends the whole chain.
//
//coro:async
func Fib(n int) rt.Coro[int] {
	return rt.Async(func() int {
		if n < 2 {
			rt.Await(rt.Sleep(1))
			return n
		}
		return rt.Await(Fib(n-1)) + rt.Await(Fib(n-2))
	})
}

// IsEven and IsOdd recurse into each other.
//
//coro:async
func IsEven(n int) rt.Coro[bool] {
	return rt.Async(func() bool {
		if n == 0 {
			return true
		}
		return rt.Await(IsOdd(n - 1))
	})
}

//coro:async
func IsOdd(n int) rt.Coro[bool] {
	return rt.Async(func() bool {
		if n == 0 {
			return false
		}
		rt.Await(rt.Sleep(0))
		return rt.Await(IsEven(n - 1))
	})
}

// Deep awaits a coroutine that completes at once, many times: the fast path
// must not grow the stack.
//
//coro:async
func Deep(n int) rt.Coro[int] {
	return rt.Async(func() int {
		total := 0
		for i := 0; i < n; i++ {
			total += rt.Await(Rec(1))
		}
		return total
	})
}

//coro:async
func Main() rt.Coro[int] {
	return rt.Async(func() int {
		total := 0
		for range 3 {
			total += rt.Await(Rec(100))
		}
		out.Say("rec: %d", total)
		out.Say("fib(10): %d at %v", rt.Await(Fib(10)), rt.Now())
		out.Say("even(7): %v, even(10): %v", rt.Await(IsEven(7)), rt.Await(IsEven(10)))
		out.Say("deep: %d", rt.Await(Deep(10000)))
		return total
	})
}
