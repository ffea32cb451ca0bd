//go:build corosrc

package unsupported

import (
	"iter"
	"time"

	"github.com/corogen/corogen/rt"
	"github.com/corogen/corogen/transform/testdata/errors/unsupported/other"
)

//coro:async
func RangeFunc(seq iter.Seq[int]) rt.Coro[int] {
	return rt.Async(func() int {
		total := 0
		for v := range seq {
			rt.Await(rt.Sleep(time.Duration(v))) // ERROR "inside the body of a range-over-func loop"
			total += v
		}
		return total
	})
}

//coro:async
func PlainClosure() rt.Coro[rt.Void] {
	return rt.Do(func() {
		f := func() {
			rt.Await(rt.Sleep(1)) // ERROR "inside a function literal that is not a coroutine"
		}
		f()
		go rt.Await(rt.Sleep(1)) // ERROR "does not run anything concurrently"
	})
}

//coro:async
func SelectComm(ch chan int) rt.Coro[rt.Void] {
	return rt.Do(func() {
		select {
		case ch <- rt.Await(Num()):
		default:
		}
		f := rt.Await[int] // ERROR "rt.Await must be called"
		_ = f
	})
}

//coro:async
func Num() rt.Coro[int] {
	return rt.Async(func() int { return 1 })
}

//coro:async
func LocalType() rt.Coro[int] {
	return rt.Async(func() int {
		type pair struct{ a, b int }
		const n = 2
		type arr [n]int // ERROR "type arr is declared inside an async function and depends on n"
		p := pair{1, 2}
		rt.Await(rt.Sleep(1))
		return p.a + p.b
	})
}

//coro:async
func Unexported() rt.Coro[int] {
	return rt.Async(func() int {
		s := other.New() // ERROR "type other.secret is not exported"
		rt.Await(rt.Sleep(1))
		return s.N
	})
}
