package rt

import (
	"math"
	"testing"
	"time"
	"unsafe"
)

// Every task carries a Ctx, so its size is part of the memory budget per
// suspended task (≤ 200 bytes with the machine and the timer heap's slot).
func TestSizes(t *testing.T) {
	if n := unsafe.Sizeof(Ctx{}); n != 128 {
		t.Errorf("Ctx is %d bytes, want 128", n)
	}
	if n := unsafe.Sizeof(Task[Void]{}); n != 128 {
		t.Errorf("Task is %d bytes, want 128", n)
	}
	if n := unsafe.Sizeof(timer{}); n != 24 {
		t.Errorf("timer is %d bytes, want 24", n)
	}
}

// When the 32-bit timer sequence is about to wrap, the pending timers are
// renumbered without changing their order.
func TestTimerSequenceWrap(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	var got []int
	add := func(i int, d time.Duration) { l.CallLater(d, func() { got = append(got, i) }) }
	l.seq = math.MaxUint32 - 3
	add(0, 2*time.Second)
	add(1, time.Second)
	add(2, 2*time.Second)
	add(3, time.Second) // seq = MaxUint32
	add(4, time.Second) // renumbers, then continues from 5
	add(5, 2*time.Second)
	if l.seq != 6 {
		t.Errorf("seq after the wrap: %d, want 6", l.seq)
	}
	if _, err := RunUntilComplete(l, Sleep(3*time.Second)); err != nil {
		t.Fatal(err)
	}
	want := []int{1, 3, 4, 0, 2, 5}
	if len(got) != len(want) {
		t.Fatalf("fired %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("fired %v, want %v", got, want)
		}
	}
	l.Close()
}
