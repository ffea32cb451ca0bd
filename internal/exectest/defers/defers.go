//go:build corosrc

// Package defers exercises defer, recover and panic in async functions:
// deferred calls run last first when the body returns, fails, is cancelled
// or panics; they may await; named results changed by them are returned.
package defers

import (
	"errors"
	"fmt"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

func note(s string) { out.Say("deferred %s", s) }

//coro:async
func Close(name string) rt.Coro[rt.Void] {
	return rt.Do(func() {
		rt.Await(rt.Sleep(1))
		out.Say("closed %s at %v", name, rt.Now())
	})
}

// Order: LIFO, arguments evaluated at the defer statement.
//
//coro:async
func Order() rt.Coro[int] {
	return rt.Async(func() (n int) {
		defer note("first")
		i := 1
		defer fmt.Sprint(i) // a deferred call whose result is dropped
		defer out.Say("deferred with arg i=%d", i)
		i = 2
		for k := 0; k < 3; k++ {
			defer note(fmt.Sprint("loop ", k))
		}
		defer func() { n *= 10 }() // a named result changed after return
		rt.Await(rt.Sleep(1))
		defer rt.Await(Close("resource")) // awaited while unwinding
		return i
	})
}

var errBoom = errors.New("boom")

//coro:async
func Fail() rt.Coro[int] {
	return rt.AsyncErr(func() (int, error) {
		return 0, errBoom
	})
}

// OnFailure: an await that fails unwinds through the defers; recover()
// returns nil during that unwinding, which is not a panic.
//
//coro:async
func OnFailure() rt.Coro[rt.Void] {
	return rt.Do(func() {
		defer func() {
			out.Say("recover during failure: %v", recover())
		}()
		defer note("on failure")
		rt.Await(Fail())
		out.Say("not reached")
	})
}

// Panics: recover() in a deferred literal stops a panic and sets the result.
//
//coro:async
func Panics(what string) rt.Coro[string] {
	return rt.AsyncErr(func() (res string, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("recovered: %v", r)
			}
		}()
		defer note("before the recover")
		rt.Await(rt.Sleep(1))
		if what == "panic" {
			panic("oh no")
		}
		return "fine", nil
	})
}

// Child panics; the parent awaits it directly and recovers the same value.
//
//coro:async
func Child() rt.Coro[int] {
	return rt.Async(func() int {
		defer note("child")
		rt.Await(rt.Sleep(1))
		var m map[string]int
		m["x"] = 1 // nil map write: a runtime panic
		return 1
	})
}

//coro:async
func Parent() rt.Coro[string] {
	return rt.Async(func() (s string) {
		defer func() {
			r := recover()
			s = fmt.Sprintf("parent recovered: %v", r)
		}()
		rt.Await(Child())
		return "not reached"
	})
}

// AsyncDefer: a deferred function literal that awaits, and recovers.
//
//coro:async
func AsyncDefer() rt.Coro[string] {
	return rt.Async(func() (s string) {
		defer func() {
			rt.Await(rt.Sleep(2))
			if r := recover(); r != nil {
				s = fmt.Sprintf("recovered after an await: %v at %v", r, rt.Now())
			}
		}()
		defer func(x int) {
			rt.Await(rt.Sleep(1))
			out.Say("deferred literal with argument %d", x)
		}(42)
		rt.Await(rt.Sleep(1))
		panic(fmt.Sprintf("panic %d", 7))
	})
}

// Cancelled: the defers of a cancelled task run, and may await.
//
//coro:async
func Worker(started *bool) rt.Coro[rt.Void] {
	return rt.Do(func() {
		defer func() {
			rt.Await(rt.Sleep(5))
			out.Say("worker cleaned up at %v", rt.Now())
		}()
		defer note("worker")
		*started = true
		rt.Await(rt.Sleep(1000))
		out.Say("not reached")
	})
}

//coro:async
func Cancelled() rt.Coro[rt.Void] {
	return rt.Do(func() {
		started := false
		t := rt.Spawn(Worker(&started))
		rt.Await(rt.Sleep(10))
		out.Say("cancel requested: %v (started %v)", t.Cancel(), started)
		_, err := rt.Try(t)
		out.Say("worker ended: %v, cancelled: %v, at %v", err, t.Cancelled(), rt.Now())
	})
}

// Replaced: a panic in a deferred call replaces the failure; a later
// recover brings the failure back (as with Go's Goexit).
//
//coro:async
func Replaced() rt.Coro[rt.Void] {
	return rt.Do(func() {
		defer func() { out.Say("recovered %v", recover()) }()
		defer func() { panic("in a deferred call") }()
		rt.Await(Fail())
	})
}

//coro:async
func Main() rt.Coro[int] {
	return rt.Async(func() int {
		n := rt.Await(Order())
		out.Say("order returned %d", n)
		_, err := rt.Try(OnFailure())
		out.Say("on failure: %v", err)
		for _, w := range []string{"fine", "panic"} {
			s, err := rt.Try(Panics(w))
			out.Say("panics(%s): %q %v", w, s, err)
		}
		out.Say("%s", rt.Await(Parent()))
		out.Say("%s", rt.Await(AsyncDefer()))
		rt.Await(Cancelled())
		_, err = rt.Try(Replaced())
		out.Say("replaced: %v", err)
		return n
	})
}
