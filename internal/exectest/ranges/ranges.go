//go:build corosrc

// Package ranges exercises range loops over every kind of operand with
// awaits in the body.
package ranges

import (
	"sort"
	"strings"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

func tick() rt.Sleeper { return rt.Sleep(1) }

//coro:async
func Slices() rt.Coro[int] {
	return rt.Async(func() int {
		xs := []int{1, 2, 3}
		sum := 0
		for i, x := range xs {
			if i == 0 {
				xs = append(xs, 100) // the range expression was evaluated once
				xs[2] = 30           // the append reallocated: not seen
			}
			rt.Await(tick())
			sum += x
			out.Say("slice %d %d", i, x)
		}
		arr := [3]int{1, 2, 3}
		for i, x := range arr { // an array is copied once
			arr[2] = 99
			rt.Await(tick())
			out.Say("array %d %d", i, x)
		}
		for i := range arr {
			rt.Await(tick())
			out.Say("index only %d", i)
		}
		p := &arr
		for i, x := range p {
			rt.Await(tick())
			out.Say("via pointer %d %d", i, x)
			break
		}
		for range 2 {
			rt.Await(tick())
			out.Say("no variables")
		}
		var idx int
		var val int
		for idx, val = range []int{7, 8} { // assigning existing variables
			rt.Await(tick())
		}
		out.Say("after assign-range idx=%d val=%d", idx, val)
		return sum
	})
}

//coro:async
func Strings() rt.Coro[rt.Void] {
	return rt.Do(func() {
		for i, r := range "héllo\xffw" {
			rt.Await(tick())
			out.Say("rune %d %q", i, r)
		}
		// Without the rune: the key alone, a blank rune, neither.
		for i := range "hé!" {
			rt.Await(tick())
			out.Say("byte offset %d", i)
		}
		for i, _ := range "hé!" {
			rt.Await(tick())
			out.Say("offset again %d", i)
		}
		n := 0
		for range "hé!" {
			rt.Await(tick())
			n++
		}
		out.Say("%d runes", n)
	})
}

//coro:async
func Maps() rt.Coro[rt.Void] {
	return rt.Do(func() {
		m := map[string]int{"a": 1, "b": 2, "c": 3, "d": 4}
		var seen []string
		deleted := ""
		for k, v := range m {
			if deleted == "" {
				// delete one key that has not been produced yet
				for other := range m {
					if other != k {
						deleted = other
						delete(m, other)
						break
					}
				}
			}
			rt.Await(tick())
			seen = append(seen, k)
			if v != m[k] {
				out.Say("stale value")
			}
		}
		sort.Strings(seen)
		out.Say("map saw %d keys, deleted one not among them: %v", len(seen), !strings.Contains(strings.Join(seen, ""), deleted))
		total := 0
		for k := range map[int]bool{1: true, 2: true, 3: true} {
			rt.Await(tick())
			total += k
		}
		out.Say("key sum %d", total)
	})
}

//coro:async
func Chans() rt.Coro[int] {
	return rt.Async(func() int {
		ch := make(chan int, 4)
		for i := range 4 {
			ch <- i * i
		}
		close(ch)
		sum := 0
		for v := range ch {
			rt.Await(tick())
			sum += v
			out.Say("chan %d", v)
		}
		// Without the value: each receive still happens.
		ch2 := make(chan int, 3)
		ch2 <- 1
		ch2 <- 2
		ch2 <- 3
		close(ch2)
		n := 0
		for range ch2 {
			rt.Await(tick())
			n++
		}
		out.Say("%d receives, %d left", n, len(ch2))
		return sum
	})
}

//coro:async
func Ints() rt.Coro[int] {
	return rt.Async(func() int {
		type small int8 // moved to package level: n lives across awaits
		type pair struct {
			a, b small
			next *pair
		}
		var n small = 3
		total := 0
		for i := range n {
			rt.Await(tick())
			total += int(i)
			out.Say("int range %T %d", i, i)
		}
		for i := range rt.Await(Count(2)) { // the operand awaits, the body does not
			total += i * 10
		}
		p := &pair{a: 1, b: 2}
		p.next = &pair{a: 3}
		rt.Await(tick())
		total += int(p.a + p.b + p.next.a)
		return total
	})
}

//coro:async
func Count(n int) rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(tick())
		return n
	})
}

// Seq is a range-over-func iterator; its body has no await, so it is kept.
func Seq(n int) func(func(int) bool) {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

//coro:async
func Funcs() rt.Coro[int] {
	return rt.Async(func() int {
		var vals []int
		for v := range Seq(4) {
			vals = append(vals, v)
		}
		total := 0
		for _, v := range vals { // then await in a plain loop
			rt.Await(tick())
			total += v
		}
		return total
	})
}

//coro:async
func Main() rt.Coro[int] {
	return rt.Async(func() int {
		a := rt.Await(Slices())
		rt.Await(Strings())
		rt.Await(Maps())
		b := rt.Await(Chans())
		c := rt.Await(Ints())
		d := rt.Await(Funcs())
		out.Say("totals %d %d %d %d", a, b, c, d)
		return a + b + c + d
	})
}
