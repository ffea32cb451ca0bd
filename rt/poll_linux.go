//go:build linux

package rt

import (
	"math"
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// poller is the loop's epoll instance, with an eventfd that other
// goroutines write to wake the loop (CallSoonThreadsafe), and the table of
// registered descriptors.
//
// Sockets are registered once, edge-triggered (EPOLLET) for reading and
// writing, when they are created, and stay registered until they are
// closed. An edge-triggered registration needs no epoll_ctl call per wait
// (a level-triggered one would have to be switched on and off around every
// wait, or would report a readable socket on every poll until someone reads
// it): a task always tries its read, write, accept or connect first, and
// waits only after the kernel said EAGAIN; every later arrival of data or of
// buffer space is a new edge, which wakes it. The loop is single-threaded,
// so nothing can consume readiness between the EAGAIN and the wait.
type poller struct {
	waiting int  // tasks suspended on a descriptor
	ready   bool // epfd and efd are open (written under ext.mu)
	epfd    int
	efd     int
	gen     uint32      // of the last registration; 0 marks the eventfd
	fds     []*pollDesc // by descriptor number
	open    int         // registered descriptors
	events  []unix.EpollEvent
	noWait2 bool // epoll_pwait2 is not available: milliseconds

	// The epoll instance and the eventfd as files. epfd is registered with
	// the Go runtime's own poller (an epoll instance is pollable), so that
	// the loop waits by parking its goroutine until epfd is readable or the
	// deadline passes (park). Blocking in epoll_wait in a system call
	// instead would hold the goroutine's P: the Go scheduler takes it away
	// after 20 µs, and the loop would pay a hand-off (futex wake-ups, a P to
	// reacquire) on every wake-up. Closing the loop closes the files; for a
	// loop never closed, os.File's finalizer does.
	file, efile *os.File
	raw         syscall.RawConn // of file; nil if it is not pollable: wait in epoll_pwait2
	deadline    bool            // a read deadline is set on file
	check       func(uintptr) bool
	parked      int // events park's check collected
}

// pollBatch is the number of events one epoll_wait returns at most; more
// are collected by the next turn's poll.
const pollBatch = 256

// openPoller creates the epoll instance and the eventfd.
func (l *Loop) openPoller() error {
	p := &l.poll
	if p.ready {
		return nil
	}
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return os.NewSyscallError("epoll_create1", err)
	}
	efd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return os.NewSyscallError("eventfd", err)
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(efd)} // Pad (gen) 0: the eventfd
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, efd, &ev); err != nil {
		unix.Close(epfd)
		unix.Close(efd)
		return os.NewSyscallError("epoll_ctl", err)
	}
	if p.events == nil {
		p.events = make([]unix.EpollEvent, pollBatch)
	}
	unix.SetNonblock(epfd, true)
	p.file = os.NewFile(uintptr(epfd), "rt-epoll")
	p.efile = os.NewFile(uintptr(efd), "rt-eventfd")
	p.raw, p.deadline = nil, false
	if p.file.SetReadDeadline(time.Time{}) == nil { // pollable by the runtime
		p.raw, _ = p.file.SyscallConn()
		p.check = l.parkCheck // made once: a wait does not allocate
	}
	l.ext.mu.Lock()
	p.epfd, p.efd, p.ready = epfd, efd, true
	l.ext.mu.Unlock()
	return nil
}

// closePoller closes the descriptors still registered (their streams and
// listeners are closed) and the poller's own; Close calls it.
func (l *Loop) closePoller() {
	p := &l.poll
	for _, pd := range p.fds {
		if pd != nil {
			unix.Close(int(pd.fd))
			pd.fd = -1
		}
	}
	p.fds, p.open, p.waiting = nil, 0, 0
	if !p.ready {
		return
	}
	l.ext.mu.Lock()
	p.ready = false
	p.file.Close()
	p.efile.Close()
	p.file, p.efile, p.raw = nil, nil, nil
	p.epfd, p.efd = -1, -1
	l.ext.mu.Unlock()
}

// wakeIdle wakes the loop if it waits in idle; called with l.ext.mu held by
// other goroutines (CallSoonThreadsafe).
func (l *Loop) wakeIdle() {
	if !l.ext.sleeping.Load() {
		return
	}
	if !l.poll.ready {
		l.wakeFallback()
		return
	}
	one := uint64(1)
	unix.Write(l.poll.efd, (*[8]byte)(unsafe.Pointer(&one))[:])
}

// register adds fd to the poller, edge-triggered in both directions.
func (l *Loop) register(pd *pollDesc, fd int) error {
	p := &l.poll
	if !p.ready {
		if err := l.openPoller(); err != nil {
			return err
		}
	}
	p.gen++
	if p.gen == 0 {
		p.gen = 1
	}
	pd.fd, pd.gen = int32(fd), p.gen
	pd.w.write = true
	ev := unix.EpollEvent{
		Events: unix.EPOLLIN | unix.EPOLLOUT | unix.EPOLLRDHUP | unix.EPOLLET,
		Fd:     int32(fd),
		Pad:    int32(pd.gen),
	}
	if err := unix.EpollCtl(p.epfd, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
		pd.fd = -1
		return os.NewSyscallError("epoll_ctl", err)
	}
	if fd >= len(p.fds) {
		fds := make([]*pollDesc, max(fd+1, 2*len(p.fds), 64))
		copy(fds, p.fds)
		p.fds = fds
	}
	p.fds[fd] = pd
	p.open++
	return nil
}

// closeFd closes a registered descriptor: the tasks waiting on it wake up
// (and find it closed). Closing removes it from the epoll set; a stale
// event for its number is told apart by the generation.
func (l *Loop) closeFd(pd *pollDesc) error {
	fd := int(pd.fd)
	if fd < 0 {
		return nil
	}
	pd.fd = -1
	p := &l.poll
	if fd < len(p.fds) && p.fds[fd] == pd {
		p.fds[fd] = nil
		p.open--
	}
	pd.r.wake()
	pd.w.wake()
	return unix.Close(fd)
}

// read reads from the descriptor, or says EAGAIN without a system call
// when the last read drained it and no event has come since.
//
// A read that returns less than it asked for has emptied the socket: TCP
// and Unix stream sockets copy until the request is satisfied or their
// queue is empty. Any later arrival is a new edge for the poller, which
// clears drained. So the EAGAIN read that would end every exchange (one
// system call per request in an echo server) is not made, as libuv does
// with its partial reads. The exception is the end of the stream: a short
// read may also have consumed the peer's FIN, whose edge the poller may
// have reported already; once it has (hup), every read is tried, and
// returns 0.
func (pd *pollDesc) read(p []byte) (int, syscall.Errno) {
	if pd.drained && !pd.hup {
		return 0, syscall.EAGAIN
	}
	n, errno := sysRead(int(pd.fd), p)
	if errno == syscall.EAGAIN || errno == 0 && n > 0 && n < len(p) {
		pd.drained = true
	}
	return n, errno
}

// pollWait waits until a registered descriptor is ready, another goroutine
// wakes the loop, or timeout nanoseconds have passed (negative: no limit;
// 0: only look), and schedules the tasks whose descriptors are ready.
func (l *Loop) pollWait(timeout int64) {
	p := &l.poll
	if !p.ready {
		if timeout == 0 {
			return // nothing registered
		}
		if l.openPoller() != nil {
			l.waitFallback(timeout)
			return
		}
	}
	var n int
	var errno syscall.Errno
	switch {
	case timeout == 0:
		n, errno = p.epollNow()
	case p.raw != nil:
		n = l.park(timeout)
	default:
		l.ext.sleeping.Store(true)
		if l.ext.has.Load() {
			timeout = 0
		}
		n, errno = p.epollWait(timeout)
		l.ext.sleeping.Store(false)
	}
	if errno != 0 {
		n = 0 // EINTR
	}
	for i := range n {
		ev := &p.events[i]
		gen := uint32(ev.Pad)
		if gen == 0 {
			var buf [8]byte
			unix.Read(p.efd, buf[:]) // reset the eventfd; the caller drains ext
			continue
		}
		fd := int(ev.Fd)
		if fd >= len(p.fds) {
			continue
		}
		pd := p.fds[fd]
		if pd == nil || pd.gen != gen {
			continue // closed since
		}
		if e := ev.Events; e&(unix.EPOLLIN|unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0 {
			pd.drained = false
			if e&(unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0 {
				pd.hup = true
			}
			pd.r.wake()
		}
		if e := ev.Events; e&(unix.EPOLLOUT|unix.EPOLLHUP|unix.EPOLLERR) != 0 {
			pd.w.wake()
		}
	}
}

// epollNow collects the events ready, without waiting. It does not block,
// so it needs no scheduler hand-off: a raw system call.
func (p *poller) epollNow() (int, syscall.Errno) {
	r, _, e := syscall.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(p.epfd),
		uintptr(unsafe.Pointer(&p.events[0])), uintptr(len(p.events)), 0, 0, 0)
	return int(r), e
}

// park waits, its goroutine parked by the Go scheduler, until the epoll
// instance has events (or another goroutine wakes the loop) or timeout
// nanoseconds (negative: no limit) have passed, and returns the number of
// events collected.
func (l *Loop) park(timeout int64) int {
	p := &l.poll
	switch {
	case timeout > 0:
		p.file.SetReadDeadline(time.Now().Add(time.Duration(timeout)))
		p.deadline = true
	case p.deadline:
		p.file.SetReadDeadline(time.Time{})
		p.deadline = false
	}
	p.parked = 0
	l.ext.sleeping.Store(true)
	p.raw.Read(p.check) // fails with os.ErrDeadlineExceeded at the deadline
	l.ext.sleeping.Store(false)
	return p.parked
}

// parkCheck is park's test before and after each wait: events, or work
// handed in, end the wait.
func (l *Loop) parkCheck(uintptr) bool {
	p := &l.poll
	if r, e := p.epollNow(); e == 0 && r > 0 {
		p.parked = r
		return true
	}
	return l.ext.has.Load()
}

// epollWait blocks in epoll_pwait2 (nanosecond timeout) or, on kernels
// before 5.11, epoll_pwait with the timeout rounded up to milliseconds.
func (p *poller) epollWait(timeout int64) (int, syscall.Errno) {
	ev := uintptr(unsafe.Pointer(&p.events[0]))
	if !p.noWait2 {
		var ts *unix.Timespec
		if timeout >= 0 {
			t := unix.NsecToTimespec(timeout)
			ts = &t
		}
		r, _, e := syscall.Syscall6(unix.SYS_EPOLL_PWAIT2, uintptr(p.epfd), ev,
			uintptr(len(p.events)), uintptr(unsafe.Pointer(ts)), 0, 0)
		if e != syscall.ENOSYS {
			return int(r), e
		}
		p.noWait2 = true
	}
	ms := -1
	if timeout >= 0 {
		ms = int(min((timeout+999_999)/1_000_000, math.MaxInt32))
	}
	r, _, e := syscall.Syscall6(unix.SYS_EPOLL_PWAIT, uintptr(p.epfd), ev,
		uintptr(len(p.events)), uintptr(ms), 0, 0)
	return int(r), e
}
