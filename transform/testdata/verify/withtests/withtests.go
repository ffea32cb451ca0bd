//go:build corosrc

// Package withtests has an async function corogen refuses (a value of an
// unexported type of another package kept across an await) and a test file
// with an async function of its own.
package withtests

import (
	"time"

	"github.com/corogen/corogen/rt"
	"github.com/corogen/corogen/transform/testdata/errors/unsupported/other"
)

//coro:async
func Keep() rt.Coro[int] {
	return rt.Async(func() int {
		s := other.New()
		rt.Await(rt.Sleep(time.Millisecond))
		return s.N
	})
}
