package rt_test

import (
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// openFds counts the process's open file descriptors.
func openFds(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count file descriptors: %v", err)
	}
	return len(ents)
}

// settledFds counts the open descriptors once the loops that earlier tests
// dropped without Close have been collected (their pollers close in
// cleanups run after a GC), so that the count does not fall under a test.
func settledFds(t *testing.T) int {
	t.Helper()
	n := openFds(t)
	collectUntil(func() bool {
		m := openFds(t)
		settled := m == n
		n = m
		return settled
	})
	return n
}

// A loop idle in its poller with a timer an hour away wakes as soon as
// another goroutine hands it work.
func TestCallSoonThreadsafeWakesIdleLoop(t *testing.T) {
	l := rt.NewLoop()
	defer l.Close()
	h := l.CallLater(time.Hour, func() {})
	f := rt.NewFuture[int]()
	go func() {
		time.Sleep(20 * time.Millisecond)
		l.CallSoonThreadsafe(func() { f.SetResult(7) })
	}()
	start := time.Now()
	v, err := rt.RunUntilComplete(l, f)
	if err != nil || v != 7 {
		t.Fatalf("got %v, %v; want 7", v, err)
	}
	if wall := time.Since(start); wall > 10*time.Second {
		t.Errorf("the loop woke after %v", wall)
	}
	h.Cancel()
}

// Many goroutines hand work in while the loop sleeps and wakes: every
// callback runs once (run with -race).
func TestCallSoonThreadsafeConcurrent(t *testing.T) {
	const senders, each = 8, 200
	l := rt.NewLoop()
	defer l.Close()
	h := l.CallLater(time.Hour, func() {})
	done := rt.NewFuture[int]()
	n := 0
	var wg sync.WaitGroup
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if i%50 == 0 {
					time.Sleep(time.Millisecond) // let the loop go idle
				}
				l.CallSoonThreadsafe(func() {
					if n++; n == senders*each {
						done.SetResult(n)
					}
				})
			}
		}()
	}
	v, err := rt.RunUntilComplete(l, done)
	wg.Wait()
	if err != nil || v != senders*each {
		t.Fatalf("got %v, %v; want %d", v, err, senders*each)
	}
	h.Cancel()
}

// The poller's descriptors (epoll, eventfd) exist once the loop has waited,
// and Close releases them.
func TestCloseReleasesPoller(t *testing.T) {
	before := settledFds(t)
	l := rt.NewLoop()
	f := rt.NewFuture[int]()
	l.CallLater(time.Millisecond, func() { f.SetResult(1) })
	if _, err := rt.RunUntilComplete(l, f); err != nil {
		t.Fatal(err)
	}
	during := openFds(t)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if after := openFds(t); after != before {
		t.Errorf("open descriptors: %d before the loop, %d while it existed, %d after Close", before, during, after)
	}
}

// A loop dropped without Close does not keep its poller's descriptors.
func TestUnclosedLoopReleasesPoller(t *testing.T) {
	before := settledFds(t)
	for range 20 {
		l := rt.NewLoop()
		f := rt.NewFuture[int]()
		l.CallLater(time.Microsecond, func() { f.SetResult(1) })
		if _, err := rt.RunUntilComplete(l, f); err != nil {
			t.Fatal(err)
		}
	}
	for range 50 {
		runtime.GC()
		if openFds(t) <= before {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Errorf("open descriptors: %d before, %d after dropping 20 loops", before, openFds(t))
}

// Real-clock sleeps wait in the poller for about as long as they should.
func TestIdleWaitPrecision(t *testing.T) {
	l := rt.NewLoop()
	defer l.Close()
	f := rt.NewFuture[time.Duration]()
	start := time.Now()
	l.CallLater(3*time.Millisecond, func() { f.SetResult(time.Since(start)) })
	got, err := rt.RunUntilComplete(l, f)
	if err != nil {
		t.Fatal(err)
	}
	if got < 3*time.Millisecond || got > 2*time.Second {
		t.Errorf("a 3ms timer fired after %v", got)
	}
}
