//go:build linux

package rt

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// Stream is a connected socket on the loop (TCP or Unix): asyncio's
// StreamReader and StreamWriter in one. Dial and Listener.Accept make
// them. Every operation returns an awaitable that does its work when it is
// awaited, so `defer rt.Await(s.Close())` closes at the end.
//
// One task at a time may read (Read, ReadLine, ReadUntil, ReadExactly) and
// one task at a time may write (Write, CloseWrite); a second task that
// tries while the first is suspended gets ErrStreamBusy. Reading and
// writing may go on concurrently in two tasks.
//
// Cancellation (a timeout, Task.Cancel) of a pending operation leaves the
// stream consistent: a cancelled read loses nothing — the bytes a ReadLine,
// ReadUntil or ReadExactly had received stay in the stream's buffer for the
// next read — and a cancelled Write that had not sent any byte of its data
// leaves the stream as it was. A Write cancelled after it had sent part of
// its data aborts the stream (as Abort does): the bytes sent cannot be taken
// back, and a peer must not see the rest of a message go missing silently.
//
// A Stream belongs to the loop it was made on and must be used only from
// that loop's tasks.
type Stream struct {
	pd   pollDesc
	loop *Loop
	kind netKind

	// Read side: unread data is buf[r:w]; scan bytes of it are known not
	// to start a delimiter (ReadUntil); fail is the read side's sticky end
	// (io.EOF, a reset, closed).
	buf     []byte
	r, w    int
	scan    int
	limit   int
	fail    error
	reader  *Ctx // the task in the middle of a read
	readN   int  // outcome of the last read operation
	readB   []byte
	readErr error

	writer   *Ctx // the task in the middle of a write
	wrote    int  // bytes of the current Write already sent
	writeErr error
	closeErr error
	wclosed  bool // CloseWrite
}

// minRead is the smallest read into the stream's buffer, and its first size.
const minRead = 4 << 10

// newStream registers a connected socket with the loop.
func newStream(l *Loop, k netKind, fd int) (*Stream, error) {
	s := &Stream{loop: l, kind: k, limit: DefaultLimit}
	if err := l.register(&s.pd, fd); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return s, nil
}

// LocalAddr returns the stream's local address (nil once closed).
func (s *Stream) LocalAddr() net.Addr { return localAddr(s.kind, int(s.pd.fd)) }

// RemoteAddr returns the peer's address (nil once closed or reset).
func (s *Stream) RemoteAddr() net.Addr { return remoteAddr(s.kind, int(s.pd.fd)) }

// Limit returns the stream's limit (DefaultLimit unless SetLimit changed it).
func (s *Stream) Limit() int { return s.limit }

// SetLimit sets the longest line ReadLine and ReadUntil return, delimiter
// included (asyncio's limit).
func (s *Stream) SetLimit(n int) {
	if n <= 0 {
		panic("rt: Stream.SetLimit of a limit <= 0")
	}
	s.limit = n
}

// Buffered returns the number of bytes received and not yet read.
func (s *Stream) Buffered() int { return s.w - s.r }

// Closed reports whether Close (or Abort) was called, or the loop closed.
func (s *Stream) Closed() bool { return s.pd.fd < 0 }

func (s *Stream) String() string {
	if s.Closed() {
		return fmt.Sprintf("stream %v closed", s.kind)
	}
	return fmt.Sprintf("stream %v %v->%v", s.kind, s.LocalAddr(), s.RemoteAddr())
}

func (s *Stream) opError(op, call string, errno syscall.Errno) error {
	return opError(op, s.kind, s.LocalAddr(), s.RemoteAddr(), call, errno)
}

func (s *Stream) checkLoop(cx *Ctx) {
	if cx.loop != s.loop {
		panic(fmt.Sprintf("rt: %v uses %v, which belongs to another loop", cx, s))
	}
}

// enterRead begins or resumes a read operation for cx. It returns false
// when the operation is over at once: cancelled while it waited (Outcome
// reports it) or busy (readErr says so).
func (s *Stream) enterRead(cx *Ctx) bool {
	if cx.resumed() {
		s.pd.r.forget(cx)
		cancelled := cx.flags&fCancelPending != 0
		cx.resume()
		if cancelled {
			s.reader = nil
			return false
		}
		return true
	}
	s.checkLoop(cx)
	if r := s.reader; r != nil && r != cx && r.flags&fDone == 0 {
		s.readN, s.readB, s.readErr = 0, nil, ErrStreamBusy
		return false
	}
	s.reader = cx
	s.scan = 0 // what was searched for another delimiter
	return true
}

// fill reads from the socket into the buffer, keeping at least want bytes
// of room beyond the unread data. It returns wait=true when the socket had
// nothing (EAGAIN), and the stream's end (io.EOF or an error) when it ended.
func (s *Stream) fill(want int) (wait bool, err error) {
	if s.fail != nil {
		return false, s.fail
	}
	if s.pd.fd < 0 {
		return false, closedError("read", s.kind)
	}
	if cap(s.buf)-s.w < want {
		n := s.w - s.r
		if s.r > 0 && cap(s.buf)-n >= want {
			copy(s.buf[:cap(s.buf)], s.buf[s.r:s.w])
		} else {
			buf := make([]byte, max(n+want, 2*cap(s.buf), minRead))
			copy(buf, s.buf[s.r:s.w])
			s.buf = buf
		}
		s.buf = s.buf[:cap(s.buf)]
		s.r, s.w = 0, n
	}
	s.buf = s.buf[:cap(s.buf)]
	n, errno := s.pd.read(s.buf[s.w:])
	switch {
	case errno == syscall.EAGAIN:
		return true, nil
	case errno != 0:
		s.fail = s.opError("read", "read", errno)
		return false, s.fail
	case n == 0:
		s.fail = io.EOF
		return false, io.EOF
	}
	s.w += n
	return false, nil
}

// consume takes n buffered bytes as a new slice.
func (s *Stream) consume(n int) []byte {
	b := make([]byte, n)
	copy(b, s.buf[s.r:s.r+n])
	s.drop(n)
	return b
}

// drop discards n buffered bytes.
func (s *Stream) drop(n int) {
	s.r += n
	s.scan = 0
	if s.r == s.w {
		s.r, s.w = 0, 0
		if cap(s.buf) > DefaultLimit {
			s.buf = nil // do not keep a large buffer for an idle stream
		}
	}
}

// ReadOp is the awaitable of Stream.Read.
type ReadOp struct {
	s *Stream
	p []byte
}

// Read reads up to len(p) bytes into p (asyncio's read(n)): the bytes
// already buffered, or else what the next read of the socket gets, waiting
// until there is at least one byte. At the end of the stream it fails with
// io.EOF; after a reset, with the error (errors.Is(err,
// syscall.ECONNRESET)).
func (s *Stream) Read(p []byte) ReadOp { return ReadOp{s, p} }

// Poll reads, or suspends the task until the socket is readable.
func (op ReadOp) Poll(cx *Ctx) bool {
	s := op.s
	if !s.enterRead(cx) {
		return true
	}
	var n int
	var err error
	switch {
	case s.r < s.w:
		n = copy(op.p, s.buf[s.r:s.w])
		s.drop(n)
	case len(op.p) == 0:
	case s.fail != nil:
		err = s.fail
	case s.pd.fd < 0:
		err = closedError("read", s.kind)
	default:
		var errno syscall.Errno
		n, errno = s.pd.read(op.p)
		switch {
		case errno == syscall.EAGAIN:
			s.pd.r.wait(cx)
			return false
		case errno != 0:
			n, s.fail = 0, s.opError("read", "read", errno)
			err = s.fail
		case n == 0:
			s.fail, err = io.EOF, io.EOF
		}
	}
	s.reader = nil
	s.readN, s.readErr = n, err
	return true
}

// Outcome returns the number of bytes read, or the failure.
func (op ReadOp) Outcome(cx *Ctx) (int, error) {
	if cx.delivered() {
		return 0, ErrCancelled
	}
	return op.s.readN, op.s.readErr
}

// ReadBytesOp is the awaitable of ReadLine, ReadUntil and ReadExactly.
type ReadBytesOp struct {
	s     *Stream
	delim []byte // ReadLine, ReadUntil
	n     int    // ReadExactly
	line  bool   // ReadLine: the end of the stream ends the last line
}

var newline = []byte{'\n'}

// ReadLine reads a line, "\n" included (asyncio's readline). A last line
// without "\n" is returned as it is; at the end of the stream with nothing
// buffered it fails with io.EOF. A line longer than the limit (SetLimit)
// fails with ErrLimitOverrun and is discarded.
func (s *Stream) ReadLine() ReadBytesOp { return ReadBytesOp{s: s, delim: newline, line: true} }

// ReadUntil reads up to and including delim (asyncio's readuntil). If the
// stream ends first it fails with an *IncompleteReadError holding what came
// (io.EOF if nothing did). If delim is not within the limit (SetLimit) it
// fails with ErrLimitOverrun, leaving the data buffered.
func (s *Stream) ReadUntil(delim []byte) ReadBytesOp {
	if len(delim) == 0 {
		panic("rt: Stream.ReadUntil with an empty delimiter")
	}
	return ReadBytesOp{s: s, delim: delim}
}

// ReadExactly reads exactly n bytes (asyncio's readexactly). If the stream
// ends first it fails with an *IncompleteReadError holding what came
// (io.EOF if nothing did).
func (s *Stream) ReadExactly(n int) ReadBytesOp {
	if n < 0 {
		panic("rt: Stream.ReadExactly of a negative count")
	}
	return ReadBytesOp{s: s, n: n}
}

// Poll reads into the stream's buffer until the line, the delimiter or the
// n bytes are there, suspending the task while the socket has nothing.
func (op ReadBytesOp) Poll(cx *Ctx) bool {
	s := op.s
	if !s.enterRead(cx) {
		return true
	}
	for {
		b, err, done := op.try()
		if done {
			s.reader = nil
			s.readB, s.readErr = b, err
			return true
		}
		wait, err := s.fill(max(minRead, op.n-(s.w-s.r)))
		if wait {
			s.pd.r.wait(cx)
			return false
		}
		if err != nil {
			b, err := op.end(err)
			s.reader = nil
			s.readB, s.readErr = b, err
			return true
		}
	}
}

// try looks for the result in the buffer.
func (op ReadBytesOp) try() ([]byte, error, bool) {
	s := op.s
	if op.delim == nil {
		if s.w-s.r >= op.n {
			return s.consume(op.n), nil, true
		}
		return nil, nil, false
	}
	from := max(0, s.scan-len(op.delim)+1)
	if i := bytes.Index(s.buf[s.r+from:s.w], op.delim); i >= 0 {
		end := from + i + len(op.delim)
		if end > s.limit {
			return nil, op.overrun(end), true
		}
		return s.consume(end), nil, true
	}
	s.scan = s.w - s.r
	if s.scan >= s.limit {
		return nil, op.overrun(-1), true
	}
	return nil, nil, false
}

// overrun reports a delimiter beyond the limit (end: where the line ends,
// or -1 when no delimiter was found); ReadLine discards the line.
func (op ReadBytesOp) overrun(end int) error {
	if op.line {
		if end < 0 {
			end = op.s.w - op.s.r
		}
		op.s.drop(end)
	}
	return ErrLimitOverrun
}

// end is the result when the stream ended with err before the operation
// was complete.
func (op ReadBytesOp) end(err error) ([]byte, error) {
	s := op.s
	n := s.w - s.r
	switch {
	case err != io.EOF:
		return nil, err // what was buffered stays, for Read
	case n == 0:
		return nil, io.EOF
	case op.line:
		return s.consume(n), nil
	}
	return nil, &IncompleteReadError{Partial: s.consume(n), Expected: op.n}
}

// Outcome returns the bytes read (a new slice), or the failure.
func (op ReadBytesOp) Outcome(cx *Ctx) ([]byte, error) {
	if cx.delivered() {
		return nil, ErrCancelled
	}
	b, err := op.s.readB, op.s.readErr
	op.s.readB = nil
	return b, err
}

// WriteOp is the awaitable of Stream.Write.
type WriteOp struct {
	s *Stream
	p []byte
}

// Write writes all of p, waiting while the socket's send buffer is full
// (asyncio's write followed by drain): the bytes are not copied, so p must
// not change until the await is over, and memory stays bounded however slow
// the peer is. After a reset it fails with the error (EPIPE or ECONNRESET).
// A Write cancelled after it sent part of p aborts the stream (see Stream).
func (s *Stream) Write(p []byte) WriteOp { return WriteOp{s, p} }

// Poll writes, or suspends the task until the socket can take more.
func (op WriteOp) Poll(cx *Ctx) bool {
	s := op.s
	if cx.resumed() {
		s.pd.w.forget(cx)
		cancelled := cx.flags&fCancelPending != 0
		cx.resume()
		if cancelled {
			if s.wrote > 0 {
				s.abort() // part of p is gone: do not let the rest go missing silently
			}
			s.writer, s.wrote = nil, 0
			return true
		}
	} else {
		s.checkLoop(cx)
		if w := s.writer; w != nil && w != cx && w.flags&fDone == 0 {
			s.writeErr = ErrStreamBusy
			return true
		}
		s.writer, s.wrote = cx, 0
	}
	var err error
	for s.wrote < len(op.p) {
		if s.pd.fd < 0 || s.wclosed {
			err = closedError("write", s.kind)
			break
		}
		n, errno := sysWrite(int(s.pd.fd), op.p[s.wrote:])
		if errno == syscall.EAGAIN {
			s.pd.w.wait(cx)
			return false
		}
		if errno != 0 {
			err = s.opError("write", "write", errno)
			break
		}
		s.wrote += n
	}
	s.writer, s.wrote = nil, 0
	s.writeErr = err
	return true
}

// Outcome reports the failure, if any.
func (op WriteOp) Outcome(cx *Ctx) (Void, error) {
	if cx.delivered() {
		return Void{}, ErrCancelled
	}
	return Void{}, op.s.writeErr
}

// CloseOp is the awaitable of Close, CloseWrite and Abort (of a Stream or a
// Listener). It does its work when awaited and never suspends.
type CloseOp struct {
	s   *Stream
	ln  *Listener
	how uint8
}

const (
	closeFull uint8 = iota
	closeWrite
	closeAbort
)

// Close closes the stream: data already written is still delivered (the
// kernel sends it), unread data is discarded, and a task suspended in a read
// or write of the stream fails with an error that errors.Is(err,
// net.ErrClosed). Closing a closed stream does nothing.
func (s *Stream) Close() CloseOp { return CloseOp{s: s, how: closeFull} }

// CloseWrite shuts down the sending side (a half-close, asyncio's
// write_eof): the peer reads io.EOF after the data already written, and the
// stream can still read what the peer sends.
func (s *Stream) CloseWrite() CloseOp { return CloseOp{s: s, how: closeWrite} }

// Abort closes the stream at once, discarding data not yet sent (asyncio's
// transport.abort): a TCP peer sees a reset (ECONNRESET).
func (s *Stream) Abort() CloseOp { return CloseOp{s: s, how: closeAbort} }

// Poll does the closing.
func (op CloseOp) Poll(cx *Ctx) bool {
	if op.ln != nil {
		op.ln.closeErr = op.ln.close()
		return true
	}
	s := op.s
	var err error
	switch op.how {
	case closeFull:
		err = s.close()
	case closeAbort:
		s.abort()
	case closeWrite:
		switch {
		case s.pd.fd < 0:
			err = closedError("close", s.kind)
		case s.writer != nil && s.writer != cx && s.writer.flags&fDone == 0:
			err = ErrStreamBusy
		default:
			s.wclosed = true
			if e := unix.Shutdown(int(s.pd.fd), unix.SHUT_WR); e != nil {
				err = s.opError("close", "shutdown", e.(syscall.Errno))
			}
		}
	}
	s.closeErr = err
	return true
}

// Outcome reports the failure, if any.
func (op CloseOp) Outcome(cx *Ctx) (Void, error) {
	if op.ln != nil {
		return Void{}, op.ln.closeErr
	}
	return Void{}, op.s.closeErr
}

func (s *Stream) close() error {
	if s.pd.fd < 0 {
		return nil
	}
	s.buf, s.r, s.w = nil, 0, 0
	if s.fail == nil || s.fail == io.EOF {
		s.fail = closedError("read", s.kind)
	}
	if err := s.loop.closeFd(&s.pd); err != nil {
		return opError("close", s.kind, nil, nil, "close", err)
	}
	return nil
}

// abort closes with SO_LINGER 0, so that the kernel resets the connection.
func (s *Stream) abort() {
	if s.pd.fd >= 0 && s.kind != netUnix {
		unix.SetsockoptLinger(int(s.pd.fd), unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0})
	}
	s.close()
}

// DialOp is the awaitable of Dial.
type DialOp struct{ d *dialer }

type dialer struct {
	lookup
	addr     string
	perr     error // from parsing
	next     int   // the next address to try
	s        *Stream
	firstErr error
	res      *Stream
	err      error
}

// Dial connects to addr on the network "tcp", "tcp4", "tcp6" (addr is
// "host:port") or "unix" (a socket path, or "@name" in the abstract
// namespace), as net.Dial does, without blocking the loop: the connection
// is made when the result is awaited. A host name is resolved by the
// standard resolver on a goroutine of its own (it blocks); an IP address
// or an empty host (the local system) needs none. The addresses of a name
// are tried in turn until one connects.
func Dial(network, addr string) DialOp {
	d := &dialer{addr: addr}
	k, err := parseNetwork(network)
	if err == nil {
		d.kind = k
		d.t, err = parseTarget(k, addr, false)
	}
	if err != nil {
		d.perr = &net.OpError{Op: "dial", Net: network, Err: err}
	}
	return DialOp{d}
}

// Poll connects, or suspends the task while the name is looked up or the
// connection is in progress.
func (op DialOp) Poll(cx *Ctx) bool {
	d := op.d
	if cx.resumed() {
		d.lookup.cx = nil
		if d.s != nil {
			d.s.pd.w.forget(cx)
		}
		cancelled := cx.flags&fCancelPending != 0
		cx.resume()
		if cancelled {
			if d.s != nil {
				d.s.close()
				d.s = nil
			}
			return true
		}
	} else if d.perr != nil {
		d.err = d.perr
		return true
	}
	if !d.lookup.poll(cx) {
		return false
	}
	if d.lookup.err != nil {
		d.err = &net.OpError{Op: "dial", Net: d.kind.String(), Err: d.lookup.err}
		return true
	}
	for {
		if s := d.s; s != nil {
			errno, ok := connected(int(s.pd.fd))
			if !ok {
				s.pd.w.wait(cx)
				return false
			}
			d.s = nil
			if errno == 0 {
				d.res = s
				return true
			}
			d.failed(s.kind, d.t.addrs[d.next-1], errno)
			s.close()
		}
		if d.next >= len(d.t.addrs) {
			d.err = d.firstErr
			return true
		}
		sa := d.t.addrs[d.next]
		d.next++
		fd, err := newSocket(d.kind, sa)
		if err != nil {
			d.failed(d.kind, sa, err)
			continue
		}
		err = unix.Connect(fd, sa)
		if err != nil && err != unix.EINPROGRESS {
			unix.Close(fd)
			d.failed(d.kind, sa, err)
			continue
		}
		s, rerr := newStream(cx.loop, d.kind, fd)
		if rerr != nil {
			d.failed(d.kind, sa, rerr)
			continue
		}
		if err == nil {
			d.res = s
			return true
		}
		d.s = s // in progress: wait until writable
	}
}

func (d *dialer) failed(k netKind, sa unix.Sockaddr, err error) {
	if d.firstErr == nil {
		if errno, ok := err.(syscall.Errno); ok {
			err = opError("dial", k, nil, sockAddr(k, sa), "connect", errno)
		} else {
			err = &net.OpError{Op: "dial", Net: k.String(), Addr: sockAddr(k, sa), Err: err}
		}
		d.firstErr = err
	}
}

// connected reports whether a connection in progress has finished
// (ok), and how (errno 0: connected). The poller may wake a task before the
// connection is made; then it is not finished.
func connected(fd int) (errno syscall.Errno, ok bool) {
	n, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err != nil {
		return err.(syscall.Errno), true
	}
	switch e := syscall.Errno(n); e {
	case syscall.EINPROGRESS, syscall.EALREADY, syscall.EINTR:
		return 0, false
	case 0, syscall.EISCONN:
		if _, err := unix.Getpeername(fd); err != nil {
			return 0, false // not yet
		}
		return 0, true
	default:
		return e, true
	}
}

// Outcome returns the connected stream, or the failure.
func (op DialOp) Outcome(cx *Ctx) (*Stream, error) {
	if cx.delivered() {
		return nil, ErrCancelled
	}
	return op.d.res, op.d.err
}
