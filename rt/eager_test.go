package rt_test

import (
	"slices"
	"testing"

	"github.com/corogen/corogen/rt"
)

// By default a spawned task starts on the loop's next turn; under
// WithEagerTasks it runs at once, inside its spawner's turn, until its first
// suspension, and the spawner goes on from there.
func TestEagerTasksOrder(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []rt.Option
		want []string
	}{
		{"default", nil, []string{"main before", "main after", "child start", "child end", "main end"}},
		{"eager", []rt.Option{rt.WithEagerTasks()}, []string{"main before", "child start", "main after", "child end", "main end"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log []string
			must(rt.Run(spawnBetween(&log), tc.opts...))
			if !slices.Equal(log, tc.want) {
				t.Fatalf("order %q, want %q", log, tc.want)
			}
		})
	}
}

// A task spawned eagerly by an eager task starts inside its spawner's start.
func TestEagerTasksNested(t *testing.T) {
	var log []string
	must(rt.Run(spawnNested(&log), rt.WithEagerTasks()))
	want := []string{"main before", "child before", "grandchild start", "child after", "main after", "grandchild end"}
	if !slices.Equal(log, want) {
		t.Fatalf("order %q, want %q", log, want)
	}
}

// A coroutine that finishes without suspending has finished when Spawn
// returns; while it ran it was the current task, and afterwards its
// spawner is again.
func TestEagerTaskFinishesInSpawn(t *testing.T) {
	got := must(rt.Run(eagerFacts(), rt.WithEagerTasks()))
	if got != [3]string{"done", "Task-2", "Task-1"} {
		t.Fatalf("eager task: %q; want done, run as Task-2, Task-1 current again", got)
	}
	got = must(rt.Run(eagerFacts()))
	if got[0] != "pending" {
		t.Fatalf("default task: %q; want pending when Spawn returns", got)
	}
}

// A panic in an eagerly started task fails that task, as in a turn of its
// own: the spawner goes on, and Run re-panics with the task's panic at the
// end because nobody retrieved it.
func TestEagerTaskPanicFailsTheTask(t *testing.T) {
	var log []string
	defer func() {
		r := recover()
		want := []string{"after Spawn: done true", "main end"}
		if !slices.Equal(log, want) {
			t.Errorf("log %q, want %q", log, want)
		}
		if pe, ok := r.(*rt.PanicError); !ok || pe.Value != "boom" {
			t.Errorf("Run panicked with %v, want the task's *rt.PanicError", r)
		}
	}()
	must(rt.Run(spawnPanicking(&log), rt.WithEagerTasks()))
}

// Gather's coroutine arguments start eagerly too, so a gather of
// coroutines that return at once waits for nothing.
func TestEagerGather(t *testing.T) {
	got := must(rt.Run(gatherRets(5), rt.WithEagerTasks()))
	if !slices.Equal(got, []int{0, 1, 2, 3, 4}) {
		t.Fatalf("gather = %v", got)
	}
}

// A task spawned while the loop is not running starts on its first turn; one
// spawned by a callback while it runs starts at once, with no current task
// before or after it.
func TestEagerTasksOffTheLoopAndInCallbacks(t *testing.T) {
	l := rt.NewLoop(rt.WithEagerTasks())
	defer l.Close()
	off := rt.SpawnOn(l, whoRuns())
	if off.Done() {
		t.Fatal("a task spawned off the loop ran at once")
	}
	var inCallback *rt.Task[string]
	var currentAfter rt.AnyTask
	l.CallSoon(func() {
		inCallback = rt.SpawnOn(l, whoRuns())
		currentAfter = l.CurrentTask()
	})
	must(rt.RunUntilComplete(l, rt.Sleep(0)))
	if !off.Done() || inCallback == nil || !inCallback.Done() {
		t.Fatalf("off-loop task done %v, callback's task %v", off.Done(), inCallback)
	}
	if v, _ := inCallback.Result(); v != inCallback.Name() || currentAfter != nil {
		t.Fatalf("callback's task saw %q as current (want itself, %s); current after Spawn %v, want none", v, inCallback.Name(), currentAfter)
	}
}

// A task group adopts children that finished inside their spawn (eager
// tasks): it does not wait for them forever, and a failure among them
// fails the group.
func TestEagerTaskGroup(t *testing.T) {
	got := must(rt.Run(groupOfEager(3, false), rt.WithEagerTasks(), rt.WithVirtualClock()))
	if got != "sum 6, err <nil>" {
		t.Errorf("group of eager children: %q", got)
	}
	got = must(rt.Run(groupOfEager(3, true), rt.WithEagerTasks(), rt.WithVirtualClock()))
	if got != "sum 6, err child failed" {
		t.Errorf("group with an eager child that fails: %q", got)
	}
}
