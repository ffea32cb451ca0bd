package rt_test

import (
	"math/rand"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// yielder logs "<name> <i>" and yields with Sleep(0), n times.
func yielder(out *log, name string, n int) rt.Coro[rt.Void] {
	i := 0
	s := newScript[rt.Void]("rt_test.yielder")
	top := s.Label()
	s.Do(func() { out.printf("%s %d", name, i); i++ })
	s.Sleep(0)
	s.JumpIf(top, func() bool { return i < n })
	return s.Coro()
}

func TestReadyTasksRunFIFOAndSpawnedTasksStartAfterTheSpawnerSuspends(t *testing.T) {
	var out log
	l := rt.NewLoop(rt.WithVirtualClock())
	// Spawned before RunUntilComplete: they run before main, in this order.
	rt.SpawnOn(l, yielder(&out, "A", 2))
	rt.SpawnOn(l, yielder(&out, "B", 2))
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			out.printf("main spawns")
			rt.Spawn(yielder(&out, "C", 2))
			rt.Spawn(yielder(&out, "D", 2))
			out.printf("main spawned") // C and D have not started yet
		}).
		Sleep(0).
		Do(func() { out.printf("main resumed") }).
		Sleep(0).
		Sleep(0)
	if _, err := rt.RunUntilComplete(l, main.Coro()); err != nil {
		t.Fatal(err)
	}
	expect(t, &out,
		"A 0", "B 0", "main spawns", "main spawned",
		"A 1", "B 1", "C 0", "D 0", "main resumed",
		"C 1", "D 1")
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestTasksWokenTogetherResumeInTheOrderTheyWaited(t *testing.T) {
	var out log
	f := rt.NewFuture[int]()
	waiter := func(name string) rt.Coro[rt.Void] {
		var v int
		return Await(newScript[rt.Void]("rt_test.waiter"), &v, func() rt.Awaitable[int] { return f }).
			Do(func() { out.printf("%s got %d", name, v) }).Coro()
	}
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			for _, n := range []string{"W1", "W2", "W3", "W4"} {
				rt.Spawn(waiter(n))
			}
		}).
		Sleep(0). // all four now wait, in order
		Do(func() { f.SetResult(7) }).
		Sleep(0). // they resume on the next turn, behind main
		Do(func() { out.printf("main") }).
		Sleep(0)
	if _, err := rt.Run(main.Coro(), rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
	expect(t, &out, "W1 got 7", "W2 got 7", "W3 got 7", "W4 got 7", "main")
}

func TestTimersWithEqualDeadlinesFireInTheOrderTheyWereSet(t *testing.T) {
	var out log
	sleeper := func(name string, yieldFirst bool) rt.Coro[rt.Void] {
		s := newScript[rt.Void]("rt_test.sleeper")
		if yieldFirst {
			s.Sleep(0) // sets its timer one turn later, at the same virtual time
		}
		return s.Sleep(time.Second).Do(func() { out.at("%s", name) }).Coro()
	}
	var l *rt.Loop
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			rt.Spawn(sleeper("T1", true))
			rt.Spawn(sleeper("T2", false))
			l.CallLater(time.Second, func() { out.at("callback") }) // set before T2's and T3's
			rt.Spawn(sleeper("T3", false))
		}).
		Sleep(2 * time.Second)
	l = rt.NewLoop(rt.WithVirtualClock())
	if _, err := rt.RunUntilComplete(l, main.Coro()); err != nil {
		t.Fatal(err)
	}
	expect(t, &out, "1s callback", "1s T2", "1s T3", "1s T1")
}

// TestTimerHeapOrder checks the heap against a sort: many callbacks with
// few distinct deadlines, some cancelled, fire by (deadline, order set).
func TestTimerHeapOrder(t *testing.T) {
	l := rt.NewLoop(rt.WithVirtualClock())
	rng := rand.New(rand.NewSource(1))
	type set struct {
		when time.Duration
		seq  int
	}
	var want, got []set
	var handles []*rt.TimerHandle
	for i := range 2000 {
		s := set{time.Duration(rng.Intn(20)) * time.Millisecond, i}
		h := l.CallLater(s.when, func() { got = append(got, s) })
		if rng.Intn(4) == 0 {
			handles = append(handles, h)
		} else {
			want = append(want, s)
		}
	}
	for _, h := range handles {
		if !h.Cancel() {
			t.Fatal("Cancel of a pending callback returned false")
		}
		if h.Cancel() {
			t.Fatal("second Cancel returned true")
		}
	}
	done := newScript[rt.Void]("rt_test.main").Sleep(time.Second)
	if _, err := rt.RunUntilComplete(l, done.Coro()); err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(want, func(a, b set) int { return int(a.when - b.when) })
	if !slices.Equal(got, want) {
		t.Fatalf("callbacks fired out of order:\n got %v\nwant %v", got[:10], want[:10])
	}
}

func TestSleepZeroYieldsExactlyOneTurn(t *testing.T) {
	for _, virtual := range []bool{true, false} {
		var opts []rt.Option
		if virtual {
			opts = append(opts, rt.WithVirtualClock())
		}
		sleepZeroTurns(t, virtual, rt.NewLoop(opts...))
	}
}

func sleepZeroTurns(t *testing.T, virtual bool, l *rt.Loop) {
	// A callback that re-arms itself counts the loop's turns.
	turns, stop := 0, false
	var tick func()
	tick = func() {
		turns++
		if !stop {
			l.CallSoon(tick)
		}
	}
	l.CallSoon(tick)
	var gaps []int
	var before int
	i := 0
	main := newScript[rt.Void]("rt_test.main")
	top := main.Label()
	main.Do(func() { before = turns }).
		Do(func() {})
	Await(main, nil, func() rt.Awaitable[rt.Void] { return rt.Sleep(-time.Duration(i)) }) // 0 and negative alike
	main.Do(func() { gaps = append(gaps, turns-before); i++ }).
		JumpIf(top, func() bool { return i < 5 }).
		Do(func() { stop = true })
	if _, err := rt.RunUntilComplete(l, main.Coro()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gaps, []int{1, 1, 1, 1, 1}) {
		t.Errorf("virtual clock %v: turns per Sleep(0): %v, want 1 each", virtual, gaps)
	}
	if virtual && l.Now() != 0 {
		t.Errorf("Sleep(0) advanced the virtual clock to %v", l.Now())
	}
}

// A turn runs only what was ready when it began, so a task spinning on
// Sleep(0) cannot starve a due timer: it fires on the next turn.
func TestSleepZeroLetsDueTimersFire(t *testing.T) {
	for _, virtual := range []bool{true, false} {
		var opts []rt.Option
		if virtual {
			opts = append(opts, rt.WithVirtualClock())
		}
		l := rt.NewLoop(opts...)
		fired, spins := false, 0
		main := newScript[rt.Void]("rt_test.spinner").
			Do(func() { l.CallLater(0, func() { fired = true }) })
		top := main.Label()
		main.Sleep(0).
			Do(func() { spins++ }).
			JumpIf(top, func() bool { return !fired && spins < 1000 })
		if _, err := rt.RunUntilComplete(l, main.Coro()); err != nil {
			t.Fatal(err)
		}
		if virtual && spins != 2 || spins > 100 { // the 2nd resume sees the timer fired
			t.Errorf("virtual=%v: the timer fired after %d turns of Sleep(0)", virtual, spins)
		}
		l.Close()
	}
}

func TestSleepZeroInterleaves(t *testing.T) {
	var out log
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			rt.Spawn(yielder(&out, "A", 3))
			rt.Spawn(yielder(&out, "B", 3))
		}).
		Sleep(time.Millisecond)
	if _, err := rt.Run(main.Coro(), rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
	expect(t, &out, "A 0", "B 0", "A 1", "B 1", "A 2", "B 2")
}

func TestVirtualClockIsExactAndTakesNoWallTime(t *testing.T) {
	var stamps []time.Duration
	main := newScript[time.Duration]("rt_test.main").
		Do(func() { stamps = append(stamps, rt.Now()) }).
		Sleep(1500 * time.Millisecond).
		Do(func() { stamps = append(stamps, rt.Now()) }).
		Sleep(250 * time.Millisecond).
		Do(func() { stamps = append(stamps, rt.Now()) }).
		Sleep(time.Hour).
		Sleep(0).
		Return(func() (time.Duration, error) { return rt.Now(), nil })
	start := time.Now()
	end, err := rt.Run(main.Coro(), rt.WithVirtualClock())
	wall := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{0, 1500 * time.Millisecond, 1750 * time.Millisecond}
	if !slices.Equal(stamps, want) || end != time.Hour+1750*time.Millisecond {
		t.Errorf("virtual times %v, end %v; want %v, end 1h0m1.75s", stamps, end, want)
	}
	if wall > 500*time.Millisecond {
		t.Errorf("an hour of virtual sleep took %v of wall time", wall)
	}
}

func TestRealClock(t *testing.T) {
	var out log
	l := rt.NewLoop()
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			rt.Spawn(newScript[rt.Void]("rt_test.late").Sleep(4 * time.Millisecond).Do(func() { out.printf("4ms") }).Coro())
			rt.Spawn(newScript[rt.Void]("rt_test.early").Sleep(2 * time.Millisecond).Do(func() { out.printf("2ms") }).Coro())
		}).
		Sleep(6 * time.Millisecond)
	start := time.Now()
	if _, err := rt.RunUntilComplete(l, main.Coro()); err != nil {
		t.Fatal(err)
	}
	wall := time.Since(start)
	expect(t, &out, "2ms", "4ms")
	if now := l.Now(); now < 6*time.Millisecond || wall < 6*time.Millisecond {
		t.Errorf("6ms sleep: loop clock %v, wall %v", now, wall)
	}
	if wall > 5*time.Second {
		t.Errorf("6ms sleep took %v", wall)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCallSoonAndCallLaterOrder(t *testing.T) {
	var out log
	l := rt.NewLoop(rt.WithVirtualClock())
	l.CallSoon(func() { out.printf("soon 1") })
	l.CallLater(2*time.Millisecond, func() { out.at("later 2ms") })
	h := l.CallLater(time.Millisecond, func() { out.at("cancelled") })
	l.CallLater(time.Millisecond, func() { out.at("later 1ms") })
	l.CallLater(0, func() { out.at("later 0") })
	l.CallSoon(func() { out.printf("soon 2") })
	if !h.Cancel() || h.Cancel() {
		t.Error("TimerHandle.Cancel: want true, then false")
	}
	main := newScript[rt.Void]("rt_test.main").
		Do(func() {
			out.printf("main")
			l.CallSoon(func() { out.printf("soon from main") })
		}).
		Sleep(0).
		Do(func() { out.printf("main after yield") }).
		Sleep(10 * time.Millisecond)
	if _, err := rt.RunUntilComplete(l, main.Coro()); err != nil {
		t.Fatal(err)
	}
	expect(t, &out,
		"soon 1", "soon 2", "main",
		"0s later 0", "soon from main", "main after yield",
		"1ms later 1ms", "2ms later 2ms")
	fired := l.CallLater(0, func() {})
	if _, err := rt.RunUntilComplete(l, newScript[rt.Void]("rt_test.main").Sleep(0).Coro()); err != nil {
		t.Fatal(err)
	}
	if fired.Cancel() {
		t.Error("Cancel of a callback that already ran returned true")
	}
}

func TestCallSoonThreadsafeWakesAnIdleLoop(t *testing.T) {
	l := rt.NewLoop()
	f := rt.NewFuture[string]()
	var ready atomic.Bool
	main := newScript[string]("rt_test.main").
		Do(func() {
			// A far timer keeps the loop from declaring a deadlock; the
			// loop must wake for the callback long before it.
			l.CallLater(time.Hour, func() {})
			ready.Store(true)
		})
	var v string
	Await(main, &v, func() rt.Awaitable[string] { return f }).
		Return(func() (string, error) { return v, nil })
	go func() {
		for !ready.Load() {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(5 * time.Millisecond) // let the loop go idle
		l.CallSoonThreadsafe(func() { f.SetResult("from another goroutine") })
	}()
	got, err := withTimeout(t, 10*time.Second, func() (string, error) { return rt.RunUntilComplete(l, main.Coro()) })
	if err != nil || got != "from another goroutine" {
		t.Fatalf("got %q, %v", got, err)
	}
	if now := l.Now(); now > time.Minute {
		t.Errorf("loop clock %v: it waited for the hour timer", now)
	}
}

// withTimeout runs f, failing the test if it has not returned after d
// instead of hanging.
func withTimeout[T any](t *testing.T, d time.Duration, f func() (T, error)) (T, error) {
	t.Helper()
	type res struct {
		v   T
		err error
	}
	ch := make(chan res, 1)
	go func() {
		v, err := f()
		ch <- res{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-time.After(d):
		t.Fatalf("still running after %v: a hang", d)
		panic("unreachable")
	}
}
