//go:build unix

package rt

import (
	"syscall"
	"testing"
	"time"
)

func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Skip(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// While the only task waits for a thread, the loop sleeps: the process
// uses a small part of the wall time in CPU (a spinning loop would use all
// of it).
func TestToThreadLoopSleeps(t *testing.T) {
	for _, virtual := range []bool{false, true} {
		var opts []Option
		if virtual {
			opts = append(opts, WithVirtualClock())
		}
		l := NewLoop(opts...)
		l.CallLater(time.Hour, func() {}) // a timer far away: the virtual clock must not jump to it
		const wall = 200 * time.Millisecond
		before := cpuTime(t)
		if _, err := RunUntilComplete(l, ToThread(func() int { time.Sleep(wall); return 0 })); err != nil {
			t.Fatal(err)
		}
		used := cpuTime(t) - before
		if used > wall/2 {
			t.Errorf("virtual %v: %v of CPU time while a thread slept %v", virtual, used, wall)
		}
		if virtual && l.Now() != 0 {
			t.Errorf("the virtual clock moved to %v while the thread ran", l.Now())
		}
		l.Close()
	}
}
