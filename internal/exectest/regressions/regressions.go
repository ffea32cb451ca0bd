//go:build corosrc

// Package regressions holds programs the differential fuzzer
// (internal/difffuzz) found the transform getting wrong, fixed since.
package regressions

import (
	"fmt"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

func note(id string, v int) int {
	out.Say("eval %s = %d", id, v)
	return v
}

//coro:async
func Seven() rt.Coro[int] {
	return rt.Async(func() int { return 7 })
}

//coro:async
func Main() rt.Coro[int] {
	return rt.Async(func() (res int) {
		// 1: an explicit type argument of Gather is kept.
		rs := rt.Await(rt.Gather[int]())
		// 3: a range over an array with only the key evaluates the range
		// expression when its length is not constant (a call in it)...
		for i := range [2]int{note("x", 1), 2} {
			rt.Await(rt.Sleep(1))
			out.Say("array index %d", i)
		}
		// ...and still names the variables it reads when it is.
		n := 1
		for i := range [2]int{n, 2} {
			rt.Await(rt.Sleep(1))
			out.Say("constant-length index %d", i)
		}
		// 4: a named result assigned from an await and never read.
		res = rt.Await(Seven())
		// 5: fallthrough in a switch that needs no lowering.
		switch 1 {
		case 0:
			fallthrough
		case 1:
			out.Say("fell through")
		}
		// 6: labeled break and continue out of a range loop whose range
		// expression awaits.
	L:
		for _, v := range []int{rt.Await(Seven()), 8} {
			out.Say("break %d", v)
			break L
		}
	M:
		for _, v := range []int{rt.Await(Seven()), 8} {
			out.Say("continue %d", v)
			continue M
		}
		// 8: an await in a literal deferred inside a deferred literal,
		// also after a recovered panic, two levels down.
		rt.Await(NestedDefers())
		// Try returns failures, not panics: a panic in a coroutine awaited
		// in place keeps its value, as through a call; one in a task
		// arrives as a *PanicError.
		out.Say("%s", rt.Await(TryPanics(false)))
		out.Say("%s", rt.Await(TryPanics(true)))
		return len(rs)
	})
}

//coro:async
func NestedDefers() rt.Coro[int] {
	return rt.Async(func() (n int) {
		defer func() {
			defer func() {
				defer func() {
					rt.Await(rt.Sleep(2))
					out.Say("innermost, n = %d", n)
				}()
				defer func() {
					out.Say("recovered %v", recover())
					rt.Await(rt.Sleep(3))
					n++
				}()
				rt.Await(rt.Sleep(5))
				panic("boom")
			}()
			out.Say("outer, n = %d", n)
			n = 10
		}()
		return 1
	})
}

//coro:async
func Boom() rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(rt.Sleep(1))
		panic("boom")
	})
}

//coro:async
func TryPanics(spawn bool) rt.Coro[string] {
	return rt.Async(func() (got string) {
		defer func() {
			r := recover()
			got = fmt.Sprintf("recovered %T", r)
			if pe, ok := r.(*rt.PanicError); ok {
				got += " of " + fmt.Sprint(pe.Value)
			}
		}()
		var a rt.Awaitable[int] = Boom()
		if spawn {
			a = rt.Spawn(Boom())
		}
		_, err := rt.Try(a)
		return "Try returned " + err.Error()
	})
}
