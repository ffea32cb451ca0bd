package rt

import (
	"math/rand/v2"
	"testing"
	"time"
	"unsafe"
)

// Every task carries a Ctx, so its size is part of the memory budget per
// suspended task (≤ 200 bytes with the machine and the timer heap's slot).
func TestSizes(t *testing.T) {
	if n := unsafe.Sizeof(Ctx{}); n != 80 {
		t.Errorf("Ctx is %d bytes, want 80", n)
	}
	if n := unsafe.Sizeof(Task[Void]{}); n != 80 {
		t.Errorf("Task is %d bytes, want 80", n)
	}
	// A machine's Frame costs a word for its failure, so that a task with
	// a word-sized result and argument (spawn_gather's) fits 112 bytes, and
	// one with no result and two words (a sleeper's) too.
	if n := unsafe.Sizeof(Frame[int]{}); n != 24 {
		t.Errorf("Frame[int] is %d bytes, want 24", n)
	}
	type retMachine struct {
		Frame[int]
		i int
	}
	if n := unsafe.Sizeof(WithTask[int, retMachine]{}); n > 112 {
		t.Errorf("a task returning its int argument is %d bytes, want at most 112", n)
	}
	type sleeperMachine struct {
		Frame[Void]
		d, c int
	}
	if n := unsafe.Sizeof(WithTask[Void, sleeperMachine]{}); n > 112 {
		t.Errorf("a task with no result and two words is %d bytes, want at most 112", n)
	}
	if n := unsafe.Sizeof(timer{}); n != 16 {
		t.Errorf("timer is %d bytes, want 16", n)
	}
	// A gather of running tasks needs one kid per task (spawn_gather's
	// budget counts it).
	if n := unsafe.Sizeof(gatherKid[int]{}); n != 48 {
		t.Errorf("gatherKid is %d bytes, want 48", n)
	}
}

// returnsAt is a machine that completes with v when first polled.
type returnsAt struct {
	Frame[int]
	v int
}

func (m *returnsAt) Poll(*Ctx) bool   { return m.Complete(m.v) }
func (m *returnsAt) CoroName() string { return "returnsAt" }

func returnsCoro(v int) Coro[int] {
	c := new(WithTask[int, returnsAt])
	c.M.v = v
	return NewCoro[int](&c.M, &c.Task)
}

// A gather allocates a kid only for awaitables still running when it is
// called: one of finished tasks (as eager tasks are) needs none, and its
// result is ready at once.
func TestGatherOfFinishedTasksHasNoKids(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	defer l.Close()
	a, b := SpawnOn(l, returnsCoro(1)), SpawnOn(l, returnsCoro(2))
	if _, err := RunUntilComplete[Void](l, Sleep(0)); err != nil {
		t.Fatal(err)
	}
	g := GatherOn[int](l, a, b)
	if m := g.m.(*gather[int]); m.kids != nil || !m.ready() {
		t.Fatalf("gather of finished tasks: kids %v, ready %v; want none and ready", m.kids, m.ready())
	}
	if got, err := RunUntilComplete[[]int](l, g); err != nil || got[0] != 1 || got[1] != 2 {
		t.Fatalf("gather = %v, %v; want [1 2]", got, err)
	}
	c := SpawnOn(l, returnsCoro(3))
	g = GatherOn[int](l, a, c)
	if m := g.m.(*gather[int]); len(m.kids) != 2 || m.kids[0].g != nil || m.kids[1].g == nil || m.remaining != 1 {
		t.Fatalf("gather of a finished and a pending task: kids %+v, remaining %d; want a kid for the second only", m.kids, m.remaining)
	}
	if got, err := RunUntilComplete[[]int](l, g); err != nil || got[0] != 1 || got[1] != 3 {
		t.Fatalf("gather = %v, %v; want [1 3]", got, err)
	}
}

// When the 31-bit timer order is about to wrap, the pending timers are
// renumbered without changing their order, and a task's timer still knows
// its task.
func TestTimerSequenceWrap(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	var got []int
	add := func(i int, d time.Duration) { l.CallLater(d, func() { got = append(got, i) }) }
	var task Ctx
	task.timer.idx, task.timer.seq = -1, taskTimer
	l.seq = maxTimerOrder - 4
	add(0, 2*time.Second)
	add(1, time.Second)
	l.addTimer(&task.timer, time.Second)
	add(2, 2*time.Second)
	add(3, time.Second) // order = maxTimerOrder
	add(4, time.Second) // renumbers, then continues from 6
	add(5, 2*time.Second)
	if l.seq != 7 {
		t.Errorf("order after the wrap: %d, want 7", l.seq)
	}
	if task.timer.task() != &task || task.timer.seq>>1 != 2 {
		t.Errorf("the task's timer after the wrap: task %p (want %p), order %d (want 2)", task.timer.task(), &task, task.timer.seq>>1)
	}
	for _, tm := range l.timers.all() {
		if tm != &task.timer && tm.task() != nil {
			t.Errorf("a callback's timer (order %d) names a task", tm.seq>>1)
		}
	}
	l.timers.remove(&task.timer)
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

// The ready queue keeps FIFO order across its blocks, whatever the mix of
// pushes and pops, and a queue that empties and refills does not allocate.
func TestReadyQueueOrder(t *testing.T) {
	var q readyQueue
	steps := []struct{ push, pop int }{
		{1, 1}, {readyBlockLen, 3}, {readyBlockLen + 2, readyBlockLen}, {readyBlockLen, 2*readyBlockLen + 1}, {10, 100},
	}
	total := 0
	for _, s := range steps {
		total += s.push
	}
	cxs := make([]Ctx, total)
	next, want := 0, 0
	pop := func(k int) {
		for ; k > 0 && q.len() > 0; k-- {
			if got := q.pop(); got != &cxs[want] {
				t.Fatalf("pop %d: got task %d", want, got.id)
			}
			want++
		}
	}
	for i := range cxs {
		cxs[i].id = uint32(i)
	}
	for _, step := range steps {
		for range step.push {
			q.push(&cxs[next])
			next++
		}
		if q.len() != next-want {
			t.Fatalf("len %d, want %d", q.len(), next-want)
		}
		pop(step.pop)
	}
	if next != len(cxs) || want != next || q.len() != 0 {
		t.Fatalf("pushed %d, popped %d, len %d", next, want, q.len())
	}
	if n := testing.AllocsPerRun(100, func() {
		for i := range readyBlockLen + 1 {
			q.push(&cxs[i])
		}
		for q.len() > 0 {
			q.pop()
		}
	}); n != 0 {
		t.Errorf("refilling a drained queue allocates %v times", n)
	}
}

// The timer heap across several blocks, with removals from the middle:
// timers come out in (when, seq) order and each knows its position.
func TestTimerHeapPositions(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h timerHeap
	ts := make([]timer, 3*timerBlockLen+17)
	for i := range ts {
		ts[i] = timer{when: r.Int64N(50), seq: uint32(i+1) << 1, idx: -1}
		h.push(&ts[i])
	}
	removed := map[*timer]bool{}
	for range len(ts) / 3 {
		tm := &ts[r.IntN(len(ts))]
		h.remove(tm)
		removed[tm] = true
	}
	for i := range h.len() {
		if tm := h.at(i); int(tm.idx) != i {
			t.Fatalf("timer at %d has idx %d", i, tm.idx)
		}
	}
	var prev *timer
	n := 0
	for h.len() > 0 {
		tm := h.min()
		h.remove(tm)
		if removed[tm] || tm.idx != -1 {
			t.Fatalf("popped a removed timer, or one with idx %d", tm.idx)
		}
		if prev != nil && !h.less(prev, tm) {
			t.Fatalf("out of order: (%d, %d) before (%d, %d)", prev.when, prev.seq, tm.when, tm.seq)
		}
		prev = tm
		n++
	}
	if n+len(removed) != len(ts) {
		t.Fatalf("popped %d and removed %d of %d", n, len(removed), len(ts))
	}
}
