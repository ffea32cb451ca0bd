//go:build corosrc

package rt_test

// The async functions of the examples in eager_example_test.go.

import (
	"errors"
	"fmt"

	"github.com/corogen/corogen/rt"
)

//coro:async
func exChild(name string) rt.Coro[rt.Void] {
	return rt.Do(func() {
		fmt.Println(name, "starts")
		rt.Await(rt.Sleep(0))
		fmt.Println(name, "ends")
	})
}

//coro:async
func exSpawner() rt.Coro[rt.Void] {
	return rt.Do(func() {
		t := rt.Spawn(exChild("child"))
		fmt.Println("spawned")
		rt.Await(t)
	})
}

//coro:async
func exFail() rt.Coro[int] {
	return rt.AsyncErr(func() (int, error) { return 0, errors.New("disk full") })
}

// exForget spawns a task that fails and never looks at it again.
//
//coro:async
func exForget() rt.Coro[rt.Void] {
	return rt.Do(func() {
		_ = rt.Spawn(exFail())
		rt.Await(rt.Sleep(0))
	})
}
