package rt

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// runningLoops maps the id of every goroutine that runs a loop (the loop's
// own, and in reference mode the goroutines of its coroutines) to the loop.
// It is consulted only by calls made outside generated code (generated code
// passes its task along): Spawn, Gather or GatherAll of coroutines, Now,
// CurrentTask, Shield of a coroutine and DumpTasks in a plain function a
// coroutine calls. Finding the goroutine's id costs about 2 µs (runtime.Stack), so a
// plain function that spawns on a hot path should be handed the loop and
// call SpawnOn: rt.RunningLoop() in the async function that calls it costs
// nothing, since corogen rewrites it, as it rewrites Spawn, Gather,
// GatherAll, Now, CurrentTask and Shield of a coroutine there.
var runningLoops sync.Map // int64 → *Loop

func goid() int64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	// "goroutine 123 [running]:"
	const prefix = len("goroutine ")
	var id int64
	for _, c := range b[prefix:] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + int64(c-'0')
	}
	return id
}

// runningLoop returns the loop running on this goroutine, or nil.
func runningLoop() *Loop {
	if l, ok := runningLoops.Load(goid()); ok {
		return l.(*Loop)
	}
	return nil
}

func currentLoop(fn, instead string) *Loop {
	if l := runningLoop(); l != nil {
		return l
	}
	panic(fmt.Sprintf("rt.%s called off the loop: no event loop is running on this goroutine (it works in coroutines and in functions they call); use %s instead", fn, instead))
}

// Spawn schedules c to run as a task on the running loop (asyncio's
// create_task). It works in any code running on a loop and panics elsewhere;
// code off the loop uses SpawnOn. In an async function it costs what SpawnOn
// does; in a plain function it first finds the loop by the goroutine's id
// (about 2 µs, see runningLoops).
func Spawn[T any](c Coro[T]) *Task[T] {
	return SpawnOn(currentLoop("Spawn", "rt.SpawnOn(loop, c)"), c)
}

// Now returns the running loop's clock (asyncio's loop.time()). Off the loop,
// use loop.Now().
func Now() time.Duration { return currentLoop("Now", "loop.Now()").Now() }

// CurrentTask returns the running task (asyncio's current_task), or nil in a
// callback that runs between tasks. It panics off the loop.
func CurrentTask() AnyTask {
	return currentLoop("CurrentTask", "loop.CurrentTask()").CurrentTask()
}

// RunningLoop returns the loop running on this goroutine, or nil
// (asyncio's get_running_loop, without the exception).
func RunningLoop() *Loop { return runningLoop() }
