package rt

import (
	"strconv"
	"time"
	"unsafe"
)

// The loop's poller: what the loop waits in when no task is ready, and how
// tasks wait for a file descriptor to become readable or writable.
//
// On Linux the poller is an epoll instance and an eventfd (poll_linux.go),
// created the first time the loop registers a socket or has to wait. A
// loop's sockets are registered once, when they are created, edge-triggered
// for both directions; a task reads or writes first and waits for readiness
// only after the system call said EAGAIN (see pollDesc). Where epoll is
// missing (other systems) or could not be created (the process is out of
// file descriptors), the loop waits on a channel and a timer instead
// (waitFallback) and network I/O is unavailable.

// virtualIOSettle is how long, in real time, a loop under WithVirtualClock
// waits for I/O before it lets the clock jump to the next timer while tasks
// wait on sockets (see Loop.idle). Loopback I/O completes within the system
// call that sends it; this leaves room for the kernel's deferred network
// processing on a loaded machine.
const virtualIOSettle = 2 * time.Millisecond

// ioWait is one direction (read or write) of a pollDesc: the task waiting
// for it, if any. It is the leaf such a task is suspended on.
type ioWait struct {
	cx    *Ctx
	write bool // pollDesc.w, not pollDesc.r
}

// String describes the wait for DumpTasks: "read fd 7", "write fd 7".
func (w *ioWait) String() string {
	pd := (*pollDesc)(unsafe.Pointer(w))
	op := "read"
	if w.write {
		pd = (*pollDesc)(unsafe.Add(unsafe.Pointer(w), -int(unsafe.Offsetof(pollDesc{}.w))))
		op = "write"
	}
	if pd.fd < 0 {
		return op + " (closed)"
	}
	return op + " fd " + strconv.Itoa(int(pd.fd))
}

// wait suspends cx until the direction is ready (or the wait is cancelled,
// or the descriptor closed).
func (w *ioWait) wait(cx *Ctx) {
	w.cx = cx
	cx.loop.poll.waiting++
	cx.suspend(w)
}

// wake schedules the waiting task, if any.
func (w *ioWait) wake() {
	if cx := w.cx; cx != nil {
		w.cx = nil
		cx.loop.poll.waiting--
		cx.schedule()
	}
}

// forget ends cx's wait without scheduling it (cx is running again).
func (w *ioWait) forget(cx *Ctx) {
	if w.cx == cx {
		w.cx = nil
		cx.loop.poll.waiting--
	}
}

// cancelWait ends the wait early: the task resumes to be cancelled; what it
// was about to read or write stays where it was.
func (w *ioWait) cancelWait(cx *Ctx) {
	w.forget(cx)
	cx.schedule()
}

// pollDesc is a file descriptor registered with the loop's poller: the
// tasks waiting to read from it and to write to it. gen tells events for a
// descriptor apart from those for an earlier one with the same number.
type pollDesc struct {
	r, w ioWait // r first: see ioWait.String
	fd   int32
	gen  uint32
	// drained: a read got less than it asked for, so the socket had no
	// more data; the next read waits for the poller to report some instead
	// of trying a read that would fail with EAGAIN (see pollDesc.read).
	// hup: the poller reported the peer's shutdown, a hang-up or an error,
	// after which reads are always tried.
	drained, hup bool
}

// waitFallback is the loop's wait without a poller: until the timeout
// (nanoseconds; negative: until woken) or until another goroutine hands
// work in through CallSoonThreadsafe.
func (l *Loop) waitFallback(timeout int64) {
	l.ext.sleeping.Store(true)
	defer l.ext.sleeping.Store(false)
	if l.ext.has.Load() {
		return
	}
	if timeout < 0 {
		<-l.ext.wakeup
		return
	}
	// One timer, reused: a loop that sleeps often does not allocate.
	if l.idleTimer == nil {
		l.idleTimer = time.NewTimer(time.Duration(timeout))
	} else {
		l.idleTimer.Reset(time.Duration(timeout))
	}
	select {
	case <-l.idleTimer.C:
	case <-l.ext.wakeup:
	}
	l.idleTimer.Stop()
}

// wakeFallback wakes waitFallback; called with l.ext.mu held.
func (l *Loop) wakeFallback() {
	select {
	case l.ext.wakeup <- struct{}{}:
	default:
	}
}
