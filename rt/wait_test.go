package rt

import (
	"testing"
	"time"
)

// driver is a hand-written machine that awaits mk(0), mk(1), ... mk(n-1) in
// turn, as a generated loop of awaits does; the first failure ends it.
type driver struct {
	Frame[Void]
	n, i int
	mk   func(i int) awaitAny
	cur  awaitAny
}

func drive(n int, mk func(i int) awaitAny) Coro[Void] {
	c := new(WithTask[Void, driver])
	c.M.n, c.M.mk = n, mk
	return NewCoro[Void](&c.M, &c.Task)
}

func (m *driver) Poll(cx *Ctx) bool {
	for m.i < m.n {
		if m.cur == nil {
			m.cur = m.mk(m.i)
		}
		if !m.cur.Poll(cx) {
			return false
		}
		err := m.cur.err(cx)
		m.cur = nil
		m.i++
		if err != nil {
			return m.Fail(err)
		}
	}
	return m.Complete(Void{})
}

func (m *driver) CoroName() string { return "rt.driver" }

func aw[T any](a Awaitable[T]) awaitAny { return discard[T]{a} }

func sleepTask(l *Loop, d time.Duration) *Task[Void] { return SpawnOn(l, awaitCoro[Void](Sleep(d))) }

// run runs c on a fresh virtual-clock loop and closes it, failing the test
// if tasks are left.
func run[T any](t testing.TB, l *Loop, c Awaitable[T]) (T, error) {
	t.Helper()
	v, err := RunUntilComplete(l, c)
	if cerr := l.Close(); cerr != nil {
		t.Errorf("Close: %v", cerr)
	}
	return v, err
}

// A cancelled Wait unlinks itself from every task it watched and from the
// timer heap: nothing of it is left to wake.
func TestWaitCancelLeavesNothing(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	a, b := sleepTask(l, time.Hour), sleepTask(l, time.Hour)
	w := SpawnOn(l, WaitTimeout(10*time.Hour, AllCompleted, a, b))
	l.CallLater(time.Second, func() {
		w.Cancel()
		l.CallSoon(func() {
			if a.waiters != nil || b.waiters != nil {
				t.Error("a waiter is left on the tasks")
			}
			if l.timers.len() != 2 {
				t.Errorf("%d timers, want the 2 sleeps", l.timers.len())
			}
			a.Cancel()
			b.Cancel()
		})
	})
	if _, err := RunUntilComplete(l, w); !isCancelled(err) {
		t.Fatalf("Wait: %v, want ErrCancelled", err)
	}
	RunUntilComplete(l, a)
	run[Void](t, l, b)
}

// A Wait that returns before its timeout removes the timer; one that times
// out leaves no waiter behind.
func TestWaitTimeoutCleanup(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	a, b := sleepTask(l, time.Second), sleepTask(l, 3*time.Second)
	r, err := RunUntilComplete(l, WaitTimeout(time.Hour, FirstCompleted, a, b))
	if err != nil || len(r.Done) != 1 || r.Done[0] != a || l.timers.len() != 1 {
		t.Fatalf("got %v %v with %d timers", r, err, l.timers.len())
	}
	r, err = RunUntilComplete(l, WaitTimeout(time.Second, AllCompleted, b))
	if err != nil || len(r.Pending) != 1 || b.waiters != nil {
		t.Fatalf("got %v %v; waiters left: %v", r, err, b.waiters != nil)
	}
	if _, err := run[Void](t, l, b); err != nil {
		t.Fatal(err)
	}
}

// Many tasks completing in one turn: each is counted once.
func TestWaitMany(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	var ts []*Task[Void]
	for range 1000 {
		ts = append(ts, sleepTask(l, time.Second))
	}
	r, err := run(t, l, Wait(AllCompleted, ts...))
	if err != nil || len(r.Done) != 1000 || l.Now() != time.Second {
		t.Fatalf("got %d done, %v at %v", len(r.Done), err, l.Now())
	}
}

func TestAsCompletedTwoAwaitersPanic(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	it := AsCompleted(sleepTask(l, time.Second))
	SpawnOn(l, drive(1, func(int) awaitAny { return aw(it.Next()) }))
	defer func() {
		if r := recover(); r == nil {
			t.Error("no panic")
		}
		l.Close()
	}()
	RunUntilComplete(l, drive(1, func(int) awaitAny { return aw(it.Next()) }))
}

// The shielded task keeps no node of a cancelled awaiter.
func TestShieldCancelUnlinks(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	inner := sleepTask(l, time.Hour)
	w := SpawnOn(l, Shield[Void](inner))
	l.CallLater(time.Second, func() { w.Cancel() })
	if _, err := RunUntilComplete(l, w); !isCancelled(err) {
		t.Fatalf("got %v", err)
	}
	if inner.waiters != nil || inner.Done() {
		t.Fatalf("inner: waiters %v, done %v", inner.waiters != nil, inner.Done())
	}
	inner.Cancel()
	run[Void](t, l, inner)
}

func BenchmarkWaitFirstCompleted(b *testing.B) {
	b.ReportAllocs()
	l := NewLoop(WithVirtualClock())
	t1 := sleepTask(l, 0)
	RunUntilComplete(l, t1)
	b.ResetTimer()
	RunUntilComplete(l, drive(b.N, func(int) awaitAny {
		return aw(Wait(FirstCompleted, t1))
	}))
}

// AsCompleted over tasks that complete one per turn: the cost per item.
func BenchmarkAsCompleted(b *testing.B) {
	b.ReportAllocs()
	l := NewLoop(WithVirtualClock())
	ts := make([]*Task[Void], b.N)
	for i := range ts {
		ts[i] = sleepTask(l, time.Duration(i))
	}
	it := AsCompleted(ts...)
	b.ResetTimer()
	RunUntilComplete(l, drive(b.N, func(int) awaitAny { return aw(it.Next()) }))
}
