//go:build corosrc

package rt_test

// The async functions of the example in dump_example_test.go;
// dump_exampleasync_coro_test.go was generated as
// wait_exampleasync_coro_test.go was.

import (
	"os"
	"time"

	"github.com/corogen/corogen/rt"
)

//coro:async
func exNap(d time.Duration) rt.Coro[rt.Void] {
	return rt.Do(func() {
		rt.Await(rt.Sleep(d))
	})
}

//coro:async
func exDump() rt.Coro[rt.Void] {
	return rt.Do(func() {
		nap := rt.Spawn(exNap(time.Hour))
		nap.SetName("napper")
		waiter := rt.Spawn(rt.Do(func() {
			rt.Await(nap)
		}))
		rt.Await(rt.Sleep(0))
		rt.DumpTasks(os.Stdout)
		waiter.Cancel()
	})
}
