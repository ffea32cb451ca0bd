//go:build !corosrc

package rt_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// A loop runs its coroutines on the goroutine that runs it: a thousand
// suspended tasks add no goroutine. (With -tags corosrc every coroutine is
// a goroutine, by design.)
func TestNoGoroutinePerCoroutine(t *testing.T) {
	l := rt.NewLoop(rt.WithVirtualClock())
	defer l.Close()
	before, during := runtime.NumGoroutine(), 0
	mk := func(int) rt.Coro[rt.Void] { return sleepOnce(time.Second) }
	must(rt.RunUntilComplete(l, spawner(1000, 1000, mk, func() { during = runtime.NumGoroutine() })))
	if during == 0 || during > before {
		t.Fatalf("%d goroutines with 1000 suspended tasks, %d before", during, before)
	}
	must(rt.RunUntilComplete(l, rt.Sleep(2*time.Second)))
}
