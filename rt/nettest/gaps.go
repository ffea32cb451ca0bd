//go:build corosrc

package nettest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/corogen/corogen/rt"
)

// pairOn returns the two ends of a connection on network (a listener on
// addr, closed once the connection is made).
//
//coro:async
func pairOn(network, addr string) rt.Coro[[2]*rt.Stream] {
	return rt.Async(func() [2]*rt.Stream {
		ln := rt.Await(rt.Listen(network, addr))
		defer rt.Await(ln.Close())
		c := rt.Await(rt.Dial(network, ln.Addr().String()))
		s := rt.Await(ln.Accept())
		return [2]*rt.Stream{c, s}
	})
}

// IdleCPU: while a task waits for a read that never comes, the main task
// sleeps d on the loop (real clock). It returns the process's CPU time
// (user + system) and the wall time across the sleep: a loop that waits in
// the poller uses almost no CPU.
//
//coro:async
func IdleCPU(d time.Duration, cpu func() time.Duration) rt.Coro[[2]time.Duration] {
	return rt.Async(func() [2]time.Duration {
		p := rt.Await(pair())
		client, server := p[0], p[1]
		defer rt.Await(client.Close())
		defer rt.Await(server.Close())
		reader := rt.Spawn(awaitOf(server.Read(make([]byte, 10))))
		rt.Await(rt.Sleep(0)) // the reader is suspended in the poller
		start, c0 := time.Now(), cpu()
		rt.Await(rt.Sleep(d))
		c1, wall := cpu(), time.Since(start)
		reader.Cancel()
		_, _ = rt.Try(reader)
		return [2]time.Duration{c1 - c0, wall}
	})
}

// TwoWriters: a Write of size bytes waits (the peer does not read); a
// second Write on the stream from another task fails at once with
// ErrStreamBusy. Then the peer reads everything: exactly the first payload,
// then the end of the stream.
//
//coro:async
func TwoWriters(size int) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		p := rt.Await(pair())
		client, server := p[0], p[1]
		defer rt.Await(client.Close())
		defer rt.Await(server.Close())
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i % 251)
		}
		first := rt.Spawn(awaitOf(server.Write(data)))
		rt.Await(rt.Sleep(time.Millisecond))
		if first.Done() {
			return fmt.Errorf("a %d-byte write to a peer that does not read completed", size)
		}
		other := bytes.Repeat([]byte{0xff}, 1<<20) // 0xff is not in data
		second := rt.Spawn(awaitOf(server.Write(other)))
		at := rt.Now()
		_, err := rt.Try(rt.WaitFor(second, time.Second))
		if !errors.Is(err, rt.ErrStreamBusy) {
			return fmt.Errorf("second concurrent writer: %v, want ErrStreamBusy", err)
		}
		if rt.Now() != at {
			return fmt.Errorf("the second writer waited %v before it failed", rt.Now()-at)
		}
		if server.Closed() {
			return errors.New("the busy write closed the stream")
		}
		got := 0
		for got < len(data) {
			b := rt.Await(client.ReadExactly(min(1<<20, len(data)-got)))
			if i := bytes.IndexByte(b, 0xff); i >= 0 {
				return fmt.Errorf("byte %d is the second writer's", got+i)
			}
			if !bytes.Equal(b, data[got:got+len(b)]) {
				return fmt.Errorf("bytes %d.. differ from the first payload", got)
			}
			got += len(b)
		}
		if _, err := rt.Try(first); err != nil {
			return fmt.Errorf("the first write: %v", err)
		}
		rt.Await(server.CloseWrite())
		if extra, err := rt.Try(client.Read(make([]byte, 100))); err != io.EOF {
			return fmt.Errorf("after the first payload the peer read %d more bytes, %v; want io.EOF", extra, err)
		}
		return nil
	})
}

// CancelledWriteNothingSent: 1-byte writes fill the socket's send buffer
// (the peer does not read) until one suspends having sent nothing; that
// write is cancelled. The stream stays open and usable: the peer reads the
// bytes of the completed writes, then what is written after the
// cancellation. It returns the number of completed 1-byte writes.
//
//coro:async
func CancelledWriteNothingSent(network, addr string) rt.Coro[int] {
	return rt.AsyncErr(func() (int, error) {
		p := rt.Await(pairOn(network, addr))
		client, server := p[0], p[1]
		defer rt.Await(client.Close())
		defer rt.Await(server.Close())
		n := 0
		writer := rt.Spawn(rt.Do(func() {
			for {
				// One byte: a write either sends it whole or suspends
				// with nothing of it sent.
				rt.Await(server.Write([]byte{byte(n % 251)}))
				n++
			}
		}))
		rt.Await(rt.Sleep(time.Millisecond))
		if writer.Done() {
			_, err := rt.Try(writer)
			return 0, fmt.Errorf("the writer ended: %v", err)
		}
		writer.Cancel()
		if _, err := rt.Try(writer); !errors.Is(err, rt.ErrCancelled) {
			return 0, fmt.Errorf("cancelled write: %v", err)
		}
		if server.Closed() {
			return n, fmt.Errorf("a write cancelled before it sent anything closed the stream (after %d writes)", n)
		}
		// The send buffer is still full: the peer reads meanwhile.
		w := rt.Spawn(awaitOf(server.Write([]byte("still fine\n"))))
		b := rt.Await(client.ReadExactly(n))
		for i, c := range b {
			if c != byte(i%251) {
				return n, fmt.Errorf("byte %d is %d, want %d", i, c, i%251)
			}
		}
		line := rt.Await(client.ReadLine())
		if string(line) != "still fine\n" {
			return n, fmt.Errorf("after the cancelled write the peer read %q", line)
		}
		if _, err := rt.Try(w); err != nil {
			return n, fmt.Errorf("the write after the cancelled one: %v", err)
		}
		// And the other way round.
		rt.Await(client.Write([]byte("pong\n")))
		if line := rt.Await(server.ReadLine()); string(line) != "pong\n" {
			return n, fmt.Errorf("the stream read %q", line)
		}
		return n, nil
	})
}

// ReadUntilEdges: with a limit of 8, ReadUntil of a delimiter beyond the
// limit (found, and not found) fails with ErrLimitOverrun and leaves the
// data buffered; at the end of the stream before the delimiter it fails
// with an *IncompleteReadError holding the rest.
//
//coro:async
func ReadUntilEdges() rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		p := rt.Await(pair())
		client, server := p[0], p[1]
		defer rt.Await(client.Close())
		defer rt.Await(server.Close())
		server.SetLimit(8)
		rt.Await(client.Write([]byte("0123456789|abcdefghXYZ")))
		rt.Await(client.CloseWrite())
		// The delimiter is there, beyond the limit.
		if _, err := rt.Try(server.ReadUntil([]byte("|"))); !errors.Is(err, rt.ErrLimitOverrun) {
			return fmt.Errorf("ReadUntil beyond the limit: %v, want ErrLimitOverrun", err)
		}
		if n := server.Buffered(); n < 11 {
			return fmt.Errorf("%d bytes buffered after the overrun, want the 11 up to the delimiter at least", n)
		}
		if b := rt.Await(server.ReadExactly(11)); string(b) != "0123456789|" {
			return fmt.Errorf("after the overrun ReadExactly(11) read %q", b)
		}
		// No delimiter within the limit.
		if _, err := rt.Try(server.ReadUntil([]byte("|"))); !errors.Is(err, rt.ErrLimitOverrun) {
			return fmt.Errorf("ReadUntil of a missing delimiter: %v, want ErrLimitOverrun", err)
		}
		if n := server.Buffered(); n < 8 {
			return fmt.Errorf("%d bytes buffered after the overrun, want 8 at least", n)
		}
		if b := rt.Await(server.ReadExactly(8)); string(b) != "abcdefgh" {
			return fmt.Errorf("after the second overrun ReadExactly(8) read %q", b)
		}
		// The end of the stream before the delimiter.
		b, err := rt.Try(server.ReadUntil([]byte("|")))
		var ie *rt.IncompleteReadError
		if !errors.As(err, &ie) {
			return fmt.Errorf("ReadUntil at the end: %q, %v; want an *IncompleteReadError", b, err)
		}
		if string(ie.Partial) != "XYZ" || !errors.Is(err, io.ErrUnexpectedEOF) || b != nil {
			return fmt.Errorf("ReadUntil at the end: %q, %v (partial %q); want partial \"XYZ\", io.ErrUnexpectedEOF", b, err, ie.Partial)
		}
		if server.Buffered() != 0 {
			return fmt.Errorf("%d bytes buffered after the incomplete read", server.Buffered())
		}
		if _, err := rt.Try(server.ReadUntil([]byte("|"))); err != io.EOF {
			return fmt.Errorf("ReadUntil after the end: %v, want io.EOF", err)
		}
		return nil
	})
}

// DialCancelled dials addr, where the connection stays pending, under
// WaitFor(d). It checks that the dial times out and that no descriptor
// stays open, counting them with fds while the loop is still open (its
// Close would close a forgotten socket).
//
//coro:async
func DialCancelled(addr string, d time.Duration, fds func() int) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		// The loop's poller (an epoll instance and an eventfd) is made
		// with its first socket: make it before counting.
		ln := rt.Await(rt.Listen("tcp", "127.0.0.1:0"))
		rt.Await(ln.Close())
		before := fds()
		s, err := rt.Try(rt.WaitFor(rt.Dial("tcp", addr), d))
		if err == nil {
			rt.Await(s.Close())
			return errors.New("the dial connected: no pending connection to cancel")
		}
		if !errors.Is(err, rt.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("dial under WaitFor: %v, want ErrTimeout", err)
		}
		if after := fds(); after != before {
			return fmt.Errorf("%d descriptors open before the cancelled dial, %d after", before, after)
		}
		return nil
	})
}

// ScopedRead: a ReadLine under a timeout scope (rt.Timeout) of d, with half
// a line come, expires with ErrTimeout (a context.DeadlineExceeded) at d and
// loses nothing; a read that completes within its scope ends it cleanly,
// and the scope's timer does not cancel the task later. It returns the
// lines read.
//
//coro:async
func ScopedRead(d time.Duration) rt.Coro[string] {
	return rt.AsyncErr(func() (string, error) {
		p := rt.Await(pair())
		client, server := p[0], p[1]
		defer rt.Await(client.Close())
		defer rt.Await(server.Close())
		rt.Await(client.Write([]byte("hel")))
		start := rt.Now()
		scope := rt.Await(rt.Timeout(d))
		line, err := rt.Try(server.ReadLine())
		err = scope.End(err)
		if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, rt.ErrTimeout) || errors.Is(err, rt.ErrCancelled) {
			return "", fmt.Errorf("ReadLine under an expired scope: %q, %v; want ErrTimeout", line, err)
		}
		if !scope.Expired() {
			return "", errors.New("the scope does not say it expired")
		}
		if took := rt.Now() - start; took != d {
			return "", fmt.Errorf("the scope expired after %v, want %v", took, d)
		}
		if server.Buffered() != 3 {
			return "", fmt.Errorf("%d bytes buffered after the timed-out read, want 3", server.Buffered())
		}
		rt.Await(client.Write([]byte("lo\nworld\n")))
		scope = rt.Await(rt.Timeout(d))
		a, err := rt.Try(server.ReadLine())
		if err = scope.End(err); err != nil {
			return "", fmt.Errorf("ReadLine within its scope: %v", err)
		}
		rt.Await(rt.Sleep(2 * d)) // past the second scope's deadline: no cancellation
		b := rt.Await(server.ReadLine())
		return string(a) + string(b), nil
	})
}

// NoTasksLeft: an echo server and its clients; once the clients, the
// listener and the server's connections are closed, the main task is the
// loop's only task left.
//
//coro:async
func NoTasksLeft(clients int) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		open := 0
		handle := func(s *rt.Stream) rt.Coro[rt.Void] {
			return rt.Do(func() {
				open++
				defer func() { open-- }()
				rt.Await(Echo(s))
			})
		}
		ln := rt.Await(rt.Listen("tcp", "127.0.0.1:0"))
		server := rt.Spawn(Serve(ln, handle))
		var calls []rt.Awaitable[rt.Void]
		for i := range clients {
			calls = append(calls, rt.Do(func() {
				s := rt.Await(rt.Dial("tcp", ln.Addr().String()))
				defer rt.Await(s.Close())
				rt.Await(RoundTrip(s, fmt.Appendf(nil, "client %d\n", i)))
			}))
		}
		rt.Await(rt.Gather(calls...))
		rt.Await(ln.Close())
		if n := rt.Await(server); n != clients {
			return fmt.Errorf("the server accepted %d connections, want %d", n, clients)
		}
		for range 1000 {
			if open == 0 {
				break
			}
			rt.Await(rt.Sleep(time.Millisecond)) // the handlers see EOF and close
		}
		if open != 0 {
			return fmt.Errorf("%d connections still open on the server", open)
		}
		loop := rt.RunningLoop()
		tasks := loop.AllTasks()
		if len(tasks) != 1 || tasks[0] != rt.CurrentTask() {
			return fmt.Errorf("tasks left after everything was closed: %v (the current task is %v)", tasks, rt.CurrentTask())
		}
		return nil
	})
}
