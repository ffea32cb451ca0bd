// Package asyncuser calls the async functions of asynclib from plain code,
// in a file that needs no build tag.
package asyncuser

import (
	"strconv"

	"asynclib"
	"github.com/corogen/corogen/rt"
)

func Use(c *asynclib.Client) {
	asynclib.Fetch("a")                   // want `the coroutine of async function asynclib.Fetch is never awaited or spawned`
	asynclib.Map(1, strconv.Itoa)         // want `the coroutine of async function asynclib.Map is never awaited or spawned`
	c.Get("/")                            // want `the coroutine of async function asynclib.Client.Get is never awaited or spawned`
	asynclib.Wrapper()                    // want `the coroutine object \(rt.Coro\[string\]\) is never awaited or spawned`
	rt.Run(asynclib.Map(2, strconv.Itoa)) // fine
}
