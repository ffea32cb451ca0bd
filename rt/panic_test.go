package rt_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// runPanics runs c and returns the *rt.PanicError that rt.Run panicked with.
func runPanics[T any](t *testing.T, c rt.Coro[T]) (pe *rt.PanicError) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		var ok bool
		if pe, ok = r.(*rt.PanicError); !ok {
			t.Fatalf("rt.Run panicked with %T %v, want *rt.PanicError", r, r)
		}
	}()
	v, err := rt.Run(c, rt.WithVirtualClock())
	t.Fatalf("rt.Run returned %v, %v instead of panicking", v, err)
	return nil
}

// panicSite is a named function so that the test can find it in the stack.
func panicSite() { panic("the original value") }

func TestRunRepanicsWithPanicError(t *testing.T) {
	s := newScript[int]("rt_test.panics").Sleep(time.Second).Do(panicSite)
	pe := runPanics(t, s.Coro())
	if pe.Value != "the original value" {
		t.Errorf("Value %v", pe.Value)
	}
	if !strings.Contains(string(pe.Stack), "rt_test.panicSite") {
		t.Errorf("the stack does not show where the panic happened:\n%s", pe.Stack)
	}
	if !strings.Contains(pe.Error(), "the original value") {
		t.Errorf("Error() %q does not contain the value", pe.Error())
	}
}

func TestPanicErrorUnwrapsAnErrorValue(t *testing.T) {
	boom := errors.New("boom")
	pe := runPanics(t, newScript[int]("rt_test.panics").Do(func() { panic(boom) }).Coro())
	if !errors.Is(pe, boom) {
		t.Errorf("errors.Is(PanicError, value) is false: %v", pe)
	}
}

func TestAwaitingAPanickedTaskPanicsWithPanicError(t *testing.T) {
	// No recover in main: the panic crosses the task boundary once (the
	// awaited task's value becomes a *PanicError) and Run re-panics with
	// that same *PanicError, not one wrapped twice.
	var tk *rt.Task[int]
	main := newScript[int]("rt_test.main").
		Do(func() { tk = rt.Spawn(newScript[int]("rt_test.child").Do(panicSite).Coro()) })
	Await(main, nil, func() rt.Awaitable[int] { return tk })
	pe := runPanics(t, main.Coro())
	if pe.Value != "the original value" || !strings.Contains(string(pe.Stack), "rt_test.panicSite") {
		t.Errorf("PanicError %v", pe)
	}
	defer func() {
		if r, ok := recover().(*rt.PanicError); !ok || r.Value != "the original value" {
			t.Errorf("Result of a panicked task panicked with %v", r)
		}
	}()
	tk.Result()
	t.Error("Result of a panicked task did not panic")
}

func TestAPanicNobodyAwaitsMakesRunPanic(t *testing.T) {
	main := newScript[int]("rt_test.main").
		Do(func() { rt.Spawn(newScript[int]("rt_test.orphan").Do(panicSite).Coro()) }).
		Sleep(time.Second).
		Return(func() (int, error) { return 1, nil })
	pe := runPanics(t, main.Coro())
	if pe.Value != "the original value" {
		t.Errorf("PanicError %v", pe)
	}
}

func TestAPanicInAPendingTaskCancelledAtShutdownMakesRunPanic(t *testing.T) {
	// The task panics while it unwinds from the shutdown's cancellation.
	child := newScript[int]("rt_test.child").
		Defer(panicSite).
		Sleep(time.Hour)
	main := newScript[int]("rt_test.main").
		Do(func() { rt.Spawn(child.Coro()) }).
		Sleep(time.Second)
	pe := runPanics(t, main.Coro())
	if pe.Value != "the original value" {
		t.Errorf("PanicError %v", pe)
	}
}

func TestRunUntilCompleteRepanics(t *testing.T) {
	l := rt.NewLoop(rt.WithVirtualClock())
	defer func() {
		if r, ok := recover().(*rt.PanicError); !ok || r.Value != "the original value" {
			t.Errorf("RunUntilComplete panicked with %v", r)
		}
		if err := l.Close(); err != nil {
			t.Error(err)
		}
	}()
	rt.RunUntilComplete(l, newScript[int]("rt_test.main").Do(panicSite).Coro())
	t.Error("RunUntilComplete did not panic")
}

func TestAwaitingAChildCoroutineDirectlyKeepsThePanicValue(t *testing.T) {
	// Within one task a panic keeps its Go meaning: a deferred recover in
	// the awaiting coroutine sees the original value, not a *PanicError.
	var recovered any
	s := newScript[int]("rt_test.parent").DeferRecover(func(r any) { recovered = r })
	Await(s, nil, func() rt.Awaitable[int] {
		return newScript[int]("rt_test.child").Sleep(time.Millisecond).Do(panicSite).Coro()
	})
	run(t, s.Coro())
	if recovered != "the original value" {
		t.Errorf("recovered %T %v", recovered, recovered)
	}
}

func TestAPanicSeenOnlyByADoneCallbackMakesRunPanic(t *testing.T) {
	// The callback ignores the result: the panic would be lost.
	called := false
	main := newScript[int]("rt_test.main").
		Do(func() {
			tk := rt.Spawn(newScript[int]("rt_test.orphan").Do(panicSite).Coro())
			tk.AddDoneCallback(func(*rt.Task[int]) { called = true })
		}).
		Sleep(time.Second)
	pe := runPanics(t, main.Coro())
	if pe.Value != "the original value" || !called {
		t.Errorf("PanicError %v, callback called %v", pe, called)
	}
}

// A panic does not cut a turn short: the tasks queued in it after the task
// that panicked still take their step, even when that task is main and the
// loop stops (asyncio stops its loop after the current batch of
// callbacks), as they do when main returns. Here main is woken together
// with a task spawned after the wake-up, and panics out of its Poll, as a
// generated machine without deferred calls does: the other task runs
// before the shutdown cancels what is left.
func TestATurnGoesOnAfterMainPanics(t *testing.T) {
	var order []string
	f := rt.NewFuture[int]()
	helper := newScript[int]("rt_test.helper").Do(func() {
		f.SetResult(1) // main is ready: first in the next turn
		rt.Spawn(newScript[int]("rt_test.late").Do(func() { order = append(order, "late") }).Coro())
	})
	c := new(rt.WithTask[int, awaitThenPanic])
	c.M.f = f
	c.M.first = func() { rt.Spawn(helper.Coro()) }
	c.M.panics = func() { order = append(order, "main panics"); panic("boom") }
	if pe := runPanics(t, rt.NewCoro[int](&c.M, &c.Task)); pe.Value != "boom" {
		t.Errorf("PanicError %v", pe)
	}
	if got := strings.Join(order, ", "); got != "main panics, late" {
		t.Errorf("%s; want main panics, late", got)
	}
}

// awaitThenPanic runs first, awaits f, then runs panics, which panics out
// of Poll: it has no deferred calls to run, so it does not catch.
type awaitThenPanic struct {
	rt.Frame[int]
	f             *rt.Future[int]
	first, panics func()
}

func (m *awaitThenPanic) Poll(cx *rt.Ctx) bool {
	if m.State == 0 {
		m.first()
		m.State = 1
	}
	if !m.f.Poll(cx) {
		return false
	}
	m.panics()
	return m.Complete(0)
}

func (m *awaitThenPanic) CoroName() string { return "rt_test.awaitThenPanic" }
