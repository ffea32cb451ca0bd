package rt_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// allTasks lists the running loop's tasks as AllTasks returns them.
func allTasks() string {
	var s []string
	for _, t := range rt.RunningLoop().AllTasks() {
		s = append(s, strings.TrimPrefix(t.String(), "task "))
	}
	return strings.Join(s, ", ")
}

// AllTasks finds every unfinished task wherever it is: suspended, not
// started yet (in the ready queue), running its first poll, or an eager
// task's spawner; oldest first, and never a finished one. Tasks go on the
// loop's list only when they first suspend, so each of these is found in a
// different place.
func TestAllTasksFindsEveryUnfinishedTask(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []rt.Option
		want []string
	}{
		{"default", nil, []string{
			"main: Task-1 running, Task-2 pending, Task-3 pending, Task-4 pending",
			"lister: Task-1 pending, Task-2 pending, Task-4 running",
			"main after a turn: Task-1 running, Task-2 pending",
			"main at the end: Task-1 running",
		}},
		{"eager", []rt.Option{rt.WithEagerTasks()}, []string{
			// The quick Task-3 finished inside its Spawn.
			"lister: Task-1 pending, Task-2 pending, Task-4 running",
			"main: Task-1 running, Task-2 pending",
			"main after a turn: Task-1 running, Task-2 pending",
			"main at the end: Task-1 running",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			note := func(who string) { got = append(got, who+": "+allTasks()) }
			var sleeper *rt.Task[int]
			main := newScript[rt.Void]("rt_test.main").
				Do(func() {
					sleeper = rt.Spawn(after(nil, time.Second, 1))
					rt.Spawn(newScript[int]("rt_test.quick").Coro())
					rt.Spawn(newScript[int]("rt_test.lister").Do(func() { note("lister") }).Coro())
					note("main")
				}).
				Sleep(0).
				Do(func() { note("main after a turn") })
			Await(main, nil, func() rt.Awaitable[int] { return sleeper }).
				Do(func() { note("main at the end") })
			l := rt.NewLoop(append([]rt.Option{rt.WithVirtualClock()}, tc.opts...)...)
			defer l.Close()
			must(rt.RunUntilComplete(l, main.Coro()))
			if !slices.Equal(got, tc.want) {
				t.Errorf("AllTasks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if n := len(l.AllTasks()); n != 0 {
				t.Errorf("AllTasks after the run: %d tasks", n)
			}
		})
	}
}

// A sleeping or yielding task is never put on the loop's list: AllTasks
// finds it in the timer heap or the ready queue. A task waiting with a time
// limit is on the list and has its timer in the heap: it is listed once.
func TestAllTasksFindsSleepersAndYielders(t *testing.T) {
	var got string
	var never *rt.Future[int]
	yielder := newScript[int]("rt_test.yielder").Sleep(0).Sleep(0).Sleep(0)
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			never = rt.NewFuture[int]()
			rt.Spawn(after(nil, time.Hour, 1))                             // Task-2: asleep
			rt.Spawn(yielder.Coro())                                       // Task-3: yields, so always in the queue
			rt.Spawn(newScript[int]("rt_test.quick").Do(func() {}).Coro()) // Task-4: finishes in its first poll
			rt.Spawn(Await(newScript[int]("rt_test.limited"), nil, func() rt.Awaitable[rt.WaitResult[*rt.Future[int]]] {
				return rt.WaitTimeout(time.Hour, rt.AllCompleted, never) // Task-5: listed, and its timer in the heap
			}).Coro())
		}).
		Sleep(0). // each has run once; Task-4 has finished
		Do(func() { got = allTasks() })
	l := rt.NewLoop(rt.WithVirtualClock())
	defer l.Close()
	must(rt.RunUntilComplete(l, main.Coro()))
	if want := "Task-1 running, Task-2 pending, Task-3 pending, Task-5 pending"; got != want {
		t.Errorf("AllTasks: %s\nwant: %s", got, want)
	}
}

// Tasks not started yet are found in every block of the ready queue, from
// where it is being consumed: the lister runs as the 601st of 1200 new
// tasks, past the queue's first block of 511.
func TestAllTasksReadsTheWholeReadyQueue(t *testing.T) {
	const n = 1200
	var listed []string
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			for i := range n {
				s := newScript[int]("rt_test.quick")
				if i == n/2 {
					s.Do(func() { listed = strings.Split(allTasks(), ", ") })
				}
				rt.Spawn(s.Coro())
			}
		}).
		Sleep(0)
	must(rt.Run(main.Coro()))
	// main (suspended), the lister (running) and the n/2-1 after it.
	want := []string{"Task-1 pending", fmt.Sprintf("Task-%d running", n/2+2)}
	for id := n/2 + 3; id <= n+1; id++ {
		want = append(want, fmt.Sprintf("Task-%d pending", id))
	}
	if !slices.Equal(listed, want) {
		t.Errorf("AllTasks listed %d tasks: %q ... %q; want %d: %q ... %q",
			len(listed), listed[:min(3, len(listed))], listed[max(0, len(listed)-2):],
			len(want), want[:3], want[len(want)-2:])
	}
}

// Tasks that never ran are unfinished too: Close names them, and Run's
// shutdown cancels them, so that their bodies never run.
func TestTasksThatNeverRanArePending(t *testing.T) {
	ran := false
	body := func() rt.Coro[int] {
		return newScript[int]("rt_test.body").Do(func() { ran = true }).Coro()
	}

	l := rt.NewLoop()
	rt.SpawnOn(l, body())
	if err := l.Close(); err == nil || !strings.Contains(err.Error(), "task Task-1 pending") {
		t.Errorf("Close with a task never run: %v, want it named pending", err)
	}

	var tk *rt.Task[int]
	main := newScript[rt.Void]("rt_test.main").Do(func() { tk = rt.Spawn(body()) })
	must(rt.Run(main.Coro()))
	if ran || !tk.Cancelled() {
		t.Errorf("a task spawned as main returned: ran %v, cancelled %v; want cancelled before it ran", ran, tk.Cancelled())
	}
}
