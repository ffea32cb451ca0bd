//go:build linux

package rt

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// netKind is a network name Dial and Listen accept.
type netKind uint8

const (
	netTCP netKind = iota
	netTCP4
	netTCP6
	netUnix
)

func (k netKind) String() string {
	return [...]string{"tcp", "tcp4", "tcp6", "unix"}[k]
}

func parseNetwork(network string) (netKind, error) {
	switch network {
	case "tcp":
		return netTCP, nil
	case "tcp4":
		return netTCP4, nil
	case "tcp6":
		return netTCP6, nil
	case "unix":
		return netUnix, nil
	}
	return 0, net.UnknownNetworkError(network)
}

// target is where to connect or what to bind: the socket addresses, or a
// host name still to look up (host) with the port.
type target struct {
	addrs []unix.Sockaddr
	host  string
	port  int
}

// parseTarget parses addr for network k. Literal addresses (and an empty
// host: the loopback address to dial, the wildcard address to listen on)
// need no lookup; a host name is left in host.
func parseTarget(k netKind, addr string, listen bool) (target, error) {
	if k == netUnix {
		if addr == "" {
			return target{}, errors.New("missing address")
		}
		return target{addrs: []unix.Sockaddr{&unix.SockaddrUnix{Name: addr}}}, nil
	}
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return target{}, err
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		if port, err = net.LookupPort(k.String(), portStr); err != nil {
			return target{}, err
		}
	}
	if port < 0 || port > 65535 {
		return target{}, &net.AddrError{Err: "invalid port", Addr: addr}
	}
	switch {
	case host == "" && listen:
		if k == netTCP4 {
			return target{addrs: []unix.Sockaddr{&unix.SockaddrInet4{Port: port}}}, nil
		}
		// tcp: dual-stack [::] (IPV6_V6ONLY off), or 0.0.0.0 without IPv6.
		return target{addrs: []unix.Sockaddr{&unix.SockaddrInet6{Port: port}}}, nil
	case host == "":
		if k == netTCP6 {
			return target{addrs: []unix.Sockaddr{&unix.SockaddrInet6{Port: port, Addr: netip.IPv6Loopback().As16()}}}, nil
		}
		return target{addrs: []unix.Sockaddr{&unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}}}, nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return target{host: host, port: port}, nil // a name
	}
	sa, err := ipSockaddr(k, ip, port)
	if err != nil {
		return target{}, err
	}
	return target{addrs: []unix.Sockaddr{sa}}, nil
}

// ipSockaddr is the socket address of ip:port for network k.
func ipSockaddr(k netKind, ip netip.Addr, port int) (unix.Sockaddr, error) {
	if ip.Is4In6() && k != netTCP6 {
		ip = ip.Unmap()
	}
	switch {
	case ip.Is4() && k != netTCP6:
		return &unix.SockaddrInet4{Port: port, Addr: ip.As4()}, nil
	case ip.Is6() && k != netTCP4:
		sa := &unix.SockaddrInet6{Port: port, Addr: ip.As16()}
		if z := ip.Zone(); z != "" {
			if n, err := strconv.Atoi(z); err == nil {
				sa.ZoneId = uint32(n)
			} else if ifi, err := net.InterfaceByName(z); err == nil {
				sa.ZoneId = uint32(ifi.Index)
			}
		}
		return sa, nil
	}
	return nil, &net.AddrError{Err: "no suitable address", Addr: ip.String()}
}

// lookup resolves a host name for Dial or Listen. The standard resolver
// blocks, so it runs on a goroutine of its own, which hands the answer back
// through CallSoonThreadsafe; meanwhile the loop counts it as outside work
// (ext.pending), so it neither reports a deadlock nor jumps a virtual clock.
type lookup struct {
	kind   netKind
	t      target
	err    error
	state  uint8 // lookupIdle, lookupRunning, lookupDone
	cx     *Ctx  // the task waiting for the answer
	cancel context.CancelFunc
}

const (
	lookupIdle uint8 = iota
	lookupRunning
	lookupDone
)

// poll starts the lookup if it is needed and reports whether t (or err) is
// there; false means cx is suspended until it is.
func (lk *lookup) poll(cx *Ctx) bool {
	switch lk.state {
	case lookupDone:
		return true
	case lookupIdle:
		if lk.t.host == "" {
			lk.state = lookupDone
			return true
		}
		lk.start(cx.loop)
	}
	lk.cx = cx
	cx.suspend(lk)
	return false
}

func (lk *lookup) start(l *Loop) {
	lk.state = lookupRunning
	ctx, cancel := context.WithCancel(context.Background())
	lk.cancel = cancel
	network := [...]string{"ip", "ip4", "ip6", "ip"}[lk.kind]
	host := lk.t.host
	l.ext.pending.Add(1)
	go func() {
		ips, err := net.DefaultResolver.LookupNetIP(ctx, network, host)
		l.CallSoonThreadsafe(func() {
			l.ext.pending.Add(-1)
			lk.answer(ips, err)
		})
	}()
}

// answer records the lookup's result, on the loop.
func (lk *lookup) answer(ips []netip.Addr, err error) {
	if lk.state != lookupRunning {
		return // cancelled
	}
	lk.state = lookupDone
	lk.cancel()
	if err == nil {
		for _, ip := range ips {
			if sa, e := ipSockaddr(lk.kind, ip, lk.t.port); e == nil {
				lk.t.addrs = append(lk.t.addrs, sa)
			}
		}
		if len(lk.t.addrs) == 0 {
			err = &net.AddrError{Err: "no suitable address found", Addr: lk.t.host}
		}
	}
	lk.err = err
	if cx := lk.cx; cx != nil {
		lk.cx = nil
		cx.schedule()
	}
}

// String describes the wait for DumpTasks.
func (lk *lookup) String() string { return "lookup of " + lk.t.host }

// cancelWait abandons the lookup: the task resumes to be cancelled.
func (lk *lookup) cancelWait(cx *Ctx) {
	lk.cx = nil
	if lk.state == lookupRunning {
		lk.state = lookupDone
		lk.err = ErrCancelled
		lk.cancel()
	}
	cx.schedule()
}

// Socket system calls. A task never blocks in one: sockets are
// non-blocking, and EAGAIN sends the task to wait on the poller.

func sysRead(fd int, p []byte) (int, syscall.Errno) {
	if len(p) == 0 {
		return 0, 0
	}
	for {
		// A read of a non-blocking socket never blocks: no scheduler hand-off.
		r, _, e := syscall.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
		if e != syscall.EINTR {
			return int(r), e
		}
	}
}

// sysWrite sends with MSG_NOSIGNAL: a write to a reset connection fails
// with EPIPE instead of raising SIGPIPE.
func sysWrite(fd int, p []byte) (int, syscall.Errno) {
	for {
		r, _, e := syscall.Syscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)),
			unix.MSG_NOSIGNAL, 0, 0)
		if e != syscall.EINTR {
			return int(r), e
		}
	}
}

// newSocket opens a non-blocking socket for sa.
func newSocket(k netKind, sa unix.Sockaddr) (int, error) {
	family := unix.AF_INET
	switch sa.(type) {
	case *unix.SockaddrInet6:
		family = unix.AF_INET6
	case *unix.SockaddrUnix:
		family = unix.AF_UNIX
	}
	fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	if family != unix.AF_UNIX {
		// As the net package does: no Nagle delay for request/response traffic.
		unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	}
	return fd, nil
}

// somaxconn is the listen backlog: the system's maximum, as net.Listen uses.
var somaxconn = sync.OnceValue(func() int {
	b, err := os.ReadFile("/proc/sys/net/core/somaxconn")
	if err == nil {
		if n, err := strconv.Atoi(string(trimSpace(b))); err == nil && n > 0 {
			return min(n, 1<<16-1)
		}
	}
	return unix.SOMAXCONN
})

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}

// listenSocket opens, binds and listens on sa.
func listenSocket(k netKind, sa unix.Sockaddr) (int, error) {
	fd, err := newSocket(k, sa)
	if err != nil {
		if s6, ok := sa.(*unix.SockaddrInet6); ok && k == netTCP && s6.Addr == ([16]byte{}) && errors.Is(err, unix.EAFNOSUPPORT) {
			return listenSocket(netTCP4, &unix.SockaddrInet4{Port: s6.Port}) // no IPv6 here
		}
		return -1, err
	}
	if k != netUnix {
		unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
		if _, ok := sa.(*unix.SockaddrInet6); ok {
			v6only := 0
			if k == netTCP6 {
				v6only = 1
			}
			unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, v6only)
		}
	}
	if err := unix.Bind(fd, sa); err != nil {
		unix.Close(fd)
		return -1, os.NewSyscallError("bind", err)
	}
	if err := unix.Listen(fd, somaxconn()); err != nil {
		unix.Close(fd)
		return -1, os.NewSyscallError("listen", err)
	}
	return fd, nil
}

// sockAddr converts a socket address to a net.Addr.
func sockAddr(k netKind, sa unix.Sockaddr) net.Addr {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return &net.TCPAddr{IP: net.IPv4(sa.Addr[0], sa.Addr[1], sa.Addr[2], sa.Addr[3]), Port: sa.Port}
	case *unix.SockaddrInet6:
		a := &net.TCPAddr{IP: append(net.IP(nil), sa.Addr[:]...), Port: sa.Port}
		if sa.ZoneId != 0 {
			if ifi, err := net.InterfaceByIndex(int(sa.ZoneId)); err == nil {
				a.Zone = ifi.Name
			} else {
				a.Zone = strconv.Itoa(int(sa.ZoneId))
			}
		}
		return a
	case *unix.SockaddrUnix:
		return &net.UnixAddr{Name: sa.Name, Net: "unix"}
	}
	if k == netUnix {
		return &net.UnixAddr{Net: "unix"}
	}
	return nil
}

func localAddr(k netKind, fd int) net.Addr {
	if fd < 0 {
		return nil
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return nil
	}
	return sockAddr(k, sa)
}

func remoteAddr(k netKind, fd int) net.Addr {
	if fd < 0 {
		return nil
	}
	sa, err := unix.Getpeername(fd)
	if err != nil {
		return nil
	}
	return sockAddr(k, sa)
}

// opError is the error of a failed operation, as the net package words
// it: "read tcp 127.0.0.1:4242->127.0.0.1:53710: read: connection reset
// by peer". errors.Is(err, syscall.ECONNRESET) and the like hold.
func opError(op string, k netKind, src, dst net.Addr, call string, errno error) error {
	var err error = errno
	if errno, ok := errno.(syscall.Errno); ok {
		err = os.NewSyscallError(call, errno)
	}
	return &net.OpError{Op: op, Net: k.String(), Source: src, Addr: dst, Err: err}
}

// closedError is what an operation on a closed stream or listener fails
// with: errors.Is(err, net.ErrClosed) holds.
func closedError(op string, k netKind) error {
	return &net.OpError{Op: op, Net: k.String(), Err: net.ErrClosed}
}

// emfileError words an accept that ran out of file descriptors.
func emfileError(err error, addr net.Addr) error {
	return fmt.Errorf("rt: accept on %v: the process is out of file descriptors (the listener keeps working once some are closed; see RLIMIT_NOFILE): %w", addr, err)
}
