//go:build corosrc

package rt_test

// The async functions of the examples in thread_example_test.go;
// thread_exampleasync_coro_test.go was generated as
// wait_exampleasync_coro_test.go was.

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/corogen/corogen/rt"
)

//coro:async
func exToThread() rt.Coro[rt.Void] {
	return rt.Do(func() {
		ticker := rt.Spawn(rt.Do(func() {
			for {
				rt.Await(rt.Sleep(10 * time.Millisecond))
			}
		}))
		// Blocking calls run on the loop's pool, the loop goes on.
		n, err := rt.Try(rt.ToThreadErr(func() (int, error) {
			time.Sleep(30 * time.Millisecond)
			b, err := os.ReadFile("doc.go")
			return strings.Count(string(b), "asyncio"), err
		}))
		ticker.Cancel()
		fmt.Println(n > 0, err)
	})
}

//coro:async
func exHold() rt.Coro[string] {
	return rt.Async(func() string {
		loop := rt.RunningLoop()
		f := rt.NewFuture[string]()
		release := loop.Hold() // without it: rt.ErrDeadlock
		go func() {
			defer release()
			time.Sleep(10 * time.Millisecond)
			loop.CallSoonThreadsafe(func() { f.SetResult("from another goroutine") })
		}()
		return rt.Await(f)
	})
}
