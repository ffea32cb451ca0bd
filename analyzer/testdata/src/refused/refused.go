//go:build corosrc

// Package refused has async functions that asyncfn accepts and the
// transform refuses: the analyzer reports what corogen would.
package refused

import "github.com/corogen/corogen/rt"

//coro:async
func Local() rt.Coro[int] { // want Local:"async"
	return rt.Async(func() int {
		type pair struct{ a, b int }
		p := pair{1, 2} // want `type pair is declared inside a function, so a variable of it cannot live across an await; declare the type at package level`
		rt.Await(rt.Sleep(0))
		return p.a + p.b
	})
}
