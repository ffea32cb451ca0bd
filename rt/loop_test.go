package rt_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

func TestCloseWithPendingTasksNamesThemAndCloses(t *testing.T) {
	l := rt.NewLoop(rt.WithVirtualClock())
	var sleeper *rt.Task[int]
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			sleeper = rt.Spawn(after(nil, time.Hour, 1))
			sleeper.SetName("sleeper")
			rt.Spawn(after(nil, time.Hour, 2))
		}).
		Sleep(time.Second)
	if _, err := rt.RunUntilComplete(l, main.Coro()); err != nil {
		t.Fatal(err)
	}
	err := l.Close()
	if err == nil {
		t.Fatal("Close with pending tasks returned nil")
	}
	for _, want := range []string{"2 pending", "task sleeper pending", "task Task-3 pending"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Close error %q does not contain %q", err, want)
		}
	}
	if !l.IsClosed() {
		t.Error("the loop is not closed after Close returned an error")
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if sleeper.Done() {
		t.Error("a task pending at Close is done")
	}
}

func TestDeadlockIsAnErrorNotAHang(t *testing.T) {
	waitForever := func() rt.Coro[int] {
		f := rt.NewFuture[int]()
		s := newScript[int]("rt_test.main").Do(func() {
			rt.Spawn(Await(newScript[int]("rt_test.alsoWaits"), nil, func() rt.Awaitable[int] { return f }).Coro())
		})
		return Await(s, nil, func() rt.Awaitable[int] { return f }).Coro()
	}
	for _, virtual := range []bool{true, false} {
		t.Run(fmt.Sprintf("virtual=%v", virtual), func(t *testing.T) {
			var opts []rt.Option
			if virtual {
				opts = append(opts, rt.WithVirtualClock())
			}
			l := rt.NewLoop(opts...)
			_, err := withTimeout(t, 10*time.Second, func() (int, error) { return rt.RunUntilComplete(l, waitForever()) })
			if !errors.Is(err, rt.ErrDeadlock) {
				t.Errorf("RunUntilComplete: %v, want ErrDeadlock", err)
			} else if !strings.Contains(err.Error(), "task Task-1 pending") {
				t.Errorf("deadlock error %q does not name the waiting tasks", err)
			}
			l.Close()
			_, err = withTimeout(t, 10*time.Second, func() (int, error) { return rt.Run(waitForever(), opts...) })
			if !errors.Is(err, rt.ErrDeadlock) {
				t.Errorf("Run: %v, want ErrDeadlock", err)
			}
		})
	}
}

func TestLoopsInParallelEachSeeTheirOwn(t *testing.T) {
	const loops = 4
	var wg sync.WaitGroup
	errs := make(chan error, loops)
	for i := range loops {
		wg.Go(func() {
			unit := time.Duration(i+1) * time.Millisecond
			var main *rt.Task[string]
			check := func(what string) {
				if cur := rt.CurrentTask(); cur == nil || cur.Name() != main.Name() {
					errs <- fmt.Errorf("loop %d: %s: CurrentTask %v, want %v", i, what, cur, main)
				}
			}
			s := newScript[string]("rt_test.main")
			n := 0
			top := s.Label()
			s.Do(func() {
				check("before sleep")
				if now := rt.Now(); now != time.Duration(n)*unit {
					errs <- fmt.Errorf("loop %d: Now %v, want %v", i, now, time.Duration(n)*unit)
				}
				rt.Spawn(after(nil, unit, n))
			}).
				Sleep(unit).
				Do(func() { check("after sleep"); n++ }).
				JumpIf(top, func() bool { return n < 200 }).
				Return(func() (string, error) { return fmt.Sprint(rt.Now()), nil })
			l := rt.NewLoop(rt.WithVirtualClock())
			main = rt.SpawnOn(l, s.Coro())
			main.SetName(fmt.Sprintf("main-%d", i))
			got, err := rt.RunUntilComplete(l, main)
			if err != nil || got != fmt.Sprint(200*unit) {
				errs <- fmt.Errorf("loop %d: %q, %v", i, got, err)
			}
			l.Close()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestAddDoneCallbackRunsOnTheLoopAfterCompletion(t *testing.T) {
	var out log
	var tk *rt.Task[int]
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			tk = rt.Spawn(after(&out, time.Second, 5))
			tk.AddDoneCallback(func(t *rt.Task[int]) {
				v, err := t.Result()
				out.at("callback 1: %v %v current=%v", v, err, rt.CurrentTask())
			})
			tk.AddDoneCallback(func(*rt.Task[int]) { out.at("callback 2") })
		})
	Await(main, nil, func() rt.Awaitable[int] { return tk })
	main.Do(func() {
		out.at("main resumed")
		tk.AddDoneCallback(func(*rt.Task[int]) { out.at("late callback") })
		out.at("late callback added")
	}).Sleep(0)
	run(t, main.Coro())
	expect(t, &out,
		"1s 5 done",
		"1s callback 1: 5 <nil> current=<nil>",
		"1s callback 2",
		"1s main resumed",
		"1s late callback added",
		"1s late callback")
}

func TestNamesStringsAndAllTasks(t *testing.T) {
	l := rt.NewLoop(rt.WithVirtualClock())
	c := after(nil, time.Second, 1)
	if got := fmt.Sprintf("%v|%s|%+v", c, c, c); got != "coroutine rt_test.after|coroutine rt_test.after|coroutine rt_test.after" {
		t.Errorf("coroutine prints as %q", got)
	}
	if got := fmt.Sprint(rt.Coro[int]{}); got != "coroutine <nil>" {
		t.Errorf("zero coroutine prints as %q", got)
	}
	tk := rt.SpawnOn(l, c)
	failing := rt.SpawnOn(l, failAfter[int](nil, 0, errors.New("boom")))
	var running string
	var all []string
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			running = fmt.Sprint(rt.CurrentTask())
			for _, a := range l.AllTasks() {
				all = append(all, a.String())
			}
		}).
		Sleep(2 * time.Second)
	if got := fmt.Sprint(tk); got != "task Task-1 pending" {
		t.Errorf("pending task prints as %q", got)
	}
	tk.SetName("fetch")
	if _, err := rt.RunUntilComplete(l, main.Coro()); err != nil {
		t.Fatal(err)
	}
	if running != "task Task-3 running" {
		t.Errorf("running task prints as %q", running)
	}
	if want := []string{"task fetch pending", "task Task-2 pending", "task Task-3 running"}; fmt.Sprint(all) != fmt.Sprint(want) {
		t.Errorf("AllTasks %q, want %q", all, want)
	}
	if got := fmt.Sprint(tk); got != "task fetch done" {
		t.Errorf("done task prints as %q", got)
	}
	if got := fmt.Sprint(failing); got != "task Task-2 failed" {
		t.Errorf("failed task prints as %q", got)
	}
	if n := len(l.AllTasks()); n != 0 {
		t.Errorf("AllTasks after all finished: %d", n)
	}
	if l.CurrentTask() != nil {
		t.Errorf("CurrentTask off the loop: %v", l.CurrentTask())
	}
	l.Close()
}

// mustPanic returns the message of the panic f raises.
func mustPanic(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("no panic")
		}
		msg = fmt.Sprint(r)
	}()
	f()
	return ""
}

func TestMisuseGivesClearErrors(t *testing.T) {
	closed := rt.NewLoop()
	closed.Close()
	t.Run("RunUntilComplete on a closed loop", func(t *testing.T) {
		if _, err := rt.RunUntilComplete(closed, after(nil, 0, 1)); !errors.Is(err, rt.ErrLoopClosed) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("SpawnOn a closed loop", func(t *testing.T) {
		if msg := mustPanic(t, func() { rt.SpawnOn(closed, after(nil, 0, 1)) }); !strings.Contains(msg, "closed") {
			t.Errorf("panic %q", msg)
		}
	})
	t.Run("CallSoon on a closed loop", func(t *testing.T) {
		if msg := mustPanic(t, func() { closed.CallSoon(func() {}) }); !strings.Contains(msg, "closed") {
			t.Errorf("panic %q", msg)
		}
	})
	t.Run("off the loop", func(t *testing.T) {
		for name, tc := range map[string]struct {
			f       func()
			instead string
		}{
			"Spawn":       {func() { rt.Spawn(after(nil, 0, 1)) }, "rt.SpawnOn(loop, c)"},
			"Now":         {func() { rt.Now() }, "loop.Now()"},
			"CurrentTask": {func() { rt.CurrentTask() }, "loop.CurrentTask()"},
			"Gather":      {func() { rt.Gather(after(nil, 0, 1)) }, "rt.GatherOn(loop, ...)"},
			"GatherAll":   {func() { rt.GatherAll([]rt.Coro[int]{after(nil, 0, 1)}) }, "rt.GatherAllOn(loop, ...)"},
		} {
			msg := mustPanic(t, tc.f)
			if !strings.Contains(msg, "rt."+name+" called off the loop") || !strings.Contains(msg, tc.instead) {
				t.Errorf("%s: panic %q does not say to use %s", name, msg, tc.instead)
			}
		}
	})
	t.Run("coroutine awaited after it completed", func(t *testing.T) {
		child := after(nil, 0, 1)
		s := newScript[int]("rt_test.main")
		Await(s, nil, func() rt.Awaitable[int] { return child })
		Await(s, nil, func() rt.Awaitable[int] { return child })
		pe := runPanics(t, s.Coro())
		if msg := fmt.Sprint(pe.Value); !strings.Contains(msg, "rt_test.after resumed after it completed") {
			t.Errorf("panic %q", msg)
		}
	})
	t.Run("coroutine spawned twice", func(t *testing.T) {
		l := rt.NewLoop()
		defer l.Close()
		c := after(nil, 0, 1)
		rt.SpawnOn(l, c)
		if msg := mustPanic(t, func() { rt.SpawnOn(l, c) }); !strings.Contains(msg, "already running as task Task-1") {
			t.Errorf("panic %q", msg)
		}
		rt.RunUntilComplete(l, rt.Sleep(0))
	})
	t.Run("coroutine awaited by two tasks", func(t *testing.T) {
		child := after(nil, time.Second, 1)
		waiter := func() rt.Coro[int] {
			return Await(newScript[int]("rt_test.waiter"), nil, func() rt.Awaitable[int] { return child }).Coro()
		}
		var tk *rt.Task[int]
		s := newScript[int]("rt_test.main").Do(func() { tk = rt.Spawn(waiter()) }).Sleep(0)
		Await(s, nil, func() rt.Awaitable[int] { return waiter() })
		pe := runPanics(t, s.Coro())
		if msg := fmt.Sprint(pe.Value); !strings.Contains(msg, "already being awaited") {
			t.Errorf("panic %q", msg)
		}
		_ = tk
	})
	t.Run("spawning an awaited coroutine", func(t *testing.T) {
		child := after(nil, time.Second, 1)
		s := newScript[int]("rt_test.main").Do(func() {
			rt.Spawn(Await(newScript[int]("rt_test.waiter"), nil, func() rt.Awaitable[int] { return child }).Coro())
		}).Sleep(0).Do(func() { rt.Spawn(child) })
		pe := runPanics(t, s.Coro())
		if msg := fmt.Sprint(pe.Value); !strings.Contains(msg, "already being awaited") {
			t.Errorf("panic %q", msg)
		}
	})
	t.Run("Result before done", func(t *testing.T) {
		l := rt.NewLoop()
		defer l.Close()
		tk := rt.SpawnOn(l, after(nil, 0, 1))
		if _, err := tk.Result(); err != rt.ErrNotDone {
			t.Errorf("got %v", err)
		}
		if _, err := rt.NewFuture[int]().Result(); err != rt.ErrNotDone {
			t.Errorf("future: got %v", err)
		}
		rt.RunUntilComplete(l, tk)
	})
	t.Run("RunUntilComplete inside the loop", func(t *testing.T) {
		l := rt.NewLoop(rt.WithVirtualClock())
		defer l.Close()
		var err error
		var cerr error
		s := newScript[int]("rt_test.main").Do(func() {
			_, err = rt.RunUntilComplete(l, after(nil, 0, 1))
			cerr = l.Close()
		})
		rt.RunUntilComplete(l, s.Coro())
		if !errors.Is(err, rt.ErrLoopRunning) || !errors.Is(cerr, rt.ErrLoopRunning) {
			t.Errorf("nested RunUntilComplete: %v; Close while running: %v", err, cerr)
		}
	})
	t.Run("await of a zero Coro", func(t *testing.T) {
		s := Await(newScript[int]("rt_test.main"), nil, func() rt.Awaitable[int] { return rt.Coro[int]{} })
		pe := runPanics(t, s.Coro())
		if msg := fmt.Sprint(pe.Value); !strings.Contains(msg, "zero Coro") {
			t.Errorf("panic %q", msg)
		}
	})
	t.Run("a task awaiting itself", func(t *testing.T) {
		var tk *rt.Task[int]
		s := newScript[int]("rt_test.main")
		Await(s, nil, func() rt.Awaitable[int] { return tk })
		l := rt.NewLoop(rt.WithVirtualClock())
		tk = rt.SpawnOn(l, s.Coro())
		msg := mustPanic(t, func() { rt.RunUntilComplete(l, tk) })
		if !strings.Contains(msg, "awaits itself") {
			t.Errorf("panic %q", msg)
		}
	})
	t.Run("TimerHandle.Cancel after Close", func(t *testing.T) {
		l := rt.NewLoop()
		h := l.CallLater(time.Hour, func() {})
		l.Close()
		if h.Cancel() {
			t.Error("Cancel after Close returned true")
		}
	})
}

func TestLoopsDoNotMix(t *testing.T) {
	other := rt.NewLoop(rt.WithVirtualClock())
	defer other.Close()
	foreign := rt.SpawnOn(other, after(nil, time.Second, 1))
	t.Run("awaiting a task of another loop", func(t *testing.T) {
		s := Await(newScript[int]("rt_test.main"), nil, func() rt.Awaitable[int] { return foreign })
		pe := runPanics(t, s.Coro())
		if msg := fmt.Sprint(pe.Value); !strings.Contains(msg, "runs on another loop") {
			t.Errorf("panic %q", msg)
		}
	})
	t.Run("gathering tasks of two loops", func(t *testing.T) {
		s := Await(newScript[[]int]("rt_test.main"), nil, func() rt.Awaitable[[]int] {
			return rt.Gather(rt.Spawn(after(nil, 0, 1)), foreign)
		})
		pe := runPanics(t, s.Coro())
		if msg := fmt.Sprint(pe.Value); !strings.Contains(msg, "another loop") {
			t.Errorf("panic %q", msg)
		}
	})
	t.Run("RunUntilComplete of a task of another loop", func(t *testing.T) {
		l := rt.NewLoop(rt.WithVirtualClock())
		defer l.Close()
		if _, err := rt.RunUntilComplete(l, foreign); err == nil || !strings.Contains(err.Error(), "another loop") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("a loop inside a running loop", func(t *testing.T) {
		var runErr, rucErr error
		s := newScript[int]("rt_test.main").Do(func() {
			_, runErr = rt.Run(after(nil, 0, 1))
			_, rucErr = rt.RunUntilComplete(other, after(nil, 0, 1))
		})
		run(t, s.Coro())
		if !errors.Is(runErr, rt.ErrLoopRunning) || !errors.Is(rucErr, rt.ErrLoopRunning) {
			t.Errorf("Run inside a loop: %v; RunUntilComplete of another loop inside a loop: %v", runErr, rucErr)
		}
	})
	if _, err := rt.RunUntilComplete(other, foreign); err != nil {
		t.Error(err)
	}
}

// CallAt runs a callback when the loop's clock reaches a time, in deadline
// order with CallLater's; a time already past runs it on the next turn.
func TestCallAt(t *testing.T) {
	l := rt.NewLoop(rt.WithVirtualClock())
	defer l.Close()
	var got []string
	at := func(name string) func() { return func() { got = append(got, fmt.Sprintf("%s@%v", name, l.Now())) } }
	l.CallAt(3*time.Second, at("at3"))
	l.CallLater(2*time.Second, at("later2"))
	l.CallAt(time.Second, at("at1"))
	cancelled := l.CallAt(2500*time.Millisecond, at("cancelled"))
	cancelled.Cancel()
	if w := cancelled.When(); w != 2500*time.Millisecond {
		t.Errorf("When = %v, want 2.5s", w)
	}
	must(rt.RunUntilComplete(l, rt.Sleep(5*time.Second)))
	l.CallAt(time.Second, at("past"))
	must(rt.RunUntilComplete(l, rt.Sleep(0)))
	want := []string{"at1@1s", "later2@2s", "at3@3s", "past@5s"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("callbacks ran as %v, want %v", got, want)
	}
}
