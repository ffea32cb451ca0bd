//go:build corosrc

// Package crosspkg awaits async functions and methods of another package.
package crosspkg

import (
	"errors"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/internal/exectest/crosspkg/lib"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

// Up and Down recurse into each other through the other package's Double.
//
//coro:async
func Up(n int) rt.Coro[int] {
	return rt.Async(func() int {
		if n <= 0 {
			return 0
		}
		return rt.Await(lib.Double(n)) + rt.Await(Down(n-1))
	})
}

//coro:async
func Down(n int) rt.Coro[int] {
	return rt.Async(func() int {
		if n <= 0 {
			return 0
		}
		return rt.Await(Up(n - 1))
	})
}

//coro:async
func Main() rt.Coro[int] {
	return rt.Async(func() int {
		s := lib.NewStore()
		rt.Await(s.Set("a", "x"))
		v := rt.Await(s.Get("a"))
		_, err := rt.Try(s.Get("b"))
		var missing lib.ErrMissing
		out.Say("get a=%s, b: %v (ErrMissing: %v)", v, err, errors.As(err, &missing))
		t := rt.Spawn(lib.Double(21))
		out.Say("spawned %v", t)
		out.Say("task result %d", rt.Await(t))
		return rt.Await(Up(5))
	})
}
