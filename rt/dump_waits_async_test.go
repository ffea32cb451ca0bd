//go:build corosrc

package rt_test

import (
	"strings"
	"time"

	"github.com/corogen/corogen/rt"
)

// awaitOnly awaits a, ignoring its outcome (the tasks of dumpWaits are
// cancelled at the end).
//
//coro:async
func awaitOnly[T any](a rt.Awaitable[T]) rt.Coro[rt.Void] {
	return rt.Do(func() { rt.Try(a) })
}

// dumpWaits suspends one named task at each kind of wait, dumps the tasks,
// and cancels them all; it returns the dump.
//
//coro:async
func dumpWaits() rt.Coro[string] {
	return rt.Async(func() string {
		var tasks []*rt.Task[rt.Void]
		spawn := func(name string, c rt.Coro[rt.Void]) {
			t := rt.Spawn(c)
			t.SetName(name)
			tasks = append(tasks, t)
		}
		var mu rt.Lock
		rt.Await(mu.Acquire())
		spawn("lock", awaitOnly[rt.Void](mu.Acquire()))
		var ev rt.Event
		spawn("event", awaitOnly[rt.Void](ev.Wait()))
		cond := rt.NewCondition(nil)
		spawn("condition", rt.Do(func() {
			rt.Await(cond.Acquire())
			defer cond.Release()
			rt.Await(cond.Wait())
		}))
		spawn("semaphore", awaitOnly[rt.Void](rt.NewSemaphore(0).Acquire()))
		spawn("barrier", awaitOnly[int](rt.NewBarrier(3).Wait()))
		empty, full := rt.NewQueue[int](1), rt.NewQueue[int](1)
		full.PutNowait(1)
		spawn("get", awaitOnly[int](empty.Get()))
		spawn("put", awaitOnly[rt.Void](full.Put(2)))
		fut := rt.NewFuture[int]()
		spawn("future", awaitOnly[int](fut))
		spawn("gather", awaitOnly[[]int](rt.Gather[int](fut)))
		spawn("shield", awaitOnly[int](rt.Shield[int](fut)))
		spawn("waitfor", awaitOnly[int](rt.WaitFor[int](fut, time.Hour)))
		spawn("wait", awaitOnly[rt.WaitResult[*rt.Future[int]]](rt.Wait(rt.FirstCompleted, fut)))
		spawn("ascompleted", awaitOnly[*rt.Future[int]](rt.AsCompleted(fut).Next()))
		spawn("sleep", awaitOnly[rt.Void](rt.Sleep(time.Minute)))
		rt.Await(rt.Sleep(0))
		rt.Await(rt.Sleep(0))
		var b strings.Builder
		rt.DumpTasks(&b)
		for _, t := range tasks {
			t.Cancel()
		}
		mu.Release()
		rt.Await(rt.Wait(rt.AllCompleted, tasks...))
		return b.String()
	})
}
