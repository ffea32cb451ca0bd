//go:build corosrc

package missing // want `generated file missing_coro_test.go is missing: run corogen \(go generate\)`

import "github.com/corogen/corogen/rt"

//coro:async
func testJob() rt.Coro[int] { // want testJob:"async"
	return rt.Async(func() int { return rt.Await(Job(1)) })
}
