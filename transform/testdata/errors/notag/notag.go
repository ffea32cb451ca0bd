package notag // ERROR "add the line //go:build corosrc"

import "github.com/corogen/corogen/rt"

//coro:async
func F() rt.Coro[int] {
	return rt.Async(func() int { return 1 })
}
