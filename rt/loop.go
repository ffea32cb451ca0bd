package rt

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Errors reported by the loop.
var (
	// ErrLoopClosed: the loop was used after Close.
	ErrLoopClosed = errors.New("rt: the loop is closed")
	// ErrLoopRunning: RunUntilComplete was called on a loop that is already
	// running (from inside one of its coroutines, or from another goroutine).
	ErrLoopRunning = errors.New("rt: the loop is already running")
	// ErrDeadlock: every task is waiting and nothing (no ready task, timer,
	// I/O or outside work) can ever wake one.
	ErrDeadlock = errors.New("rt: deadlock: every task is waiting and nothing can wake them")
)

// An Option configures a loop (NewLoop, Run).
type Option func(*Loop)

// WithVirtualClock makes the loop's clock virtual, like trio's
// MockClock(autojump_threshold=0): time stands still while any task is
// ready and jumps to the next timer's deadline when none is, so sleeps take
// no wall time and Now reports exact, repeatable durations.
func WithVirtualClock() Option { return func(l *Loop) { l.virtual = true } }

// WithEagerTasks makes the loop start a task the moment it is spawned while
// the loop runs (asyncio 3.12's eager_task_factory): Spawn, SpawnOn, Gather's
// coroutine arguments and a TaskGroup's Spawn run the coroutine at once, in
// the spawner's turn, until its first suspension. A coroutine that finishes
// without suspending never waits in the ready queue, and a Gather of
// finished tasks waits for nothing, which saves a turn and memory per task.
// The price is the order the default keeps: the new task runs before the
// rest of its spawner's turn instead of after it, as a Node.js async
// function runs up to its first await when called. A task spawned while the
// loop is not running starts on its first turn, as without the option. An
// eager start runs on the spawner's stack, so a chain of tasks that each
// spawn the next before suspending nests that deep (as in asyncio, where it
// meets the recursion limit).
func WithEagerTasks() Option { return func(l *Loop) { l.eager = true } }

// Loop is a single-threaded event loop: a FIFO queue of ready tasks and
// callbacks, and a heap of timers. It runs on the goroutine that calls
// RunUntilComplete (or Run) and starts no goroutines of its own.
type Loop struct {
	ready   readyQueue   // tasks to step, and callMark for each callback
	calls   ring[func()] // callbacks, in the order of their callMark in ready
	timers  timerHeap
	seq     uint32 // order of the last timer set (at most maxTimerOrder)
	virtual bool
	eager   bool // WithEagerTasks
	// errorHandler receives errors nobody retrieved (WithExceptionHandler).
	errorHandler func(error)
	vnow         int64
	start        time.Time
	current      *Ctx
	turn         int     // entries of the ready queue left to run in this turn
	live         liveSet // tasks not yet finished (live.go)
	refs         refList // -tags corosrc: coroutine goroutines not yet ended (ref_machine.go)
	nextID       uint32
	running      bool
	closed       bool
	goid         int64

	// orphans are tasks that panicked with nobody waiting for them; Run
	// re-panics with the first one so that a panic is never lost.
	orphans []*Ctx

	ext     external    // work handed in by other goroutines
	threads *threadPool // ToThread's goroutines (thread.go), made on first use
	// threadCalls counts the ToThread functions submitted whose return the
	// loop has not seen yet, awaited or not (the shutdown waits for them).
	threadCalls int
	poll        poller      // sockets and the idle wait (poll*.go)
	idleTimer   *time.Timer // what idle waits on without a poller (waitFallback)

	// callMark stands in the ready queue for the next callback of calls,
	// so that a slot of the queue is one pointer.
	callMark Ctx
}

// external is the thread-safe inbox of a loop: callbacks from other
// goroutines (CallSoonThreadsafe) and a count of outside work in progress
// (ToThread) that keeps the loop from declaring a deadlock.
type external struct {
	mu      sync.Mutex
	queue   []func()
	has     atomic.Bool
	pending atomic.Int64
	wakeup  chan struct{} // wakes waitFallback
	// sleeping is set while the loop waits in idle: only then does
	// CallSoonThreadsafe have to wake it (poll*.go).
	sleeping atomic.Bool
}

// NewLoop returns a new event loop (asyncio's new_event_loop).
func NewLoop(opts ...Option) *Loop {
	l := &Loop{start: time.Now()}
	l.ext.wakeup = make(chan struct{}, 1)
	for _, o := range opts {
		o(l)
	}
	return l
}

// Now returns the loop's clock: the time since the loop was created,
// virtual under WithVirtualClock.
func (l *Loop) Now() time.Duration { return time.Duration(l.nanotime()) }

func (l *Loop) nanotime() int64 {
	if l.virtual {
		return l.vnow
	}
	return int64(time.Since(l.start))
}

// CallSoon schedules fn to run on the loop's next turn, after the tasks and
// callbacks already scheduled (asyncio's call_soon). It must be called on
// the loop's goroutine; other goroutines use CallSoonThreadsafe.
func (l *Loop) CallSoon(fn func()) {
	l.checkOpen()
	l.pushCall(fn)
}

func (l *Loop) pushCall(fn func()) {
	l.calls.push(fn)
	l.ready.push(&l.callMark)
}

// CallLater schedules fn to run once d has elapsed on the loop's clock
// (asyncio's call_later).
func (l *Loop) CallLater(d time.Duration, fn func()) *TimerHandle {
	l.checkOpen()
	h := &TimerHandle{fn: fn, loop: l}
	h.arm(l.deadline(d))
	return h
}

// CallSoonThreadsafe schedules fn to run on the loop from any goroutine
// (asyncio's call_soon_threadsafe), waking the loop if it is idle.
func (l *Loop) CallSoonThreadsafe(fn func()) {
	l.ext.mu.Lock()
	l.ext.queue = append(l.ext.queue, fn)
	l.ext.has.Store(true)
	l.wakeIdle()
	l.ext.mu.Unlock()
}

// CallAt schedules fn to run when the loop's clock (Now) reaches when
// (asyncio's call_at); a time already past runs it on the next turn.
func (l *Loop) CallAt(when time.Duration, fn func()) *TimerHandle {
	l.checkOpen()
	h := &TimerHandle{fn: fn, loop: l}
	h.arm(int64(when))
	return h
}

// deadline returns the loop time d from now (now for d < 0, the end of
// time rather than an overflow).
func (l *Loop) deadline(d time.Duration) int64 {
	now := l.nanotime()
	switch {
	case d < 0:
		d = 0
	case int64(d) > math.MaxInt64-now:
		d = time.Duration(math.MaxInt64 - now) // forever, without overflow
	}
	return now + int64(d)
}

// pushTimer sets t to fire at loop time when (on the next turn if that has
// passed); kind is taskTimer for the timer in a Ctx, 0 for a callback's.
func (l *Loop) pushTimer(t *timer, when int64, kind uint32) {
	if l.seq == maxTimerOrder {
		l.timers.renumber()
		l.seq = uint32(l.timers.len())
	}
	l.seq++
	l.timers.push(timerSlot{when: when, seq: l.seq<<1 | kind, t: t})
}

// setTimer sets the task's own timer to fire d from now: its Sleep, or the
// time limit of a Wait.
func (cx *Ctx) setTimer(d time.Duration) {
	cx.loop.pushTimer(&cx.timer, cx.loop.deadline(d), taskTimer)
}

func (l *Loop) checkOpen() {
	if l.closed {
		panic(ErrLoopClosed)
	}
}

// drainExternal moves callbacks handed in by other goroutines to the ready queue.
func (l *Loop) drainExternal() {
	if !l.ext.has.Load() {
		return
	}
	l.ext.mu.Lock()
	q := l.ext.queue
	l.ext.queue = nil
	l.ext.has.Store(false)
	l.ext.mu.Unlock()
	for _, fn := range q {
		l.pushCall(fn)
	}
}

// run runs turns of the loop until main is done (all tasks, when main is
// nil). A turn waits until something is ready or a timer is due, moves due
// timers to the ready queue, then runs the tasks and callbacks that were
// ready when it began; what they schedule runs on the next turn.
//
// A panic that a task's machine lets escape is recovered here (catch), not
// around each step: the task fails with it and run returns with the turn
// unfinished (l.turn), for the caller to call run again. A deferred
// recover per step would cost a quarter of a Sleep(0) round trip.
func (l *Loop) run(main *Ctx) error {
	defer l.catch()
	// A turn a panic interrupted is finished first, even if main is done:
	// the rest of the turn runs whether main returned or panicked in it
	// (asyncio stops its loop only after the current batch of callbacks).
	for l.turn > 0 || !l.finished(main) {
		switch {
		case l.turn > 0: // resuming a turn after a panic
		case l.ready.len() > 0 && l.timers.len() == 0 && !l.ext.has.Load() && l.poll.waiting == 0:
			l.turn = l.ready.len() // a busy turn with nothing else to do: inline
		default:
			if err := l.startTurn(); err != nil {
				return err
			}
		}
		for l.turn > 0 {
			l.turn--
			cx := l.ready.pop()
			if cx == &l.callMark {
				l.calls.pop()()
				continue
			}
			l.step(cx)
		}
	}
	return nil
}

func (l *Loop) finished(main *Ctx) bool {
	if main == nil {
		// The shutdown: every task has unwound, and the functions handed to
		// ToThread have returned (asyncio.run waits for its executor too),
		// so that a panic in one whose await was cancelled is raised.
		return l.live.n == 0 && l.threadCalls == 0
	}
	return main.flags&fDone != 0
}

// startTurn begins a turn: it waits for work, fires the due timers and
// counts the entries the turn runs.
func (l *Loop) startTurn() error {
	if l.ext.has.Load() {
		l.drainExternal()
	}
	if l.ready.len() == 0 {
		if err := l.idle(); err != nil {
			return err
		}
	} else if l.poll.waiting > 0 {
		l.pollWait(0) // tasks are ready, and tasks wait on sockets: look
	}
	if l.timers.len() > 0 {
		now := l.nanotime()
		for l.timers.len() > 0 && l.timers.min().when <= now {
			s := *l.timers.min()
			l.timers.remove(s.t)
			if cx := s.task(); cx != nil {
				cx.schedule()
			} else {
				l.pushCall(s.t.handle().fn)
			}
		}
	}
	l.turn = l.ready.len()
	return nil
}

// catch, deferred by run, fails the running task with the panic its
// machine let escape. A panic outside any task (a callback's) goes on up.
func (l *Loop) catch() {
	cx := l.current
	if cx == nil {
		return
	}
	if r := recover(); r != nil { // nil: runtime.Goexit
		l.failPanicked(cx, r)
	}
}

// failPanicked fails the task whose machine let the panic r escape.
func (l *Loop) failPanicked(cx *Ctx, r any) {
	l.current = nil
	cx.more().panic = newPanicked(r)
	cx.abandonWait()
	l.finish(cx)
}

// startEager runs a task just spawned until its first suspension, inside
// the turn of the spawner (a task, or nil in a callback), as WithEagerTasks
// asks. A panic fails the new task, as in a turn of its own, and the spawner
// goes on.
func (l *Loop) startEager(cx *Ctx) {
	s := l.current
	if s != nil {
		l.live.link(s) // while the new task runs, the spawner is found on the list
	}
	defer l.endEager(cx, s)
	l.firstStep(cx, cx.flags, s) // a task just spawned: not scheduled, not started
}

// endEager, deferred by startEager, gives the turn back to the spawner if
// the new task's poll did not return (firstStep does when it does).
func (l *Loop) endEager(cx, spawner *Ctx) {
	if l.current != cx {
		return
	}
	if r := recover(); r != nil { // nil: runtime.Goexit, which goes on
		l.failPanicked(cx, r)
	}
	l.current = spawner
}

// idle waits for work while nothing is ready: in the poller (epoll) until
// the next timer, a socket a task waits on is ready, or another goroutine
// hands work in.
//
// Under the virtual clock, time jumps to the next timer when nothing else
// can make progress: at once if no task waits on a socket and no outside
// work (ToThread) is pending. While outside work is pending the clock stands
// still and the loop waits for it. While tasks wait on sockets, the loop
// first polls them without waiting, then waits up to virtualIOSettle of
// real time for I/O in flight; only if none arrived does the clock jump
// (with no timer set, it waits for the sockets for as long as it takes).
func (l *Loop) idle() error {
	for {
		io := l.poll.waiting > 0
		if l.timers.len() == 0 && !io && l.ext.pending.Load() == 0 && !l.ext.has.Load() {
			return l.deadlock()
		}
		timeout := int64(-1) // until woken
		var wait int64       // until the next timer
		if l.timers.len() > 0 {
			wait = l.timers.min().when - l.nanotime()
		}
		switch {
		case l.timers.len() == 0:
		case wait <= 0:
			return nil // due
		case l.virtual && l.ext.pending.Load() == 0:
			if io && (l.pollReady(0) || l.pollReady(int64(virtualIOSettle))) {
				return nil
			}
			l.vnow = l.timers.min().when
			return nil
		case l.virtual:
			// Outside work holds the virtual clock: wait for it (it wakes
			// the loop through CallSoonThreadsafe), or for I/O.
		default:
			timeout = wait
		}
		l.pollWait(timeout)
		l.drainExternal()
		if l.ready.len() > 0 {
			return nil
		}
	}
}

// pollReady polls (waiting up to timeout) and reports whether a task or
// callback became ready.
func (l *Loop) pollReady(timeout int64) bool {
	l.pollWait(timeout)
	l.drainExternal()
	return l.ready.len() > 0
}

func (l *Loop) deadlock() error {
	var b strings.Builder
	b.WriteString(ErrDeadlock.Error())
	for _, cx := range l.liveTasks() {
		fmt.Fprintf(&b, "\n\t%v", cx)
	}
	return &deadlockError{msg: b.String()}
}

type deadlockError struct{ msg string }

func (e *deadlockError) Error() string        { return e.msg }
func (e *deadlockError) Is(target error) bool { return target == ErrDeadlock }

// step polls a task once.
func (l *Loop) step(cx *Ctx) {
	f := cx.flags &^ fScheduled
	cx.flags = f
	if f&(fStarted|fDone) != fStarted {
		l.firstStep(cx, f, nil)
		return
	}
	l.current = cx
	done := cx.root.Poll(cx) // a panic is caught by run
	l.current = nil
	if done {
		l.finish(cx)
	}
}

// firstStep is step for a task not started yet (or already done): it runs
// it, unless it was cancelled first, so that step's path for a resumed task
// has no check of its own. After the poll the running task is after: nil
// in a turn, the spawner when an eager task starts (startEager), which
// saves a write of l.current, a write barrier while the GC marks. The poll
// is written out in both rather than shared: a helper is not inlined into
// step and cost ≈ 1 ns per await (yield), and a step that asks a helper
// whether to poll a new task and then polls it took spawn_gather at 1e4
// from 94 to 105 ns per task (six interleaved rounds).
func (l *Loop) firstStep(cx *Ctx, f ctxFlags, after *Ctx) {
	if f&fDone != 0 {
		return
	}
	cx.flags |= fStarted
	if f&fCancelPending != 0 {
		// asyncio: a task cancelled before it ran never runs its body.
		cx.flags = cx.flags&^fCancelPending | fFailCancelled
		l.finish(cx)
		return
	}
	l.current = cx
	done := cx.root.Poll(cx) // a panic is caught by run
	l.current = after
	if done {
		l.finish(cx)
	}
}

// finish records a task's end and wakes whoever waits for it.
func (l *Loop) finish(cx *Ctx) {
	cx.clearLeaf()
	f := (cx.flags | fDone) &^ fWaiting
	cx.flags = f
	err := cx.err()
	if err == nil && f&fCancelPending != 0 {
		// asyncio: a task cancelled right before it returned counts as cancelled.
		f |= fFailCancelled
		err = ErrCancelled
	}
	f &^= fCancelPending
	if err != nil && isCancelled(err) {
		f |= fCancelled
	}
	cx.flags = f
	l.live.finished(cx)
	if err != nil && IsPanic(err) && f&fRetrieved == 0 {
		// Nobody awaits it or asked its result (a done callback may yet):
		// Run re-panics with it unless that has happened by the end.
		l.orphans = append(l.orphans, cx)
	} else if err != nil && f&(fRetrieved|fCancelled) == 0 {
		l.watchError(cx, err)
	}
	if w := cx.waiters; w != nil {
		cx.waiters = nil
		wakeAll(w, cx)
	}
}

// err is the task's failure once it is done, or nil.
func (cx *Ctx) err() error {
	switch {
	case cx.extra != nil && cx.extra.panic != nil:
		return cx.extra.panic
	case cx.flags&fFailCancelled != 0:
		return ErrCancelled
	}
	return cx.root.Err()
}

// Close closes the loop (asyncio's loop.close). If tasks are still pending
// it returns an error naming them, and closes the loop all the same: the
// pending tasks never run again.
func (l *Loop) Close() error {
	if l.running {
		return fmt.Errorf("rt: Close called while the loop is running: %w", ErrLoopRunning)
	}
	if l.closed {
		return nil
	}
	l.closed = true
	pending := l.liveTasks()
	l.ready, l.calls, l.turn = readyQueue{}, ring[func()]{}, 0
	for _, s := range l.timers.all() {
		s.t.idx = -1 // so that a TimerHandle's Cancel sees it is gone
	}
	l.timers = timerHeap{}
	l.closeRefs()
	l.closePoller()
	if len(pending) == 0 {
		return nil
	}
	names := make([]string, len(pending))
	for i, cx := range pending {
		names[i] = cx.String()
	}
	return fmt.Errorf("rt: loop closed with %d pending task(s): %s", len(pending), strings.Join(names, ", "))
}

// IsClosed reports whether Close has been called.
func (l *Loop) IsClosed() bool { return l.closed }

// IsRunning reports whether the loop is running.
func (l *Loop) IsRunning() bool { return l.running }
