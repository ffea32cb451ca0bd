package rt_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// run runs main on a new loop with the virtual clock, failing on error.
func run[T any](t *testing.T, main rt.Coro[T]) T {
	t.Helper()
	v, err := rt.Run(main, rt.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// awaitTask is the script op "err = rt.Try(task)" for a task made later.
func tryTask[T, R any](s *script[R], v *T, err *error, task **rt.Task[T]) *script[R] {
	return Try(s, v, err, func() rt.Awaitable[T] { return *task })
}

func TestCancellationIsDeliveredOnce(t *testing.T) {
	var out log
	var first, second error
	task := newScript[string]("rt_test.catcher")
	Try(task, nil, &first, func() rt.Awaitable[rt.Void] { return rt.Sleep(time.Second) })
	task.Do(func() { out.at("caught %v", first) })
	Try(task, nil, &second, func() rt.Awaitable[rt.Void] { return rt.Sleep(time.Second) })
	task.Do(func() { out.at("slept again: %v", second) }).
		Sleep(0).
		Return(func() (string, error) { return "finished", nil })

	var tk *rt.Task[string]
	var res string
	var err error
	main := newScript[rt.Void]("rt_test.main").
		Do(func() { tk = rt.Spawn(task.Coro()) }).
		Sleep(500 * time.Millisecond).
		Do(func() {
			tk.Cancel()
			tk.Cancel() // a second request before delivery changes nothing
		})
	tryTask(main, &res, &err, &tk)
	main.Do(func() { out.at("result %q %v", res, err) })
	run(t, main.Coro())
	expect(t, &out,
		"500ms caught "+rt.ErrCancelled.Error(),
		"1.5s slept again: <nil>",
		"1.5s result \"finished\" <nil>")
	if tk.Cancelled() {
		t.Error("a task that caught its cancellation and returned counts as cancelled")
	}
	if !errors.Is(first, rt.ErrCancelled) || !errors.Is(first, context.Canceled) {
		t.Errorf("cancellation error %v: want ErrCancelled and context.Canceled", first)
	}
}

func TestCancelWhileRunningFailsTheNextSuspendingAwait(t *testing.T) {
	var err error
	var at time.Duration
	task := newScript[rt.Void]("rt_test.self").
		Do(func() { rt.CurrentTask().Cancel() })
	Try(task, nil, &err, func() rt.Awaitable[rt.Void] { return rt.Sleep(time.Hour) })
	task.Do(func() { at = rt.Now() })
	main := newScript[rt.Void]("rt_test.main")
	var tk *rt.Task[rt.Void]
	main.Do(func() { tk = rt.Spawn(task.Coro()) })
	Await(main, nil, func() rt.Awaitable[rt.Void] { return tk })
	run(t, main.Coro())
	if !errors.Is(err, rt.ErrCancelled) || at != 0 {
		t.Errorf("sleep after self-cancel: %v at %v, want ErrCancelled at once", err, at)
	}
}

func TestTaskCancelledBeforeItRanNeverRunsItsBody(t *testing.T) {
	ran := false
	var tk *rt.Task[int]
	var err error
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			tk = rt.Spawn(newScript[int]("rt_test.body").Do(func() { ran = true }).Coro())
			if !tk.Cancel() {
				t.Error("Cancel of a pending task returned false")
			}
		})
	tryTask(main, nil, &err, &tk)
	run(t, main.Coro())
	if ran {
		t.Error("the body of a task cancelled before it started ran")
	}
	if !errors.Is(err, rt.ErrCancelled) || !tk.Cancelled() || !tk.Done() {
		t.Errorf("await: %v; task %v", err, tk)
	}
	if _, rerr := tk.Result(); !errors.Is(rerr, rt.ErrCancelled) {
		t.Errorf("Result: %v", rerr)
	}
}

func TestDoneStaysFalseUntilTheTaskHasUnwound(t *testing.T) {
	var out log
	task := newScript[rt.Void]("rt_test.slowUnwind")
	DeferAwait(task, func() rt.Awaitable[rt.Void] { return rt.Sleep(time.Second) })
	task.Defer(func() { out.at("unwinding") }).
		Sleep(time.Hour)
	var tk *rt.Task[rt.Void]
	var err error
	main := newScript[rt.Void]("rt_test.main").
		Do(func() { tk = rt.Spawn(task.Coro()) }).
		Sleep(time.Second).
		Do(func() {
			if !tk.Cancel() {
				t.Error("Cancel returned false")
			}
			out.at("cancel requested: done=%v", tk.Done())
		}).
		Sleep(500 * time.Millisecond).
		Do(func() { out.at("done=%v cancelled=%v", tk.Done(), tk.Cancelled()) })
	tryTask(main, nil, &err, &tk)
	main.Do(func() {
		out.at("awaited: %v done=%v cancelled=%v", errors.Is(err, rt.ErrCancelled), tk.Done(), tk.Cancelled())
	})
	run(t, main.Coro())
	expect(t, &out,
		"1s cancel requested: done=false",
		"1s unwinding",
		"1.5s done=false cancelled=false",
		"2s awaited: true done=true cancelled=true")
}

func TestCancelReturnsFalseWhenDone(t *testing.T) {
	var tk *rt.Task[int]
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			tk = rt.Spawn(newScript[int]("rt_test.quick").Return(func() (int, error) { return 1, nil }).Coro())
		})
	Await(main, nil, func() rt.Awaitable[int] { return tk })
	run(t, main.Coro())
	if tk.Cancel() || tk.Cancelled() {
		t.Errorf("Cancel of a finished task: returned true or marked it cancelled: %v", tk)
	}
	if v, err := tk.Result(); v != 1 || err != nil {
		t.Errorf("Result after a late Cancel: %v, %v", v, err)
	}
}

// unwinder sleeps an hour; when cancelled it logs, sleeps its unwind time
// in a deferred await, and logs again.
func unwinder(out *log, name string, unwind time.Duration) rt.Coro[int] {
	s := newScript[int]("rt_test.unwinder")
	s.Defer(func() { out.at("%s unwound", name) })
	DeferAwait(s, func() rt.Awaitable[rt.Void] { return rt.Sleep(unwind) })
	s.Defer(func() { out.at("%s unwinding", name) })
	return s.Sleep(time.Hour).Return(func() (int, error) { return 1, nil }).Coro()
}

func TestCancellingATaskThatAwaitsATaskCancelsTheInnerFirst(t *testing.T) {
	var out log
	var inner *rt.Task[int]
	var outer *rt.Task[rt.Void]
	var err error
	o := newScript[rt.Void]("rt_test.outer").Do(func() { inner = rt.Spawn(unwinder(&out, "inner", time.Second)) })
	tryTask(o, nil, &err, &inner)
	o.Do(func() { out.at("outer await failed: %v; inner done=%v", err, inner.Done()) })
	main := newScript[rt.Void]("rt_test.main").
		Do(func() { outer = rt.Spawn(o.Coro()) }).
		Sleep(time.Second).
		Do(func() { outer.Cancel() })
	Await(main, nil, func() rt.Awaitable[rt.Void] { return outer })
	run(t, main.Coro())
	expect(t, &out,
		"1s inner unwinding",
		"2s inner unwound",
		"2s outer await failed: "+rt.ErrCancelled.Error()+"; inner done=true")
	if !inner.Cancelled() {
		t.Errorf("inner: %v", inner)
	}
}

func TestCancellingATaskThatAwaitsAGatherCancelsEveryChild(t *testing.T) {
	var out log
	var outer *rt.Task[rt.Void]
	var err error
	var k1 *rt.Task[int]
	o := newScript[rt.Void]("rt_test.outer").Do(func() { k1 = rt.Spawn(unwinder(&out, "k1", time.Second)) })
	Try(o, nil, &err, func() rt.Awaitable[[]int] {
		return rt.Gather(k1, unwinder(&out, "k2", 2*time.Second), quick(&out, "k3", 3))
	})
	o.Do(func() { out.at("outer: %v", err) })
	main := newScript[rt.Void]("rt_test.main").
		Do(func() { outer = rt.Spawn(o.Coro()) }).
		Sleep(time.Second).
		Do(func() { outer.Cancel() })
	Await(main, nil, func() rt.Awaitable[rt.Void] { return outer })
	run(t, main.Coro())
	expect(t, &out,
		"0s k3 returns 3",
		"1s k1 unwinding", "1s k2 unwinding",
		"2s k1 unwound",
		"3s k2 unwound",
		"3s outer: "+rt.ErrCancelled.Error())
	if !k1.Cancelled() {
		t.Errorf("k1: %v", k1)
	}
}

// quick returns v at once, logging it.
func quick(out *log, name string, v int) rt.Coro[int] {
	return newScript[int]("rt_test.quick").
		Do(func() { out.at("%s returns %d", name, v) }).
		Return(func() (int, error) { return v, nil }).Coro()
}

func TestCancellingATaskThatAwaitsAFutureCancelsTheFuture(t *testing.T) {
	f := rt.NewFuture[int]()
	var tk *rt.Task[int]
	var err error
	waiter := Try(newScript[int]("rt_test.waiter"), nil, &err, func() rt.Awaitable[int] { return f }).
		Return(func() (int, error) { return 0, err })
	main := newScript[rt.Void]("rt_test.main").
		Do(func() { tk = rt.Spawn(waiter.Coro()) }).
		Sleep(time.Second).
		Do(func() { tk.Cancel() })
	var terr error
	tryTask(main, nil, &terr, &tk)
	run(t, main.Coro())
	if !f.Cancelled() || !f.Done() {
		t.Errorf("future after its awaiter was cancelled: %v", f)
	}
	if f.SetResult(1) {
		t.Error("SetResult on a cancelled future returned true")
	}
	if !errors.Is(err, rt.ErrCancelled) || !errors.Is(terr, rt.ErrCancelled) || !tk.Cancelled() {
		t.Errorf("await: %v, task: %v, %v", err, terr, tk)
	}
}

func TestTaskFinishingWithAnUndeliveredCancellationCountsAsCancelled(t *testing.T) {
	done := rt.NewFuture[int]()
	done.SetResult(5)
	var v int
	// It cancels itself, then awaits only what is already complete (which
	// never suspends, so the cancellation is never delivered) and returns.
	s := newScript[int]("rt_test.selfCancel").Do(func() { rt.CurrentTask().Cancel() })
	Await(s, &v, func() rt.Awaitable[int] { return done }).
		Return(func() (int, error) { return v, nil })
	var tk *rt.Task[int]
	var err error
	main := newScript[rt.Void]("rt_test.main").Do(func() { tk = rt.Spawn(s.Coro()) })
	tryTask(main, nil, &err, &tk)
	run(t, main.Coro())
	if v != 5 {
		t.Errorf("await of a completed future: %d", v)
	}
	if !tk.Cancelled() || !errors.Is(err, rt.ErrCancelled) || tk.String() != "task "+tk.Name()+" cancelled" {
		t.Errorf("task %v, await %v: want cancelled", tk, err)
	}
}

func TestTaskFailingWithAWrappedErrCancelledCountsAsCancelled(t *testing.T) {
	var tk *rt.Task[int]
	var err error
	s := newScript[int]("rt_test.reraise").Return(func() (int, error) {
		return 0, fmt.Errorf("cleanup done: %w", rt.ErrCancelled)
	})
	main := newScript[rt.Void]("rt_test.main").Do(func() { tk = rt.Spawn(s.Coro()) })
	tryTask(main, nil, &err, &tk)
	run(t, main.Coro())
	if !tk.Cancelled() || err == nil || err.Error() != "cleanup done: "+rt.ErrCancelled.Error() {
		t.Errorf("task %v, await %v", tk, err)
	}
}

func TestTryReturnsTheFailureAndAwaitUnwinds(t *testing.T) {
	boom := errors.New("boom")
	failing := func() rt.Coro[int] {
		return newScript[int]("rt_test.failing").Sleep(time.Millisecond).Return(func() (int, error) { return 7, boom }).Coro()
	}
	var v int
	var err error
	var after bool
	caught := Try(newScript[string]("rt_test.try"), &v, &err, func() rt.Awaitable[int] { return failing() }).
		Return(func() (string, error) { return fmt.Sprintf("caught %d %v", v, err), nil })
	if got := run(t, caught.Coro()); got != "caught 0 boom" {
		t.Errorf("Try: %q", got)
	}
	unwinds := Await(newScript[string]("rt_test.await"), &v, func() rt.Awaitable[int] { return failing() }).
		Do(func() { after = true })
	if _, err := rt.Run(unwinds.Coro(), rt.WithVirtualClock()); err != boom || after {
		t.Errorf("Await of a failure: %v, code after it ran: %v", err, after)
	}
}
