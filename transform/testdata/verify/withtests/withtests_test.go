//go:build corosrc

package withtests

import (
	"time"

	"github.com/corogen/corogen/rt"
)

//coro:async
func helper() rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(rt.Sleep(time.Millisecond))
		return 1
	})
}
