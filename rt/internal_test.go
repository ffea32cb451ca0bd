package rt

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
	"unsafe"
)

// Every task carries a Ctx, so its size is part of the memory budget per
// suspended task (≤ 200 bytes with the machine and the timer heap's slot).
func TestSizes(t *testing.T) {
	if n := unsafe.Sizeof(Ctx{}); n != 64 {
		t.Errorf("Ctx is %d bytes, want 64", n)
	}
	if n := unsafe.Sizeof(Task[Void]{}); n != 64 {
		t.Errorf("Task is %d bytes, want 64", n)
	}
	// A machine's Frame costs a word for its failure, so that a task with
	// a word-sized result and argument (spawn_gather's) fits 96 bytes, and
	// one with no result and two words (a sleeper's) too.
	if n := unsafe.Sizeof(Frame[int]{}); n != 24 {
		t.Errorf("Frame[int] is %d bytes, want 24", n)
	}
	type retMachine struct {
		Frame[int]
		i int
	}
	if n := unsafe.Sizeof(WithTask[int, retMachine]{}); n > 96 {
		t.Errorf("a task returning its int argument is %d bytes, want at most 96", n)
	}
	type sleeperMachine struct {
		Frame[Void]
		d, c int
	}
	if n := unsafe.Sizeof(WithTask[Void, sleeperMachine]{}); n > 96 {
		t.Errorf("a task with no result and two words is %d bytes, want at most 96", n)
	}
	// A sleeping task's share of the timer heap.
	if n := unsafe.Sizeof(timerSlot{}); n != 24 {
		t.Errorf("timerSlot is %d bytes, want 24", n)
	}
	if n := unsafe.Sizeof(timer{}); n != 4 {
		t.Errorf("timer is %d bytes, want 4", n)
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

// A gather waits only for awaitables still running when it is called: one
// of finished tasks (as eager tasks are) allocates nothing for them, and
// its result is ready at once; a running task it is the only waiter of
// gets the gather's own node, and no kid.
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
	if m := g.m.(*gather[int]); m.kids != nil || len(m.tasks) != 2 || m.tasks[0] != nil || m.tasks[1] != c || m.remaining != 1 || c.waiters != &m.node {
		t.Fatalf("gather of a finished and a pending task: kids %v, tasks %v, remaining %d; want the gather's node on the second only", m.kids, m.tasks, m.remaining)
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
	task := Ctx{loop: l}
	task.timer.idx = -1
	l.seq = maxTimerOrder - 4
	add(0, 2*time.Second)
	add(1, time.Second)
	task.setTimer(time.Second)
	add(2, 2*time.Second)
	add(3, time.Second) // order = maxTimerOrder
	add(4, time.Second) // renumbers, then continues from 6
	add(5, 2*time.Second)
	if l.seq != 7 {
		t.Errorf("order after the wrap: %d, want 7", l.seq)
	}
	if s := l.timers.at(int(task.timer.idx)); s.task() != &task || s.seq>>1 != 2 {
		t.Errorf("the task's timer after the wrap: task %p (want %p), order %d (want 2)", s.task(), &task, s.seq>>1)
	}
	for _, s := range l.timers.all() {
		if s.t != &task.timer && s.task() != nil {
			t.Errorf("a callback's timer (order %d) names a task", s.seq>>1)
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
	when := map[*timer]int64{}
	for i := range ts {
		s := timerSlot{when: r.Int64N(50), seq: uint32(i+1) << 1, t: &ts[i]}
		when[s.t] = s.when
		h.push(s)
	}
	removed := map[*timer]bool{}
	for range len(ts) / 3 {
		tm := &ts[r.IntN(len(ts))]
		h.remove(tm)
		removed[tm] = true
	}
	for i := range h.len() {
		if s := h.at(i); int(s.t.idx) != i || s.when != when[s.t] || h.when(s.t) != s.when {
			t.Fatalf("timer at %d has idx %d, when %d (set %d)", i, s.t.idx, s.when, when[s.t])
		}
	}
	var prev timerSlot
	n := 0
	for h.len() > 0 {
		s := *h.min()
		h.remove(s.t)
		if removed[s.t] || s.t.idx != -1 {
			t.Fatalf("popped a removed timer, or one with idx %d", s.t.idx)
		}
		if n > 0 && !less(&prev, &s) {
			t.Fatalf("out of order: (%d, %d) before (%d, %d)", prev.when, prev.seq, s.when, s.seq)
		}
		prev = s
		n++
	}
	if n+len(removed) != len(ts) {
		t.Fatalf("popped %d and removed %d of %d", n, len(removed), len(ts))
	}
	if len(h.blocks) > 1 {
		t.Errorf("the empty heap keeps %d blocks, want at most 1", len(h.blocks))
	}
}

// The list of live tasks across several blocks, with tasks finishing in any
// order: it holds exactly the linked tasks, each at its recorded position,
// and gives back its blocks as it empties.
func TestLiveSetPositions(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var ll liveSet
	cxs := make([]Ctx, 3*liveBlockLen+17)
	linked := map[*Ctx]bool{}
	check := func(when string) {
		t.Helper()
		if ll.linked != len(linked) {
			t.Fatalf("%s: %d linked, want %d", when, ll.linked, len(linked))
		}
		seen := map[*Ctx]bool{}
		for i := range ll.linked {
			cx := *ll.at(i)
			if !linked[cx] || seen[cx] || int(cx.liveIdx) != i || cx.flags&fLinked == 0 {
				t.Fatalf("%s: slot %d holds a task linked %v, seen %v, at %d", when, i, linked[cx], seen[cx], cx.liveIdx)
			}
			seen[cx] = true
		}
		if max := (ll.linked+liveBlockLen-1)/liveBlockLen + 1; len(ll.blocks) > max {
			t.Fatalf("%s: %d blocks for %d tasks, want at most %d", when, len(ll.blocks), ll.linked, max)
		}
	}
	for i := range cxs {
		ll.n++
		ll.link(&cxs[i])
		ll.link(&cxs[i]) // linking twice is linking once
		linked[&cxs[i]] = true
	}
	check("linked all")
	for _, i := range r.Perm(len(cxs)) {
		ll.finished(&cxs[i])
		delete(linked, &cxs[i])
		if len(linked)%97 == 0 {
			check(fmt.Sprintf("%d left", len(linked)))
		}
	}
	check("finished all")
	if ll.n != 0 || cxs[0].flags&fLinked != 0 {
		t.Fatalf("count %d, first task's flags %b", ll.n, cxs[0].flags)
	}
}

// Sleeping tasks take no slot in the list of live tasks (they are found in
// the timer heap), so a sleeper's memory is its object and its heap slot.
func TestSleepersAreNotListed(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	for range 1000 {
		SpawnOn(l, awaitCoro[Void](Sleep(time.Hour)))
	}
	if _, err := RunUntilComplete(l, Sleep(time.Second)); err != nil {
		t.Fatal(err)
	}
	if l.live.linked != 0 || len(l.liveTasks()) != 1000 || l.timers.len() != 1000 {
		t.Errorf("%d listed, %d live, %d timers; want 0, 1000, 1000", l.live.linked, len(l.liveTasks()), l.timers.len())
	}
	for _, cx := range l.liveTasks() {
		cx.Cancel()
	}
	if _, err := RunUntilComplete(l, Sleep(0)); err != nil {
		t.Fatal(err)
	}
	if n := len(l.liveTasks()); n != 0 {
		t.Errorf("%d tasks left after cancelling them all", n)
	}
	l.Close()
}

// Complete after Fail is a success: it clears the failure it finds (and
// writes nothing when there is none, so as not to pay a write barrier).
func TestFrameCompleteClearsAFailure(t *testing.T) {
	var f Frame[int]
	f.Fail(ErrCancelled)
	f.Complete(7)
	if v, err := f.Result(); v != 7 || err != nil {
		t.Errorf("Fail then Complete(7): %v, %v; want 7, nil", v, err)
	}
}
