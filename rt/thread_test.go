package rt

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// While a thread runs and nothing else can happen, the loop sleeps in its
// idle wait: it uses little CPU time (measured, see thread_unix_test.go)
// and reports no deadlock.
func TestToThreadNoDeadlock(t *testing.T) {
	l := NewLoop()
	v, err := RunUntilComplete(l, ToThread(func() int { time.Sleep(20 * time.Millisecond); return 7 }))
	if v != 7 || err != nil {
		t.Fatalf("got %v %v", v, err)
	}
	if l.ext.pending.Load() != 0 {
		t.Fatalf("pending outside work left: %d", l.ext.pending.Load())
	}
	l.Close()
}

// Hold and release from other goroutines, many at once.
func TestHoldFromGoroutines(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	f := NewFuture[int]()
	var n atomic.Int32
	const k = 20
	for range k {
		release := l.Hold()
		go func() {
			defer release()
			if n.Add(1) == k {
				l.CallSoonThreadsafe(func() { f.SetResult(k) })
			}
			release()
		}()
	}
	v, err := RunUntilComplete(l, f)
	if v != k || err != nil {
		t.Fatalf("got %v %v", v, err)
	}
	// Every hold is released: the loop now reports a deadlock again.
	g := NewFuture[int]()
	for l.ext.pending.Load() != 0 {
		RunUntilComplete(l, Sleep(0))
	}
	if _, err := RunUntilComplete(l, g); err == nil {
		t.Fatal("no deadlock once every hold is released")
	}
	l.Close()
}

// The pool runs no more goroutines than its limit and none once idle.
func TestThreadPoolBound(t *testing.T) {
	l := NewLoop(WithThreadLimit(3))
	var running, most atomic.Int32
	job := func() int {
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(2 * time.Millisecond)
		running.Add(-1)
		return 0
	}
	var aws []Awaitable[int]
	for range 12 {
		aws = append(aws, ToThread(job))
	}
	if _, err := RunUntilComplete(l, GatherOn(l, aws...)); err != nil {
		t.Fatal(err)
	}
	// A goroutine hands its last result to the loop before it finds the
	// queue empty and ends: give it a moment to.
	p := l.threads
	idle := func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.running == 0 && len(p.queue) == 0
	}
	for deadline := time.Now().Add(5 * time.Second); !idle() && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if most.Load() > 3 || !idle() {
		t.Fatalf("at most %d at once (limit 3); idle afterwards: %v", most.Load(), idle())
	}
	l.Close()
}

// A round trip through the pool: submit, run on a goroutine, hand the
// result back, resume the task.
func BenchmarkToThread(b *testing.B) {
	b.ReportAllocs()
	l := NewLoop()
	fn := func() int { return 1 }
	b.ResetTimer()
	RunUntilComplete(l, drive(b.N, func(int) awaitAny { return aw(ToThread(fn)) }))
}

// A function whose await was given up (here by a timeout) and that panics
// afterwards: Run waits for it at its end, as asyncio.run waits for its
// executor, and re-raises the panic instead of returning as if nothing
// happened.
func TestRunWaitsForADroppedThreadAndRaisesItsPanic(t *testing.T) {
	var ran atomic.Bool
	defer func() {
		r := recover()
		pe, ok := r.(*PanicError)
		if !ok || pe.Value != "late" || !ran.Load() {
			t.Fatalf("Run's panic: %#v (the function ran: %v), want a *PanicError of \"late\"", r, ran.Load())
		}
	}()
	slow := ToThread(func() int {
		time.Sleep(50 * time.Millisecond)
		ran.Store(true)
		panic("late")
	})
	_, err := Run(WaitFor(slow, 5*time.Millisecond))
	t.Fatalf("Run returned (%v) before the dropped function's panic", err)
}

// A call that waits for a goroutine of the pool when its await is given up
// never runs: with one goroutine busy, the second call is cancelled (by
// WaitFor's timeout) before it starts.
func TestDroppedThreadCallThatHasNotStartedNeverRuns(t *testing.T) {
	l := NewLoop(WithThreadLimit(1))
	defer l.Close()
	release := make(chan struct{})
	var second atomic.Bool
	first := SpawnOn(l, ToThread(func() int { <-release; return 1 }))
	_, err := RunUntilComplete(l, WaitFor(ToThread(func() int { second.Store(true); return 2 }), time.Millisecond))
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("the queued call's await: %v, want ErrTimeout", err)
	}
	close(release)
	if v, err := RunUntilComplete(l, first); v != 1 || err != nil {
		t.Fatal(v, err)
	}
	// The pool has run the first call and then found the second dropped.
	for deadline := time.Now().Add(time.Second); l.threadCalls > 0 && time.Now().Before(deadline); {
		RunUntilComplete(l, Sleep(time.Millisecond))
	}
	if second.Load() || l.threadCalls != 0 {
		t.Fatalf("the dropped call ran: %v; calls outstanding: %d", second.Load(), l.threadCalls)
	}
}
