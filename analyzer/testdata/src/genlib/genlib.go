//go:build corosrc

// Package genlib is seen by the default-build test through its generated
// file only; this source, which blocks the loop, is not part of that build.
package genlib

import (
	"time"

	"github.com/corogen/corogen/rt"
)

//go:generate corogen

//coro:async
func Fetch(src string) rt.Coro[string] {
	return rt.Async(func() string {
		time.Sleep(time.Second)
		return src
	})
}
