//go:build corosrc

package malformed

import (
	"iter"
	"time"

	"github.com/corogen/corogen/rt"
)

// Awaits that the transform cannot lower, and misuses of rt's functions in
// an async function, as asyncfn reports them.

//coro:async
func RangeFunc(seq iter.Seq[int]) rt.Coro[int] { // want RangeFunc:"async"
	return rt.Async(func() int {
		total := 0
		for v := range seq {
			rt.Await(rt.Sleep(time.Duration(v))) // want `rt.Await inside the body of a range-over-func loop: the iterator's own stack cannot be suspended`
			total += v
		}
		return total
	})
}

//coro:async
func Uncalled() rt.Coro[int] { // want Uncalled:"async"
	return rt.Async(func() int {
		f := rt.Await[int] // want `rt.Await must be called: rt.Await\(x\)`
		_ = f
		return 0
	})
}

//coro:async
func NoLiteral(body func() int) rt.Coro[int] { // want NoLiteral:"async"
	return rt.Async(func() int {
		c := rt.Async(body) // want `rt.Async inside an async function needs a function literal argument, rt.Async\(func\(\) ... {...}\), so that corogen can transform it`
		return rt.Await(c)
	})
}
