package rt_test

import (
	"strings"
	"testing"

	"github.com/corogen/corogen/rt"
)

func syncPanics(t *testing.T, what, want string, f func()) {
	t.Helper()
	defer func() {
		r := recover()
		if s, _ := r.(string); !strings.Contains(s, want) {
			t.Errorf("%s: panic %v, want one containing %q", what, r, want)
		}
	}()
	f()
}

func TestSyncMisuse(t *testing.T) {
	syncPanics(t, "NewSemaphore(-1)", "negative", func() { rt.NewSemaphore(-1) })
	syncPanics(t, "NewBoundedSemaphore(-1)", "negative", func() { rt.NewBoundedSemaphore(-1) })
	syncPanics(t, "NewBarrier(0)", "at least 1", func() { rt.NewBarrier(0) })
	syncPanics(t, "NewPriorityQueueFunc(nil)", "nil cmp", func() { rt.NewPriorityQueueFunc[int](0, nil) })
	syncPanics(t, "Lock.Release", "unlocked", func() { new(rt.Lock).Release() })
	syncPanics(t, "BoundedSemaphore.Release", "too many", func() { rt.NewBoundedSemaphore(2).Release() })
	syncPanics(t, "Condition.Notify", "without holding the lock", func() { new(rt.Condition).Notify(1) })
	syncPanics(t, "Queue.TaskDone", "too many", func() { new(rt.Queue[int]).TaskDone() })
}

func TestSyncZeroValues(t *testing.T) {
	var (
		l rt.Lock
		e rt.Event
		c rt.Condition
		s rt.Semaphore
		b rt.BoundedSemaphore
		q rt.Queue[string]
	)
	for _, c := range []struct {
		got  any
		want string
	}{
		{&l, "lock unlocked"},
		{&e, "event unset"},
		{&c, "condition unlocked"},
		{&s, "semaphore locked"},
		{&b, "bounded semaphore locked"},
		{&q, "queue maxsize=0 qsize=0"},
		{rt.NewBarrier(2), "barrier filling, waiters:0/2"},
	} {
		if got := c.got.(interface{ String() string }).String(); got != c.want {
			t.Errorf("%T: %q, want %q", c.got, got, c.want)
		}
	}
	if c.L() == nil || c.Locked() || !s.Locked() || !b.Locked() {
		t.Error("zero values: wrong state")
	}
	if q.PutNowait("a") != nil || q.PutNowait("b") != nil || q.Qsize() != 2 || q.Full() || q.Maxsize() != 0 {
		t.Errorf("zero queue: %v", &q)
	}
	q.Shutdown(false)
	if v, err := q.GetNowait(); v != "a" || err != nil || !q.IsShutDown() {
		t.Errorf("shut-down queue: %q, %v", v, err)
	}
	if err := q.PutNowait("c"); err != rt.ErrQueueShutDown {
		t.Errorf("put on a shut-down queue: %v", err)
	}
	if b := rt.NewBarrier(3); b.Parties() != 3 || b.NWaiting() != 0 || b.Broken() {
		t.Errorf("NewBarrier(3): %v", b)
	}
}

func TestBoundedQueueRing(t *testing.T) {
	// A bounded FIFO queue's ring grows to maxsize at most and wraps.
	q := rt.NewQueue[int](5)
	next, want := 0, 0
	for round := range 20 {
		for q.PutNowait(next) == nil {
			next++
		}
		for range round%5 + 1 {
			v, err := q.GetNowait()
			if err != nil || v != want {
				t.Fatalf("got %d, %v; want %d", v, err, want)
			}
			want++
		}
	}
	if q.Qsize() > 5 {
		t.Errorf("qsize %d", q.Qsize())
	}
}
