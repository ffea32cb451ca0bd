//go:build corosrc

package neverawaited

import (
	"fmt"

	"github.com/corogen/corogen/rt"
)

type Conn struct{ open bool }

//coro:async
func (c *Conn) Close() rt.Coro[rt.Void] { // want Close:"async"
	return rt.Do(func() {
		rt.Await(rt.Sleep(0))
		c.open = false
	})
}

//coro:async
func Fetch(src string) rt.Coro[string] { // want Fetch:"async"
	return rt.Async(func() string {
		rt.Sleep(1) // want `rt.Sleep\(...\) is never awaited, so it does not sleep: write rt.Await\(rt.Sleep\(d\)\)`
		return "data from " + src
	})
}

// Pair is not async, but returns a coroutine object.
func Pair() rt.Coro[[]string] { return rt.Gather[string](Fetch("a"), Fetch("b")) }

//coro:async
func Main() rt.Coro[rt.Void] { // want Main:"async"
	return rt.Do(func() {
		c := &Conn{open: true}
		defer c.Close()               // want `defer drops the coroutine of async function neverawaited.Conn.Close, so it never runs`
		Fetch("x")                    // want `the coroutine of async function neverawaited.Fetch is never awaited, so it never runs: write rt.Await`
		(Fetch("y"))                  // want `the coroutine of async function neverawaited.Fetch is never awaited`
		Pair()                        // want `the coroutine object \(rt.Coro\[\[\]string\]\) is never awaited`
		go Fetch("z")                 // want `go drops the coroutine of async function neverawaited.Fetch: the new goroutine only creates it`
		rt.Gather[string](Fetch("p")) // want `the coroutine returned by rt.Gather is never awaited`

		// Awaited, spawned, passed on, stored or dropped on purpose: fine.
		fmt.Println(rt.Await(Fetch("1")))
		t := rt.Spawn(Fetch("2"))
		cs := []rt.Coro[string]{Fetch("3")}
		_ = Fetch("4")
		rt.Await(rt.Gather(t, rt.Spawn(cs[0])))
		defer rt.Await(c.Close())
		s := rt.Sleep(1)
		rt.Await(s)
		f := func() {
			Fetch("5") // want `the coroutine of async function neverawaited.Fetch is never awaited or spawned, so it never runs: await it in an async function, rt.Await\(c\), or spawn it, rt.Spawn\(c\)`
		}
		f()
	})
}

func Plain() {
	Main()      // want `the coroutine of async function neverawaited.Main is never awaited or spawned, so it never runs: await it in an async function`
	rt.Sleep(2) // want `rt.Sleep\(...\) is never awaited, so it does not sleep`
	rt.Run(Main())
}

func init() {
	Main()                  // want `the coroutine of async function neverawaited.Main is never awaited or spawned, so it never runs: run it with rt.Run\(c\)`
	defer (&Conn{}).Close() // want `defer drops the coroutine of async function neverawaited.Conn.Close, so it never runs: write defer rt.Await\(...\) in an async function`
}
