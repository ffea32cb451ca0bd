package rt_test

import (
	"errors"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// Cancelling a task that awaits a gather cancels the futures the gather
// waits for, as asyncio's gather cancels its children, and the await fails
// with ErrCancelled.
func TestCancellingAGatherCancelsItsFutures(t *testing.T) {
	l := rt.NewLoop(rt.WithVirtualClock())
	defer l.Close()
	f := rt.NewFuture[int]()
	task := rt.SpawnOn(l, gatherFuture(f))
	must(rt.RunUntilComplete(l, rt.Sleep(time.Second)))
	task.Cancel()
	_, err := rt.RunUntilComplete(l, task)
	if !errors.Is(err, rt.ErrCancelled) || !f.Cancelled() {
		t.Fatalf("gather's await: %v; future cancelled %v; want ErrCancelled and a cancelled future", err, f.Cancelled())
	}
}

// SetError wakes a task suspended on the future, whose await fails with
// the error.
func TestSetErrorFailsTheAwaiter(t *testing.T) {
	l := rt.NewLoop(rt.WithVirtualClock())
	defer l.Close()
	f := rt.NewFuture[int]()
	task := rt.SpawnOn(l, awaitFuture(f))
	must(rt.RunUntilComplete(l, rt.Sleep(time.Second)))
	bad := errors.New("bad")
	l.CallLater(time.Second, func() { f.SetError(bad) })
	if _, err := rt.RunUntilComplete(l, task); !errors.Is(err, bad) || l.Now() != 2*time.Second {
		t.Fatalf("await of the future: %v at %v, want %v at 2s", err, l.Now(), bad)
	}
}

// A future that fails while a gather waits for it fails the gather; one
// that completes gives its value in its place.
func TestGatherOfFuturesThatFinishLater(t *testing.T) {
	for _, fail := range []bool{false, true} {
		l := rt.NewLoop(rt.WithVirtualClock())
		f := rt.NewFuture[int]()
		task := rt.SpawnOn(l, gatherFuture(f))
		bad := errors.New("bad")
		l.CallLater(time.Second, func() {
			if fail {
				f.SetError(bad)
			} else {
				f.SetResult(7)
			}
		})
		got, err := rt.RunUntilComplete(l, task)
		switch {
		case fail && !errors.Is(err, bad):
			t.Errorf("gather of a future that failed: %v, %v; want %v", got, err, bad)
		case !fail && (err != nil || len(got) != 1 || got[0] != 7):
			t.Errorf("gather of a future set to 7: %v, %v", got, err)
		}
		l.Close()
	}
}
