//go:build corosrc

package comments

import (
	"fmt"

	"github.com/corogen/corogen/rt"
)

//coro:async
func F() rt.Coro[string] {
	return rt.Async(func() string {
		// a comment in an async body
		rt.Await(rt.Sleep(0))
		return "hi"
	})
}

// Plain keeps its comments.
func Plain(n int) int {
	// the first statement
	x := n * 2
	if x > 1 {
		// inside the if
		x-- // trailing
	}
	/* a block comment */
	return x
	// after the last statement
}

// Classify has a switch with an init statement and no tag.
func Classify(s string) int {
	switch n := len(s); {
	case n > 3:
		return 1
	}
	return 0
}

func Example() {
	v, _ := rt.Run(F())
	fmt.Println(v)
	// Output: hi
}
