// Package clean runs a coroutine the right way: corovet finds nothing.
package clean

import (
	"time"

	"github.com/corogen/corogen/rt"
)

func Run() error {
	_, err := rt.RunUntilComplete(rt.NewLoop(), rt.Sleep(time.Millisecond))
	return err
}
