//go:build corosrc

package stale // want `generated file stale_coro.go is stale: run corogen \(go generate\)`

import "github.com/corogen/corogen/rt"

//coro:async
func Job(n int) rt.Coro[int] { // want Job:"async"
	return rt.Async(func() int { return n })
}
