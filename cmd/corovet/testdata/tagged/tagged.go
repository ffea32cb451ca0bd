//go:build corosrc

package tagged

import (
	"time"

	"github.com/corogen/corogen/rt"
)

// Slow is added to the blocking functions by a flag.
func Slow() {}

//coro:async
func Nap() rt.Coro[rt.Void] {
	return rt.Do(func() {
		time.Sleep(time.Millisecond)
		Slow()
	})
}
