//go:build corosrc

package loophog

import (
	"os"

	"github.com/corogen/corogen/rt"
)

var work int

//coro:async
func Spin(stop func() bool) rt.Coro[rt.Void] { // want Spin:"async"
	return rt.Do(func() {
		for { // want `this loop never awaits and never ends, so it hogs the event loop`
			work++
		}
	})
}

//coro:async
func Hogs(n int) rt.Coro[int] { // want Hogs:"async"
	return rt.Async(func() int {
		if n == 1 {
			for true { // want `this loop never awaits and never ends`
				switch {
				case work > 10:
					break // leaves the switch, not the loop
				}
				for i := 0; i < n; i++ {
					if i > 3 {
						break // leaves the inner loop only
					}
				}
				rt.Spawn(rt.Do(func() { rt.Await(rt.Sleep(0)) })) // want `the result and error of the task started by rt.Spawn are dropped`
			}
		}
		if n == 2 {
			for { // want `this loop never awaits and never ends`
			}
		}
	outer:
		for range 3 {
			for { // leaves by continue outer: fine
				if work > 0 {
					continue outer
				}
				work++
			}
		}
		for { // awaits: fine
			rt.Await(rt.Sleep(0))
		}
	})
}

//coro:async
func Exits(n int) rt.Coro[int] { // want Exits:"async"
	return rt.Async(func() int {
		for {
			if work > n {
				break
			}
			work++
		}
	loop:
		for {
			select {
			default:
				break loop
			}
		}
		for {
			if work > 2*n {
				return work
			}
			work++
			if work > 3*n {
				panic("too much")
			}
			if work > 4*n {
				os.Exit(1)
			}
		}
	})
}

//coro:async
func Bounded(n int) rt.Coro[int] { // want Bounded:"async"
	return rt.Async(func() int {
		for i := 0; i < n; i++ {
			work++
		}
		for work < n {
			work++
		}
		go func() {
			for { // not on the loop: fine
				work++
			}
		}()
		return work
	})
}

// Plain code is not on a loop that the analyzer knows of.
func Plain() {
	for {
		work++
	}
}
