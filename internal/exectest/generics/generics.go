//go:build corosrc

// Package generics exercises generic async functions and async methods with
// value and pointer receivers, on plain and generic types.
package generics

import (
	"cmp"
	"fmt"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

// Map applies f to every element, yielding between elements.
//
//coro:async
func Map[T, U any](xs []T, f func(T) U) rt.Coro[[]U] {
	return rt.Async(func() []U {
		var res []U
		for _, x := range xs {
			rt.Await(rt.Sleep(1))
			res = append(res, f(x))
		}
		return res
	})
}

// Max awaits Map directly: a generic child embedded with its type arguments.
//
//coro:async
func Max[T cmp.Ordered](xs []T) rt.Coro[T] {
	return rt.Async(func() T {
		ys := rt.Await(Map(xs, func(x T) T { return x }))
		var best T
		for i, y := range ys {
			if i == 0 || y > best {
				best = y
			}
		}
		return best
	})
}

type Counter struct{ n int }

// Add has a pointer receiver: it changes the counter.
//
//coro:async
func (c *Counter) Add(k int) rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(rt.Sleep(1))
		c.n += k
		return c.n
	})
}

// Peek has a value receiver: it works on a copy.
//
//coro:async
func (c Counter) Peek() rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(rt.Sleep(1))
		c.n = -1
		return c.n
	})
}

type Box[T any] struct{ items []T }

//coro:async
func (b *Box[T]) Put(x T) rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(rt.Sleep(1))
		b.items = append(b.items, x)
		return len(b.items)
	})
}

//coro:async
func (b Box[T]) Describe() rt.Coro[string] {
	return rt.Async(func() string {
		n := rt.Await(b.Len())
		return fmt.Sprintf("box of %d: %v", n, b.items)
	})
}

//coro:async
func (b Box[T]) Len() rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(rt.Sleep(1))
		return len(b.items)
	})
}

//coro:async
func Main() rt.Coro[string] {
	return rt.Async(func() string {
		strs := rt.Await(Map([]int{1, 2, 3}, func(i int) string { return fmt.Sprint(i * i) }))
		out.Say("map %q", strs)
		out.Say("max %d %s", rt.Await(Max([]int{3, 9, 2})), rt.Await(Max([]string{"b", "c", "a"})))
		var c Counter
		rt.Await(c.Add(2))
		out.Say("add %d", rt.Await(c.Add(3)))
		out.Say("peek %d, still %d", rt.Await(c.Peek()), c.n)
		pc := &c
		out.Say("peek through pointer %d", rt.Await(pc.Peek()))
		var b Box[string]
		rt.Await(b.Put("x"))
		rt.Await(b.Put("y"))
		return rt.Await(b.Describe())
	})
}
