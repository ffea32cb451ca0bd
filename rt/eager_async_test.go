//go:build corosrc

package rt_test

import (
	"fmt"
	"time"

	"github.com/corogen/corogen/rt"
)

// logStep logs name's start, suspends once, and logs its end.
//
//coro:async
func logStep(log *[]string, name string) rt.Coro[rt.Void] {
	return rt.Do(func() {
		*log = append(*log, name+" start")
		rt.Await(rt.Sleep(0))
		*log = append(*log, name+" end")
	})
}

// spawnBetween spawns logStep(child) between two entries of its own, then
// awaits it.
//
//coro:async
func spawnBetween(log *[]string) rt.Coro[rt.Void] {
	return rt.Do(func() {
		*log = append(*log, "main before")
		t := rt.Spawn(logStep(log, "child"))
		*log = append(*log, "main after")
		rt.Await(t)
		*log = append(*log, "main end")
	})
}

// spawnNested is spawnBetween whose child spawns a grandchild the same way.
//
//coro:async
func spawnNested(log *[]string) rt.Coro[rt.Void] {
	return rt.Do(func() {
		*log = append(*log, "main before")
		t := rt.Spawn(spawnGrandchild(log))
		*log = append(*log, "main after")
		rt.Await(t)
	})
}

//coro:async
func spawnGrandchild(log *[]string) rt.Coro[rt.Void] {
	return rt.Do(func() {
		*log = append(*log, "child before")
		t := rt.Spawn(logStep(log, "grandchild"))
		*log = append(*log, "child after")
		rt.Await(t)
	})
}

// whoRuns returns the name of the task running it, without suspending.
//
//coro:async
func whoRuns() rt.Coro[string] {
	return rt.Async(func() string { return rt.CurrentTask().Name() })
}

// eagerFacts spawns whoRuns and reports what a test checks: whether the
// task had finished when Spawn returned, the name it saw as the current
// task, and the current task's name after Spawn.
//
//coro:async
func eagerFacts() rt.Coro[[3]string] {
	return rt.Async(func() [3]string {
		t := rt.Spawn(whoRuns())
		done := "pending"
		if t.Done() {
			done = "done"
		}
		v, _ := t.Result()
		return [3]string{done, v, rt.CurrentTask().Name()}
	})
}

// panicAtOnce panics without suspending.
//
//coro:async
func panicAtOnce(v string) rt.Coro[int] {
	return rt.Async(func() int { panic(v) })
}

// spawnPanicking spawns panicAtOnce and logs whether the task had
// finished when Spawn returned (the spawner goes on either way).
//
//coro:async
func spawnPanicking(log *[]string) rt.Coro[rt.Void] {
	return rt.Do(func() {
		t := rt.Spawn(panicAtOnce("boom"))
		*log = append(*log, fmt.Sprintf("after Spawn: done %v", t.Done()))
		rt.Await(rt.Sleep(0))
		*log = append(*log, "main end")
	})
}

// gatherRets gathers n coroutines that return at once.
//
//coro:async
func gatherRets(n int) rt.Coro[[]int] {
	return rt.Async(func() []int {
		cs := make([]rt.Awaitable[int], n)
		for i := range cs {
			cs[i] = retInt(i)
		}
		return rt.Await(rt.Gather(cs...))
	})
}

//coro:async
func retInt(i int) rt.Coro[int] {
	return rt.Async(func() int { return i })
}

// groupOfEager runs a task group whose children finish when spawned (under
// WithEagerTasks): n that return their index, through SpawnIn and GoIn
// with a limit, and one that fails if fail is set. It returns the sum the
// children returned and the group's error.
//
//coro:async
func groupOfEager(n int, fail bool) rt.Coro[string] {
	return rt.Async(func() string {
		g := rt.NewTaskGroup()
		g.SetLimit(2)
		var tasks []*rt.Task[int]
		_, err := rt.Try(g.Run(rt.Do(func() {
			for i := range n {
				tasks = append(tasks, rt.SpawnIn(g, retInt(i)))
				tasks = append(tasks, rt.Await(rt.GoIn(g, retInt(i))))
			}
			if fail {
				rt.SpawnIn(g, failWith("child failed"))
				rt.Await(rt.Sleep(time.Hour)) // cancelled by the failure
			}
		})))
		sum := 0
		for _, t := range tasks {
			v, _ := t.Result()
			sum += v
		}
		return fmt.Sprintf("sum %d, err %v", sum, err)
	})
}
