package rt_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// deferLIFO defers three logging calls, then runs tail.
func deferLIFO(out *log, tail func(s *script[int]) *script[int]) rt.Coro[int] {
	s := newScript[int]("rt_test.deferLIFO")
	for _, n := range []string{"first", "second", "third"} {
		s.Defer(func() { out.printf("deferred %s", n) })
	}
	s.Do(func() { out.printf("body") })
	return tail(s).Coro()
}

func TestDefersRunLIFOOnReturn(t *testing.T) {
	var out log
	v := run(t, deferLIFO(&out, func(s *script[int]) *script[int] {
		return s.Sleep(time.Millisecond).Return(func() (int, error) { return 3, nil })
	}))
	expect(t, &out, "body", "deferred third", "deferred second", "deferred first")
	if v != 3 {
		t.Errorf("result %d", v)
	}
}

func TestDefersRunLIFOOnFailure(t *testing.T) {
	var out log
	boom := errors.New("boom")
	fail := newScript[int]("rt_test.fail").Sleep(time.Millisecond).Return(func() (int, error) { return 0, boom })
	_, err := rt.Run(deferLIFO(&out, func(s *script[int]) *script[int] {
		return Await(s, nil, func() rt.Awaitable[int] { return fail.Coro() }).
			Do(func() { out.printf("not reached") })
	}), rt.WithVirtualClock())
	if err != boom {
		t.Errorf("error %v", err)
	}
	expect(t, &out, "body", "deferred third", "deferred second", "deferred first")
}

func TestDefersRunLIFOOnCancellation(t *testing.T) {
	var out log
	var tk *rt.Task[int]
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			tk = rt.Spawn(deferLIFO(&out, func(s *script[int]) *script[int] { return s.Sleep(time.Hour) }))
		}).
		Sleep(time.Second).
		Do(func() { tk.Cancel() })
	var err error
	tryTask(main, nil, &err, &tk)
	run(t, main.Coro())
	expect(t, &out, "body", "deferred third", "deferred second", "deferred first")
	if !errors.Is(err, rt.ErrCancelled) || !tk.Cancelled() {
		t.Errorf("await %v, task %v", err, tk)
	}
}

func TestDefersRunLIFOOnPanic(t *testing.T) {
	var out log
	c := deferLIFO(&out, func(s *script[int]) *script[int] {
		return s.Sleep(time.Millisecond).Do(func() { panic("kaboom") }).Do(func() { out.printf("not reached") })
	})
	pe := runPanics(t, c)
	expect(t, &out, "body", "deferred third", "deferred second", "deferred first")
	if pe.Value != "kaboom" {
		t.Errorf("panic value %v", pe.Value)
	}
}

func TestRecoverInADeferredCallStopsAPanic(t *testing.T) {
	var out log
	var recovered any
	s := newScript[int]("rt_test.recovers").
		Defer(func() { out.printf("deferred before recover") }).
		DeferRecover(func(r any) { recovered = r; out.printf("recovered %v", r) }).
		Defer(func() { out.printf("deferred after recover") }).
		Sleep(time.Millisecond).
		Do(func() { panic("kaboom") }).
		Return(func() (int, error) { return 42, nil })
	v := run(t, s.Coro())
	if recovered != "kaboom" || v != 42 {
		t.Errorf("recovered %v, result %d", recovered, v)
	}
	expect(t, &out, "deferred after recover", "recovered kaboom", "deferred before recover")
}

func TestRecoverSeesTheLatestPanic(t *testing.T) {
	var recovered any
	s := newScript[int]("rt_test.repanic").
		DeferRecover(func(r any) { recovered = r }).
		Defer(func() { panic("second") }).
		Do(func() { panic("first") })
	run(t, s.Coro())
	if recovered != "second" {
		t.Errorf("recovered %v, want the panic raised by the deferred call", recovered)
	}
}

func TestRecoverReturnsNilWhileUnwindingAFailure(t *testing.T) {
	boom := errors.New("boom")
	var recovered any = "not called"
	s := newScript[int]("rt_test.unwindNotPanic").DeferRecover(func(r any) { recovered = r })
	Await(s, nil, func() rt.Awaitable[int] {
		return newScript[int]("rt_test.fail").Return(func() (int, error) { return 0, boom }).Coro()
	})
	if _, err := rt.Run(s.Coro(), rt.WithVirtualClock()); err != boom {
		t.Errorf("error %v", err)
	}
	if recovered != nil {
		t.Errorf("recover() during an error's unwinding returned %v, want nil", recovered)
	}
}

func TestDeferredAwaitsRunWhileUnwindingACancellation(t *testing.T) {
	var out log
	s := newScript[int]("rt_test.cleanup").
		Defer(func() { out.at("last deferred call") })
	DeferAwait(s, func() rt.Awaitable[int] {
		return newScript[int]("rt_test.close").
			Do(func() { out.at("closing") }).
			Sleep(time.Second).
			Do(func() { out.at("closed") }).Coro()
	})
	s.Defer(func() { out.at("first deferred call") }).
		Sleep(time.Hour)
	var tk *rt.Task[int]
	main := newScript[rt.Void]("rt_test.main").
		Do(func() { tk = rt.Spawn(s.Coro()) }).
		Sleep(time.Second).
		Do(func() { tk.Cancel() })
	var err error
	tryTask(main, nil, &err, &tk)
	main.Do(func() { out.at("main: %v", err) })
	run(t, main.Coro())
	expect(t, &out,
		"1s first deferred call",
		"1s closing",
		"2s closed",
		"2s last deferred call",
		"2s main: "+rt.ErrCancelled.Error())
}

func TestDeferredAwaitsRunOnPanicAndRecoverAfterThem(t *testing.T) {
	var out log
	var recovered any
	s := newScript[int]("rt_test.panicCleanup").
		DeferRecover(func(r any) { recovered = r; out.at("recovered %v", r) })
	DeferAwait(s, func() rt.Awaitable[rt.Void] { return rt.Sleep(time.Second) })
	s.Do(func() { panic("kaboom") })
	run(t, s.Coro())
	expect(t, &out, "1s recovered kaboom")
	if recovered != "kaboom" {
		t.Errorf("recovered %v", recovered)
	}
}

func TestPanicFromAnAwaitedTaskReachesADeferredRecoverAsPanicError(t *testing.T) {
	var recovered any
	var tk *rt.Task[int]
	s := newScript[int]("rt_test.awaiter").
		DeferRecover(func(r any) { recovered = r }).
		Do(func() {
			tk = rt.Spawn(newScript[int]("rt_test.panicker").Sleep(time.Millisecond).Do(func() { panic("inner") }).Coro())
		})
	var err error
	tryTask(s, nil, &err, &tk) // Try does not catch a panic
	s.Return(func() (int, error) { return 1, nil })
	run(t, s.Coro())
	pe, ok := recovered.(*rt.PanicError)
	if !ok {
		t.Fatalf("recovered %T %v, want *rt.PanicError", recovered, recovered)
	}
	if pe.Value != "inner" || !strings.Contains(pe.Error(), "inner") {
		t.Errorf("PanicError %v", pe)
	}
	if err != nil {
		t.Errorf("Try returned %v for a panic", err)
	}
}

func TestAPanicInADeferredAwaitIsRecoveredByAnEarlierDefer(t *testing.T) {
	var out log
	var recovered any
	s := newScript[int]("rt_test.panicInCleanup").
		DeferRecover(func(r any) { recovered = r; out.at("recovered %v", r) })
	DeferAwait(s, func() rt.Awaitable[int] {
		return newScript[int]("rt_test.close").Sleep(time.Second).Do(func() { panic("cleanup failed") }).Coro()
	})
	s.Sleep(time.Second).Return(func() (int, error) { return 1, nil })
	if v := run(t, s.Coro()); v != 1 {
		t.Errorf("result %d", v)
	}
	expect(t, &out, "2s recovered cleanup failed")
	if recovered != "cleanup failed" {
		t.Errorf("recovered %v", recovered)
	}
}
