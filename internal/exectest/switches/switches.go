//go:build corosrc

// Package switches exercises switch, type switch and select statements with
// awaits in tags, case expressions and bodies.
package switches

import (
	"fmt"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

//coro:async
func Val(name string, v int) rt.Coro[int] {
	return rt.Async(func() int {
		out.Say("eval %s", name)
		rt.Await(rt.Sleep(0))
		return v
	})
}

//coro:async
func Tags() rt.Coro[rt.Void] {
	return rt.Do(func() {
		// an await in the tag; bodies await
		switch x := rt.Await(Val("tag", 2)); x {
		case 1:
			out.Say("one")
		case 2, 3:
			rt.Await(rt.Sleep(1))
			out.Say("two or three: %d", x)
			fallthrough
		case 4:
			out.Say("fell into four")
			rt.Await(rt.Sleep(1))
		default:
			out.Say("default")
		}
		// awaits in case expressions: evaluated in order, only until one matches
		switch rt.Await(Val("tag2", 5)) {
		case rt.Await(Val("c1", 1)), rt.Await(Val("c2", 5)), rt.Await(Val("c3", 5)):
			out.Say("matched second")
		case rt.Await(Val("c4", 9)):
			out.Say("wrong")
		}
		// default in the middle, reached only after all cases
		switch v := 7; v {
		case rt.Await(Val("a", 1)):
			out.Say("wrong")
		default:
			out.Say("default in the middle")
			rt.Await(rt.Sleep(0))
		case rt.Await(Val("b", 2)):
			out.Say("wrong")
		}
		// a tagless switch with awaits in the conditions
		n := 4
		switch {
		case n > rt.Await(Val("limit", 10)):
			out.Say("wrong")
		case n > rt.Await(Val("low", 3)):
			out.Say("n > 3")
			break
		}
	})
}

//coro:async
func InLoop() rt.Coro[int] {
	return rt.Async(func() int {
		count := 0
	loop:
		for i := 0; i < 6; i++ {
			switch i % 3 {
			case 0:
				rt.Await(rt.Sleep(0))
				continue
			case 1:
				if i > 3 {
					break loop
				}
				count++
			default:
				switch {
				case i == 2:
					rt.Await(rt.Sleep(0))
					continue loop
				}
			}
			out.Say("after switch i=%d", i)
		}
		// continue inside a switch inside a loop with no awaits in the switch
		for j := 0; j < 3; j++ {
			switch j {
			case 1:
				continue
			}
			rt.Await(rt.Sleep(0))
			out.Say("j=%d", j)
		}
		return count
	})
}

type shape interface{ area() int }
type square struct{ s int }
type rect struct{ w, h int }

func (s square) area() int { return s.s * s.s }
func (r rect) area() int   { return r.w * r.h }

//coro:async
func Types(vals []any) rt.Coro[int] {
	return rt.Async(func() int {
		total := 0
		for _, v := range vals {
			switch x := v.(type) {
			case nil:
				out.Say("nil")
			case int:
				rt.Await(rt.Sleep(1))
				total += x
				out.Say("int %d", x)
			case string, fmt.Stringer:
				rt.Await(rt.Sleep(1))
				out.Say("stringish %v", x)
			case shape:
				a := x.area()
				rt.Await(rt.Sleep(1))
				total += a + x.area()
				out.Say("shape %T %d", x, a)
			default:
				out.Say("other %T", x)
			}
		}
		// the guard itself awaits
		switch y := rt.Await(Any(3.5)).(type) {
		case float64:
			out.Say("float %v", y)
		}
		return total
	})
}

//coro:async
func Any(v any) rt.Coro[any] {
	return rt.Async(func() any {
		rt.Await(rt.Sleep(0))
		return v
	})
}

//coro:async
func Selects() rt.Coro[rt.Void] {
	return rt.Do(func() {
		ch := make(chan int, 3)
		done := make(chan struct{})
		ch <- 10
		for round := 0; round < 3; round++ {
			select {
			case v, ok := <-ch:
				rt.Await(rt.Sleep(1))
				out.Say("received %d %v", v, ok)
				if v == 10 {
					ch <- 20
				} else {
					close(done)
				}
			case <-done:
				out.Say("done")
				rt.Await(rt.Sleep(1))
			default:
				out.Say("nothing ready")
			}
		}
	})
}

// SelectOperands: a select whose channel and value expressions await;
// they are evaluated once, in order, on entering the select.
//
//coro:async
func SelectOperands() rt.Coro[rt.Void] {
	return rt.Do(func() {
		a, b, c := make(chan int), make(chan int, 1), make(chan int, 1) // a is never ready
		chans := map[string]chan int{"a": a, "b": b}
		pick := func(name string) chan int { out.Say("pick %s", name); return chans[name] }
		b <- 5
		select {
		case pick("a") <- rt.Await(Val("sent", 1)):
			out.Say("sent to a")
		case v := <-pick(fmt.Sprint("b")):
			rt.Await(rt.Sleep(1))
			out.Say("received %d from b", v)
		}
		select {
		case c <- rt.Await(Val("again", 2)):
			out.Say("sent %d to c", <-c)
		}
	})
}

//coro:async
func Main() rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(Tags())
		n := rt.Await(InLoop())
		t := rt.Await(Types([]any{1, "s", square{2}, nil, rect{2, 3}, 2.5, 4}))
		rt.Await(Selects())
		rt.Await(SelectOperands())
		return n*1000 + t
	})
}
