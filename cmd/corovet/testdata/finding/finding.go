// Package finding drops a coroutine object: corovet reports it.
package finding

import (
	"time"

	"github.com/corogen/corogen/rt"
)

func Run() {
	rt.Sleep(time.Millisecond)
}
