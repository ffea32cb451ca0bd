//go:build corosrc

// Package exprs exercises awaits inside expressions: evaluation order with
// the calls around them, composite literals, index expressions,
// multi-value and compound assignments, and rt.Try.
package exprs

import (
	"errors"
	"fmt"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

// call is a plain function call that logs when it is evaluated.
func call(name string, v int) int {
	out.Say("call %s", name)
	return v
}

//coro:async
func A(name string, v int) rt.Coro[int] {
	return rt.Async(func() int {
		out.Say("await %s", name)
		rt.Await(rt.Sleep(1))
		return v
	})
}

var errOdd = errors.New("odd")

//coro:async
func Check(v int) rt.Coro[int] {
	return rt.AsyncErr(func() (int, error) {
		rt.Await(rt.Sleep(0))
		if v%2 == 1 {
			return 0, fmt.Errorf("check %d: %w", v, errOdd)
		}
		return v, nil
	})
}

func sum(xs ...int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

type point struct{ X, Y int }

//coro:async
func Order() rt.Coro[rt.Void] {
	return rt.Do(func() {
		// calls before an await run before it; after it, after.
		out.Say("sum %d", sum(call("a", 1), rt.Await(A("b", 2)), call("c", 3), rt.Await(A("d", 4)), call("e", 5)))
		// a variable read is evaluated after the calls, as gc does
		x := 1
		bump := func() int { x += 10; return x }
		out.Say("reads %d %d %d", x, bump(), rt.Await(A("x", x)))
		// composite literals
		p := point{X: call("px", 1), Y: rt.Await(A("py", 2))}
		xs := []int{call("s0", 0), rt.Await(A("s1", 1)), call("s2", 2)}
		m := map[string]int{"k" + fmt.Sprint(call("mk", 1)): rt.Await(A("mv", 5))}
		out.Say("literals %v %v %v", p, xs, m)
		// index expressions and slices
		out.Say("index %d", xs[rt.Await(A("i", 2))])
		out.Say("slice %v", xs[call("lo", 0):rt.Await(A("hi", 2))])
		// unary, binary and nested awaits
		out.Say("arith %d", -rt.Await(A("n", 3))*rt.Await(A("m", rt.Await(A("inner", 4)))))
		// conversions and method values on awaited values
		out.Say("conv %s", fmt.Sprint(float64(rt.Await(A("f", 7)))/2))
	})
}

//coro:async
func Assign() rt.Coro[rt.Void] {
	return rt.Do(func() {
		xs := make([]int, 4)
		// the index operand is evaluated before the right side's await
		xs[call("idx", 1)] = rt.Await(A("val", 10))
		// multi-value assignment: all right sides, then assignment, left to right
		a, b := rt.Await(A("a", 1)), rt.Await(A("b", 2))
		a, b = b, rt.Await(A("swap", a))
		out.Say("xs=%v a=%d b=%d", xs, a, b)
		// compound assignment: the left side is read where Go reads it
		n := 5
		n += rt.Await(A("inc", 3))
		xs[call("i2", 2)] += rt.Await(A("inc2", 4))
		m := map[string]int{}
		m["k"] -= rt.Await(A("dec", 1))
		out.Say("n=%d xs=%v m=%v", n, xs, m)
		var s struct{ f []int }
		s.f = append(s.f, rt.Await(A("app", 9)))
		ptr := &s
		ptr.f[0] *= rt.Await(A("mul", 2))
		out.Say("s=%v", s)
		var arr [3]int
		arr[rt.Await(A("ai", 1))]++
		out.Say("arr=%v", arr)
	})
}

//coro:async
func Tries() rt.Coro[int] {
	return rt.Async(func() int {
		total := 0
		for i := range 4 {
			v, err := rt.Try(Check(i))
			if err != nil {
				out.Say("try %d failed: %v (is errOdd: %v)", i, err, errors.Is(err, errOdd))
				continue
			}
			total += v
		}
		if _, err := rt.Try(Check(3)); err != nil {
			out.Say("if-init try: %v", err)
		}
		// Await of a failing coroutine: the caller fails with the same error
		_, err := rt.Try(Fails())
		out.Say("await failure propagated: %v", err)
		f := rt.NewFuture[int]()
		f.SetResult(7)
		out.Say("try only: %d", rt.Await(TryOnly(f)))
		g := rt.NewFuture[int]()
		g.SetError(errOdd)
		_, err = rt.Try(ReturnTry(g))
		out.Say("return try: %d, %v", rt.Await(ReturnTry(f)), err)
		return total
	})
}

// TryOnly assigns both results of rt.Try straight to new variables.
//
//coro:async
func TryOnly(f *rt.Future[int]) rt.Coro[int] {
	return rt.AsyncErr(func() (int, error) {
		v, e := rt.Try(f)
		return v, e
	})
}

// ReturnTry returns both results of rt.Try.
//
//coro:async
func ReturnTry(f *rt.Future[int]) rt.Coro[int] {
	return rt.AsyncErr(func() (int, error) {
		return rt.Try(f)
	})
}

//coro:async
func Fails() rt.Coro[int] {
	return rt.Async(func() int {
		v := rt.Await(Check(5))
		out.Say("not reached %d", v)
		return v
	})
}

// and logs its evaluation and returns b.
func and(name string, b bool) bool {
	out.Say("cond %s", name)
	return b
}

//coro:async
func B(name string, b bool) rt.Coro[bool] {
	return rt.Async(func() bool {
		out.Say("await %s", name)
		return b
	})
}

//coro:async
func Logic() rt.Coro[rt.Void] {
	return rt.Do(func() {
		r1 := and("p", false) && rt.Await(B("q", true))
		r2 := and("r", true) || rt.Await(B("s", true))
		r3 := rt.Await(B("t", true)) && and("u", true) && rt.Await(B("v", false)) || rt.Await(B("w", true))
		out.Say("logic %v %v %v", r1, r2, r3)
		for i := 0; i < 3 && rt.Await(B(fmt.Sprint("loop", i), i != 1)); i++ {
			out.Say("loop body %d", i)
		}
	})
}

//coro:async
func Main() rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(Order())
		rt.Await(Assign())
		t := rt.Await(Tries())
		rt.Await(Logic())
		return t
	})
}
