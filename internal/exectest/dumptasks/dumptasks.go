//go:build corosrc

// Package dumptasks exercises rt.DumpTasks: every live task with its state,
// its coroutine, the source line of the await it is suspended at (the same
// in both build modes) and what that await waits for.
package dumptasks

import (
	"strings"
	"time"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

//coro:async
func Worker(d time.Duration) rt.Coro[rt.Void] {
	return rt.Do(func() {
		rt.Await(rt.Sleep(d))
	})
}

// Nested is suspended inside Worker: the dump shows Worker's line.
//
//coro:async
func Nested() rt.Coro[rt.Void] {
	return rt.Do(func() {
		rt.Await(Worker(time.Hour))
	})
}

func named[T any](name string, t *rt.Task[T]) *rt.Task[T] {
	t.SetName(name)
	return t
}

//coro:async
func Main() rt.Coro[rt.Void] {
	return rt.Do(func() {
		sleeper := named("sleeper", rt.Spawn(Worker(time.Hour)))
		var tasks []rt.AnyTask
		tasks = append(tasks, sleeper)
		tasks = append(tasks, named("nested", rt.Spawn(Nested())))
		tasks = append(tasks, named("awaiter", rt.Spawn(rt.Async(func() rt.Void {
			return rt.Await(sleeper)
		}))))
		f := rt.NewFuture[int]()
		tasks = append(tasks, named("future", rt.Spawn(rt.Async(func() int {
			return rt.Await(f)
		}))))
		tasks = append(tasks, named("gather", rt.Spawn(rt.Async(func() []rt.Void {
			return rt.Await(rt.Gather[rt.Void](Worker(time.Hour)))
		}))))
		tasks = append(tasks, named("waitfor", rt.Spawn(rt.WaitFor(Nested(), 2*time.Hour))))
		tasks = append(tasks, named("wait", rt.Spawn(rt.Async(func() rt.WaitResult[*rt.Task[rt.Void]] {
			return rt.Await(rt.Wait(rt.FirstCompleted, sleeper))
		}))))
		tasks = append(tasks, named("group", rt.Spawn(rt.Do(func() {
			g := rt.NewTaskGroup()
			rt.Await(g.Run(rt.Do(func() {
				rt.SpawnIn(g, Worker(time.Hour))
			})))
		}))))
		tasks = append(tasks, named("yielder", rt.Spawn(rt.Do(func() {
			for range 3 {
				rt.Await(rt.Sleep(0))
			}
		}))))
		victim := named("victim", rt.Spawn(Worker(time.Hour)))
		tasks = append(tasks, victim)
		rt.Await(rt.Sleep(0)) // everyone runs to its first await
		tasks = append(tasks, named("fresh", rt.Spawn(Worker(time.Second))))
		victim.Cancel()

		var b strings.Builder
		rt.DumpTasks(&b)
		out.Say("%s", b.String())

		for _, t := range tasks {
			t.Cancel()
		}
		rt.Await(rt.Sleep(time.Second))
		b.Reset()
		rt.DumpTasks(&b)
		out.Say("after the cancellations:\n%s", b.String())
	})
}
