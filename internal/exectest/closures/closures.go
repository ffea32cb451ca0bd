//go:build corosrc

// Package closures exercises closures over variables that live across
// awaits, Go 1.22 per-iteration loop variables, shadowing, and inline
// coroutines spawned in loops.
package closures

import (
	"fmt"
	"strings"
	"time"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

//coro:async
func LoopVars() rt.Coro[string] {
	return rt.Async(func() string {
		var fs []func() int
		// a three-clause loop whose variable closures capture, with an
		// await in the body: each closure keeps its own i
		for i := 0; i < 3; i++ {
			fs = append(fs, func() int { return i })
			rt.Await(rt.Sleep(1))
			i += 0
		}
		var ps []*int
		for _, v := range []int{10, 20, 30} {
			ps = append(ps, &v)
			rt.Await(rt.Sleep(1))
		}
		var b strings.Builder
		for _, f := range fs {
			fmt.Fprint(&b, f(), " ")
		}
		for _, p := range ps {
			fmt.Fprint(&b, *p, " ")
		}
		// a variable declared in the body, captured, live across the await
		var gs []func() string
		for k := range 2 {
			s := fmt.Sprint("s", k)
			gs = append(gs, func() string { return s })
			rt.Await(rt.Sleep(1))
			s += "!"
		}
		for _, g := range gs {
			fmt.Fprint(&b, g(), " ")
		}
		return b.String()
	})
}

//coro:async
func Shared() rt.Coro[int] {
	return rt.Async(func() int {
		count := 0
		inc := func() { count++ } // created before the await
		rt.Await(rt.Sleep(1))
		inc() // called after it: writes the same variable
		inc()
		get := func() int { return count }
		rt.Await(rt.Sleep(1))
		count += 10
		out.Say("shared count %d %d", count, get())
		p := &count
		rt.Await(rt.Sleep(1))
		*p = 100
		return count
	})
}

//coro:async
func Shadow() rt.Coro[string] {
	return rt.Async(func() string {
		x := "outer"
		{
			x := "inner"
			rt.Await(rt.Sleep(1))
			out.Say("block x=%s", x)
		}
		if x := 5; x > 1 {
			rt.Await(rt.Sleep(1))
			out.Say("if x=%d", x)
		}
		for x := 0; x < 1; x++ {
			rt.Await(rt.Sleep(1))
			out.Say("for x=%d", x)
		}
		err := fmt.Errorf("first")
		if true {
			err := fmt.Errorf("second")
			rt.Await(rt.Sleep(1))
			_ = err
		}
		out.Say("err=%v", err)
		// names that could clash with generated ones
		m, cx, state, c := 1, 2, 3, 4
		rt.Await(rt.Sleep(1))
		out.Say("m=%d cx=%d state=%d c=%d", m, cx, state, c)
		return x
	})
}

//coro:async
func Inline() rt.Coro[int] {
	return rt.Async(func() int {
		var tasks []*rt.Task[int]
		base := 100
		for i := range 3 {
			// an inline coroutine capturing the loop variable and a local
			tasks = append(tasks, rt.Spawn(rt.Async(func() int {
				rt.Await(rt.Sleep(time.Duration(3 - i)))
				out.Say("inline %d done at %v", i, rt.Now())
				return base + i
			})))
		}
		base = 1000 // seen by the coroutines: they share base
		results := rt.Await(rt.Gather(rt.Awaitables(tasks)...))
		out.Say("inline results %v", results)
		total := 0
		for _, r := range results {
			total += r
		}
		// an inline coroutine awaited directly, and one that returns an error
		v := rt.Await(rt.Async(func() int { return total * 2 }))
		_, err := rt.Try(rt.AsyncErr(func() (int, error) {
			rt.Await(rt.Sleep(1))
			return 0, fmt.Errorf("inline failure %d", v)
		}))
		out.Say("%v", err)
		done := false
		rt.Await(rt.Do(func() { done = true }))
		out.Say("do ran: %v", done)
		return v
	})
}

//coro:async
func Main() rt.Coro[int] {
	return rt.Async(func() int {
		out.Say("loop vars: %s", rt.Await(LoopVars()))
		n := rt.Await(Shared())
		out.Say("shared %d", n)
		out.Say("shadow %s", rt.Await(Shadow()))
		return rt.Await(Inline())
	})
}
