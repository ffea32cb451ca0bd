package rt_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// after returns v after d, logging when it finishes.
func after[T any](out *log, d time.Duration, v T) rt.Coro[T] {
	return newScript[T]("rt_test.after").
		Sleep(d).
		Do(func() { out.at("%v done", v) }).
		Return(func() (T, error) { return v, nil }).Coro()
}

// failAfter fails with err after d.
func failAfter[T any](out *log, d time.Duration, err error) rt.Coro[T] {
	return newScript[T]("rt_test.failAfter").
		Sleep(d).
		Do(func() { out.at("%v failing", err) }).
		Return(func() (T, error) { var zero T; return zero, err }).Coro()
}

func TestGatherResultsComeInArgumentOrder(t *testing.T) {
	var out log
	f := rt.NewFuture[string]()
	var tk *rt.Task[string]
	var got []string
	main := newScript[[]string]("rt_test.main").
		Do(func() {
			tk = rt.Spawn(after(&out, 1*time.Second, "task"))
			rt.RunningLoop().CallLater(2*time.Second, func() { out.at("future set"); f.SetResult("future") })
		})
	Await(main, &got, func() rt.Awaitable[[]string] {
		// Completion order: coro 3, task, future, coro 4, sleep-wrapped 0.5s value.
		return rt.Gather[string](after(&out, 4*time.Second, "coro 4"), f, tk, after(&out, 0, "coro 0"))
	})
	main.Do(func() { out.at("gathered") }).
		Return(func() ([]string, error) { return got, nil })
	res := run(t, main.Coro())
	if !slices.Equal(res, []string{"coro 4", "future", "task", "coro 0"}) {
		t.Errorf("results %q", res)
	}
	expect(t, &out, "0s coro 0 done", "1s task done", "2s future set", "4s coro 4 done", "4s gathered")
}

// A task can be in two gathers, twice in one, and awaited besides: a
// gather links its own node into the waiters of a task it is the only
// waiter of, and a kid's node into any other's, and every waiter wakes in
// the order it began to wait.
func TestGatherOfTasksWithOtherWaiters(t *testing.T) {
	var out log
	var a, c *rt.Task[int]
	gatherer := func(name string, aws func() []rt.Awaitable[int]) rt.Coro[rt.Void] {
		var got []int
		s := Await(newScript[rt.Void]("rt_test."+name), &got, func() rt.Awaitable[[]int] { return rt.Gather(aws()...) })
		return s.Do(func() { out.at("%s: %v", name, got) }).Coro()
	}
	var aGot int
	awaiter := Await(newScript[rt.Void]("rt_test.awaiter"), &aGot, func() rt.Awaitable[int] { return a }).
		Do(func() { out.at("awaiter: %v", aGot) })
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			a = rt.Spawn(after(&out, time.Second, 1))
			c = rt.Spawn(after(&out, 2*time.Second, 3))
			rt.Spawn(awaiter.Coro())
		}).
		Sleep(0). // the awaiter waits for a
		Do(func() {
			// g1 polls first: its node goes on c, kids on a and on c again.
			rt.Spawn(gatherer("g1", func() []rt.Awaitable[int] { return []rt.Awaitable[int]{c, a, c} }))
			rt.Spawn(gatherer("g2", func() []rt.Awaitable[int] { return []rt.Awaitable[int]{c} }))
		}).
		Sleep(3 * time.Second)
	run(t, main.Coro())
	expect(t, &out, "1s 1 done", "1s awaiter: 1", "2s 3 done", "2s g1: [3 1 3]", "2s g2: [3]")
}

// GatherAll takes a slice of tasks as it is, in any mix of states: one
// already done, one awaited by another task too, the others pending; the
// results come in slice order. It takes a slice of coroutines too,
// spawning them on the running loop.
func TestGatherAllOfASliceOfTasks(t *testing.T) {
	var out log
	var tasks []*rt.Task[int]
	var got, gotCoros []int
	var aGot int
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			for i, d := range []time.Duration{3, 0, 1, 2} {
				tasks = append(tasks, rt.Spawn(after(&out, d*time.Second, i)))
			}
			watch := Await(newScript[rt.Void]("rt_test.watch"), &aGot, func() rt.Awaitable[int] { return tasks[3] })
			rt.Spawn(watch.Do(func() { out.at("watch: %v", aGot) }).Coro())
		}).
		Sleep(0) // tasks[1] finishes; the watcher waits for tasks[3]
	Await(main, &got, func() rt.Awaitable[[]int] { return rt.GatherAll(tasks) })
	main.Do(func() { out.at("tasks: %v", got) })
	Await(main, &gotCoros, func() rt.Awaitable[[]int] {
		return rt.GatherAll([]rt.Coro[int]{after(&out, time.Second, 10), after(&out, 0, 11)})
	})
	main.Do(func() { out.at("coroutines: %v", gotCoros) })
	run(t, main.Coro())
	expect(t, &out, "0s 1 done", "1s 2 done", "2s 3 done", "2s watch: 3", "3s 0 done", "3s tasks: [0 1 2 3]",
		"3s 11 done", "4s 10 done", "4s coroutines: [10 11]")
}

// A nil task, future or awaitable in a gather panics when Gather is
// called, naming its position, rather than when the gather runs.
func TestGatherOfNil(t *testing.T) {
	l := rt.NewLoop()
	defer l.Close()
	for name, f := range map[string]func(){
		"task":      func() { rt.GatherAll([]*rt.Task[int]{rt.SpawnOn(l, after(nil, 0, 1)), nil}) },
		"future":    func() { rt.GatherAll([]*rt.Future[int]{nil}) },
		"awaitable": func() { rt.GatherOn[int](l, after(nil, 0, 1), nil) },
	} {
		msg := mustPanic(t, f)
		if want := "Gather of a nil " + name; !strings.Contains(msg, want) {
			t.Errorf("%s: panic %q, want %q", name, msg, want)
		}
	}
}

func TestGatherOfNothing(t *testing.T) {
	var got []int
	main := Await(newScript[[]int]("rt_test.main"), &got, func() rt.Awaitable[[]int] { return rt.Gather[int]() }).
		Return(func() ([]int, error) { return got, nil })
	if res := run(t, main.Coro()); res == nil || len(res) != 0 {
		t.Errorf("Gather() = %#v, want an empty slice", res)
	}
}

func TestGatherReturnsTheFirstFailureAndTheOthersKeepRunning(t *testing.T) {
	var out log
	errA, errB := errors.New("A"), errors.New("B")
	var ta, tc *rt.Task[int]
	var err error
	var got []int
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			ta = rt.Spawn(failAfter[int](&out, 2*time.Second, errA))
			tc = rt.Spawn(after(&out, 3*time.Second, 3))
		})
	Try(main, &got, &err, func() rt.Awaitable[[]int] {
		return rt.Gather(ta, failAfter[int](&out, time.Second, errB), tc)
	})
	main.Do(func() { out.at("gather: %v %v", got, err) }).
		Sleep(5 * time.Second).
		Do(func() {
			_, aerr := ta.Result()
			c, cerr := tc.Result()
			out.at("A: %v; C: %v %v cancelled=%v", aerr, c, cerr, tc.Cancelled())
		})
	run(t, main.Coro())
	expect(t, &out,
		"1s B failing",
		"1s gather: [] B",
		"2s A failing",
		"3s 3 done",
		"6s A: A; C: 3 <nil> cancelled=false")
}

func TestCancellingASpawnedGatherCancelsAllItsChildren(t *testing.T) {
	var out log
	var g *rt.Task[[]int]
	var err error
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			g = rt.Spawn(rt.Gather(unwinder(&out, "k1", time.Second), unwinder(&out, "k2", 0), after(&out, 0, 7)))
		}).
		Sleep(time.Second).
		Do(func() { out.at("cancel: %v", g.Cancel()) })
	tryTask(main, nil, &err, &g)
	main.Do(func() { out.at("gather task: %v cancelled=%v", errors.Is(err, rt.ErrCancelled), g.Cancelled()) })
	run(t, main.Coro())
	expect(t, &out,
		"0s 7 done",
		"1s cancel: true",
		"1s k1 unwinding", "1s k2 unwinding",
		"1s k2 unwound",
		"2s k1 unwound",
		"2s gather task: true cancelled=true")
}

func TestGatherOfAPanickingChildPanicsWithPanicError(t *testing.T) {
	main := Await(newScript[[]int]("rt_test.main"), nil, func() rt.Awaitable[[]int] {
		return rt.Gather(after(nil, time.Hour, 1), newScript[int]("rt_test.child").Do(panicSite).Coro())
	})
	pe := runPanics(t, main.Coro())
	if pe.Value != "the original value" {
		t.Errorf("PanicError %v", pe)
	}
}

func TestGatherOnOffTheLoop(t *testing.T) {
	l := rt.NewLoop(rt.WithVirtualClock())
	var out log
	g := rt.GatherOn(l, after(&out, time.Second, 1), after(&out, 2*time.Second, 2))
	res, err := rt.RunUntilComplete(l, g)
	if err != nil || fmt.Sprint(res) != "[1 2]" || l.Now() != 2*time.Second {
		t.Errorf("GatherOn: %v %v at %v", res, err, l.Now())
	}
	if err := l.Close(); err != nil {
		t.Error(err)
	}
}
