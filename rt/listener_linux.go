//go:build linux

package rt

import (
	"fmt"
	"net"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// Listener is a listening socket on the loop (asyncio's Server without the
// callback): Accept returns the connections one at a time. Listen makes one.
// One task at a time may be suspended in Accept.
type Listener struct {
	pd       pollDesc
	loop     *Loop
	kind     netKind
	path     string // of a Unix socket file, removed by Close
	addr     net.Addr
	acceptor *Ctx // the task suspended in Accept
	res      *Stream
	err      error
	closeErr error
}

// ListenOp is the awaitable of Listen.
type ListenOp struct{ r *listenReq }

type listenReq struct {
	lookup
	perr error
	res  *Listener
	err  error
}

// Listen listens on addr on the network "tcp", "tcp4", "tcp6" or "unix"
// (as net.Listen): the listener is made when the result is awaited, on the
// awaiting task's loop. A port of 0 picks a free port (see Addr). An empty
// host listens on every local address (for "tcp", IPv4 and IPv6); a host
// name is resolved as Dial does and the first address that works is used.
// The backlog is the system's maximum (net.core.somaxconn).
func Listen(network, addr string) ListenOp {
	r := &listenReq{}
	k, err := parseNetwork(network)
	if err == nil {
		r.kind = k
		r.t, err = parseTarget(k, addr, true)
	}
	if err != nil {
		r.perr = &net.OpError{Op: "listen", Net: network, Err: err}
	}
	return ListenOp{r}
}

// Poll makes the listener, or suspends the task while its host is looked up.
func (op ListenOp) Poll(cx *Ctx) bool {
	r := op.r
	if cx.resumed() {
		r.lookup.cx = nil
		cancelled := cx.flags&fCancelPending != 0
		cx.resume()
		if cancelled {
			return true
		}
	} else if r.perr != nil {
		r.err = r.perr
		return true
	}
	if !r.lookup.poll(cx) {
		return false
	}
	if r.lookup.err != nil {
		r.err = &net.OpError{Op: "listen", Net: r.kind.String(), Err: r.lookup.err}
		return true
	}
	for _, sa := range r.t.addrs {
		fd, err := listenSocket(r.kind, sa)
		if err == nil {
			ln := &Listener{loop: cx.loop, kind: r.kind}
			if err = cx.loop.register(&ln.pd, fd); err == nil {
				ln.addr = localAddr(r.kind, fd)
				if u, ok := sa.(*unix.SockaddrUnix); ok && u.Name != "" && u.Name[0] != '@' {
					ln.path = u.Name
				}
				r.res, r.err = ln, nil
				return true
			}
			unix.Close(fd)
		}
		if r.err == nil {
			r.err = &net.OpError{Op: "listen", Net: r.kind.String(), Addr: sockAddr(r.kind, sa), Err: err}
		}
	}
	return true
}

// Outcome returns the listener, or the failure.
func (op ListenOp) Outcome(cx *Ctx) (*Listener, error) {
	if cx.delivered() {
		return nil, ErrCancelled
	}
	return op.r.res, op.r.err
}

// Addr returns the address the listener is bound to (with the port the
// system chose for port 0).
func (ln *Listener) Addr() net.Addr { return ln.addr }

func (ln *Listener) String() string {
	if ln.pd.fd < 0 {
		return fmt.Sprintf("listener %v %v closed", ln.kind, ln.addr)
	}
	return fmt.Sprintf("listener %v %v", ln.kind, ln.addr)
}

// Close stops listening (connections not yet accepted are reset) and
// removes a Unix socket's file; a task suspended in Accept fails with an
// error that errors.Is(err, net.ErrClosed). Closing a closed listener does
// nothing.
func (ln *Listener) Close() CloseOp { return CloseOp{ln: ln} }

func (ln *Listener) close() error {
	if ln.pd.fd < 0 {
		return nil
	}
	err := ln.loop.closeFd(&ln.pd)
	if ln.path != "" {
		os.Remove(ln.path)
	}
	if err != nil {
		return opError("close", ln.kind, nil, ln.addr, "close", err)
	}
	return nil
}

// AcceptOp is the awaitable of Listener.Accept.
type AcceptOp struct{ ln *Listener }

// Accept waits for a connection and returns it as a stream. When the
// process is out of file descriptors it fails with an error that
// errors.Is(err, syscall.EMFILE) (or ENFILE); the connection waits in the
// backlog and the listener keeps working: accept again once descriptors
// are free (after a short sleep, not in a tight loop).
func (ln *Listener) Accept() AcceptOp { return AcceptOp{ln} }

// Poll accepts, or suspends the task until a connection arrives.
func (op AcceptOp) Poll(cx *Ctx) bool {
	ln := op.ln
	if cx.resumed() {
		ln.pd.r.forget(cx)
		cancelled := cx.flags&fCancelPending != 0
		cx.resume()
		if cancelled {
			ln.acceptor = nil
			return true
		}
	} else {
		if cx.loop != ln.loop {
			panic(fmt.Sprintf("rt: %v uses %v, which belongs to another loop", cx, ln))
		}
		if a := ln.acceptor; a != nil && a != cx && a.flags&fDone == 0 {
			ln.res, ln.err = nil, fmt.Errorf("rt: another task is already accepting on %v: %w", ln, ErrStreamBusy)
			return true
		}
		ln.acceptor = cx
	}
	ln.res, ln.err = nil, nil
	for {
		if ln.pd.fd < 0 {
			ln.err = closedError("accept", ln.kind)
			break
		}
		r, _, errno := syscall.Syscall6(unix.SYS_ACCEPT4, uintptr(ln.pd.fd), 0, 0,
			unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0, 0)
		switch errno {
		case 0:
			ln.res, ln.err = newStream(cx.loop, ln.kind, int(r))
		case syscall.EAGAIN:
			ln.pd.r.wait(cx)
			return false
		case syscall.EINTR, syscall.ECONNABORTED:
			continue // that connection is gone: the next one
		case syscall.EMFILE, syscall.ENFILE:
			ln.err = emfileError(opError("accept", ln.kind, nil, ln.addr, "accept4", errno), ln.addr)
		default:
			ln.err = opError("accept", ln.kind, nil, ln.addr, "accept4", errno)
		}
		break
	}
	ln.acceptor = nil
	return true
}

// Outcome returns the accepted stream, or the failure.
func (op AcceptOp) Outcome(cx *Ctx) (*Stream, error) {
	if cx.delivered() {
		return nil, ErrCancelled
	}
	return op.ln.res, op.ln.err
}
