//go:build corosrc

// Package control exercises if/else, for loops and labeled branches with
// awaits in every position.
package control

import (
	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

// Num returns n after a turn of the loop.
//
//coro:async
func Num(n int) rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(rt.Sleep(0))
		return n
	})
}

// Yes returns b and logs that it was evaluated.
//
//coro:async
func Yes(name string, b bool) rt.Coro[bool] {
	return rt.Async(func() bool {
		out.Say("eval %s", name)
		rt.Await(rt.Sleep(0))
		return b
	})
}

//coro:async
func Ifs() rt.Coro[rt.Void] {
	return rt.Do(func() {
		if x := rt.Await(Num(3)); x > 2 {
			out.Say("if-init await: %d", x)
		} else {
			out.Say("unreachable")
		}
		if rt.Await(Num(1)) == 2 {
			out.Say("wrong")
		} else if y := rt.Await(Num(2)); y == 2 {
			out.Say("else-if with await: %d", y)
			rt.Await(rt.Sleep(1))
		} else {
			out.Say("wrong")
		}
		z := 0
		if z == 0 {
			z = rt.Await(Num(10))
		}
		out.Say("z=%d", z)
		// short circuit: the right side's await runs only when needed
		if rt.Await(Yes("a", false)) && rt.Await(Yes("b", true)) {
			out.Say("wrong")
		}
		if rt.Await(Yes("c", true)) || rt.Await(Yes("d", true)) {
			out.Say("c || d")
		}
		if rt.Await(Yes("e", true)) && (rt.Await(Yes("f", false)) || rt.Await(Yes("g", true))) {
			out.Say("e && (f || g)")
		}
	})
}

//coro:async
func Loops() rt.Coro[int] {
	return rt.Async(func() int {
		total := 0
		// awaits in the condition, the post statement and the body
		for i := rt.Await(Num(0)); i < rt.Await(Num(3)); i += rt.Await(Num(1)) {
			total += rt.Await(Num(i))
			out.Say("three-clause i=%d total=%d", i, total)
		}
		// a while loop whose body ends with an await
		n := 0
		for n < 3 {
			n++
			out.Say("while n=%d", n)
			rt.Await(rt.Sleep(1))
		}
		// an infinite loop left by break, with continue
		k := 0
		for {
			k++
			if k%2 == 0 {
				rt.Await(rt.Sleep(0))
				continue
			}
			if k > 6 {
				break
			}
			out.Say("forever k=%d", k)
			rt.Await(rt.Sleep(0))
		}
		// labeled break and continue across nested loops
	outer:
		for a := 0; a < 3; a++ {
			for b := 0; b < 3; b++ {
				if b == a {
					rt.Await(rt.Sleep(0))
					continue outer
				}
				if a == 2 && b == 1 {
					break outer
				}
				out.Say("pair %d %d", a, b)
				rt.Await(rt.Sleep(0))
			}
		}
		// a loop without awaits inside a loop with them
		for i := 0; i < 2; i++ {
			sum := 0
			for j := 0; j < 4; j++ {
				if j == 3 {
					break
				}
				sum += j
			}
			rt.Await(rt.Sleep(1))
			out.Say("inner sum %d", sum)
		}
		return total + n + k
	})
}

//coro:async
func Gotos() rt.Coro[int] {
	return rt.Async(func() int {
		i := 0
	again:
		if i < 3 {
			rt.Await(rt.Sleep(0))
			i++
			out.Say("goto round %d", i)
			goto again
		}
		if i == 3 {
			goto done
		}
		out.Say("skipped")
	done:
		rt.Await(rt.Sleep(1))
		return i
	})
}

//coro:async
func Main() rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(Ifs())
		a := rt.Await(Loops())
		b := rt.Await(Gotos())
		out.Say("now %v", rt.Now())
		return a*100 + b
	})
}
