//go:build corosrc

package missing // want `generated file missing_coro.go is missing: run corogen \(go generate\)`

import "github.com/corogen/corogen/rt"

//coro:async
func Job(n int) rt.Coro[int] { // want Job:"async"
	return rt.Async(func() int { return n })
}
