//go:build corosrc

package rt_test

import (
	"strings"
	"time"

	"github.com/corogen/corogen/rt"
)

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
		spawn("lock", rt.Do(func() { rt.Await(mu.Acquire()) }))
		var ev rt.Event
		spawn("event", rt.Do(func() { rt.Await(ev.Wait()) }))
		cond := rt.NewCondition(nil)
		spawn("condition", rt.Do(func() {
			rt.Await(cond.Acquire())
			defer cond.Release()
			rt.Await(cond.Wait())
		}))
		sem := rt.NewSemaphore(0)
		spawn("semaphore", rt.Do(func() { rt.Await(sem.Acquire()) }))
		bar := rt.NewBarrier(3)
		spawn("barrier", rt.Do(func() { rt.Await(bar.Wait()) }))
		empty, full := rt.NewQueue[int](1), rt.NewQueue[int](1)
		full.PutNowait(1)
		spawn("get", rt.Do(func() { rt.Await(empty.Get()) }))
		spawn("put", rt.Do(func() { rt.Await(full.Put(2)) }))
		fut := rt.NewFuture[int]()
		spawn("future", rt.Do(func() { rt.Await(fut) }))
		spawn("gather", rt.Do(func() { rt.Await(rt.Gather[int](fut)) }))
		spawn("shield", rt.Do(func() { rt.Await(rt.Shield[int](fut)) }))
		spawn("waitfor", rt.Do(func() { rt.Try(rt.WaitFor[int](fut, time.Hour)) }))
		spawn("wait", rt.Do(func() { rt.Await(rt.Wait(rt.FirstCompleted, fut)) }))
		spawn("ascompleted", rt.Do(func() { rt.Await(rt.AsCompleted(fut).Next()) }))
		spawn("sleep", rt.Do(func() { rt.Await(rt.Sleep(time.Minute)) }))
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
