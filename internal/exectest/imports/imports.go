//go:build corosrc

// Package imports checks that the generated code names packages as the
// source does: an aliased import, a dot import, and local variables that
// shadow a package's name across awaits.
package imports

import (
	. "math"
	str "strings"
	"time"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

//coro:async
func Upper(s string) rt.Coro[string] {
	return rt.Async(func() string {
		rt.Await(rt.Sleep(time.Second))
		return str.ToUpper(s)
	})
}

//coro:async
func Main() rt.Coro[int] {
	return rt.Async(func() int {
		u := rt.Await(Upper("go"))
		out.Say("aliased: %s %v", u, str.HasPrefix(u, "G"))
		out.Say("dot: %v", Sqrt(rt.Await(four())))
		time := rt.Await(Upper("shadow")) // a local named like a package
		rt.Await(rt.Sleep(1))
		out.Say("local time = %s", time)
		{
			str := []string{time, rt.Await(Upper("x"))}
			out.Say("local str = %v", str)
		}
		out.Say("package str again: %s", str.Repeat("ab", 2))
		return len(time)
	})
}

//coro:async
func four() rt.Coro[float64] {
	return rt.Async(func() float64 {
		rt.Await(rt.Sleep(1))
		return 4
	})
}
