//go:build linux

package rt

import (
	"math"
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
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
	noWait2 bool     // epoll_pwait2 is not available: milliseconds
	handle  *pollFds // closes epfd and efd if the loop is dropped unclosed
	cleanup runtime.Cleanup
}

// pollFds are the poller's own descriptors, closed by Close or, for a loop
// that was never closed, when the loop is garbage collected.
type pollFds struct {
	epfd, efd int
	closed    atomic.Bool
}

func (h *pollFds) close() {
	if h.closed.CompareAndSwap(false, true) {
		unix.Close(h.epfd)
		unix.Close(h.efd)
	}
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
	p.handle = &pollFds{epfd: epfd, efd: efd}
	p.cleanup = runtime.AddCleanup(l, (*pollFds).close, p.handle)
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
	p.cleanup.Stop()
	p.handle.close()
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
	if timeout == 0 {
		// Does not block: no need to tell the scheduler.
		r, _, e := syscall.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(p.epfd),
			uintptr(unsafe.Pointer(&p.events[0])), uintptr(len(p.events)), 0, 0, 0)
		n, errno = int(r), e
	} else {
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
			pd.r.wake()
		}
		if e := ev.Events; e&(unix.EPOLLOUT|unix.EPOLLHUP|unix.EPOLLERR) != 0 {
			pd.w.wake()
		}
	}
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
