package rt

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A WaitFor that completes in time leaves no timer behind.
func TestWaitForDisarms(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	f := NewFuture[int]()
	l.CallLater(time.Second, func() { f.SetResult(1) })
	v, err := RunUntilComplete(l, WaitFor[int](f, time.Hour))
	if v != 1 || err != nil || l.timers.len() != 0 || l.Now() != time.Second {
		t.Fatalf("got %v %v, %d timers at %v", v, err, l.timers.len(), l.Now())
	}
	l.Close()
}

type panicky struct{}

func (panicky) Poll(cx *Ctx) bool             { panic("boom") }
func (panicky) Outcome(cx *Ctx) (Void, error) { return Void{}, nil }

// A panic going through a WaitFor disarms its timer.
func TestWaitForPanicDisarms(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	task := SpawnOn(l, WaitFor[Void](panicky{}, time.Hour))
	func() {
		defer func() { recover() }()
		RunUntilComplete(l, task)
	}()
	if !task.Done() || l.timers.len() != 0 {
		t.Fatalf("done %v, %d timers", task.Done(), l.timers.len())
	}
	l.Close()
}

// ErrTimeout is a deadline, not a cancellation.
func TestErrTimeout(t *testing.T) {
	if !errors.Is(ErrTimeout, context.DeadlineExceeded) || errors.Is(ErrTimeout, ErrCancelled) || errors.Is(ErrTimeout, context.Canceled) {
		t.Fatal(ErrTimeout)
	}
}

// The overhead of a WaitFor whose awaitable is already complete.
func BenchmarkWaitForDone(b *testing.B) {
	b.ReportAllocs()
	l := NewLoop(WithVirtualClock())
	f := NewFuture[int]()
	f.SetResult(1)
	b.ResetTimer()
	RunUntilComplete(l, drive(b.N, func(int) awaitAny { return aw(WaitFor[int](f, time.Second)) }))
}

// into is an awaitAny that stores the value in *v.
type into[T any] struct {
	a Awaitable[T]
	v *T
}

func (w into[T]) Poll(cx *Ctx) bool { return w.a.Poll(cx) }
func (w into[T]) err(cx *Ctx) error {
	v, err := w.a.Outcome(cx)
	*w.v = v
	return err
}

// A timeout scope around an await that completes in time (Sleep(0)).
func BenchmarkTimeoutScope(b *testing.B) {
	b.ReportAllocs()
	l := NewLoop(WithVirtualClock())
	var s *TimeoutScope
	b.ResetTimer()
	RunUntilComplete(l, drive(2*b.N, func(i int) awaitAny {
		if i%2 == 0 {
			return into[*TimeoutScope]{Timeout(time.Second), &s}
		}
		s.End(nil)
		return aw(Sleep(0))
	}))
}
