package nettest

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/corogen/corogen/rt"
)

// processCPU returns the process's CPU time so far, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// An idle loop waits in the poller: a task waiting for a read and a 200 ms
// sleep (real clock) take almost no CPU.
func TestIdleLoopSleepsInPoller(t *testing.T) {
	noLeaks(t)
	const d = 200 * time.Millisecond
	runtime.GC() // the collector's work of earlier tests is not counted
	res, err := rt.Run(IdleCPU(d, processCPU))
	if err != nil {
		t.Fatal(err)
	}
	cpu, wall := res[0], res[1]
	if wall < d {
		t.Fatalf("a %v sleep took %v", d, wall)
	}
	// Waiting takes about 1 ms of CPU here; a loop that spins takes the
	// whole 200 ms (only some 70 ms on a virtual machine whose CPU is
	// shared: a spin still shows above 20 ms).
	if cpu > 20*time.Millisecond {
		t.Errorf("the idle loop used %v of CPU in %v: it does not wait in the poller", cpu, wall)
	}
	t.Logf("%v of CPU in %v", cpu, wall)
}

// A second writer while a Write is suspended gets ErrStreamBusy; the
// stream carries exactly the first payload.
func TestConcurrentWriteBusy(t *testing.T) {
	noLeaks(t)
	if _, err := rt.Run(TwoWriters(16<<20), rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
}

// A Write cancelled while suspended before it sent any byte of its data
// leaves the stream open and usable. One-byte writes on a Unix socket
// (whose send buffer fills after a few hundred of them) make sure the
// suspended write has sent nothing.
func TestCancelledWriteNothingSentKeepsStream(t *testing.T) {
	noLeaks(t)
	path := filepath.Join(t.TempDir(), "cw.sock")
	n, err := rt.Run(CancelledWriteNothingSent("unix", path), rt.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Error("no write completed before one suspended")
	}
	t.Logf("%d one-byte writes filled the send buffer", n)
}

// ReadUntil leaves the data buffered on ErrLimitOverrun and ends with an
// *IncompleteReadError (io.ErrUnexpectedEOF) at the end of the stream.
func TestReadUntilOverrunAndIncomplete(t *testing.T) {
	noLeaks(t)
	if _, err := rt.Run(ReadUntilEdges(), rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
}

// fullListener returns the address of a loopback TCP listener whose accept
// queue is full: a connection to it stays pending (the kernel drops its
// SYN), without any route off the machine.
func fullListener(t *testing.T) string {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(fd, 0); err != nil { // a queue of one connection
		t.Fatal(err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", sa.(*unix.SockaddrInet4).Port)
	for i := 0; ; i++ {
		info, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO)
		if err != nil {
			t.Fatal(err)
		}
		// For a listener, tcpi_unacked is the accept queue's length and
		// tcpi_sacked its limit; the queue is full beyond the limit.
		if info.Unacked > info.Sacked {
			break
		}
		if i == 10 {
			t.Fatalf("the accept queue holds %d connections (backlog %d) after %d dials", info.Unacked, info.Sacked, i)
		}
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		for range 100 { // the server side of the handshake ends just after
			if info, _ := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO); info != nil && info.Unacked > uint32(i) {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	return addr
}

// A Dial cancelled (by a timeout) while the connection is in progress
// closes its socket.
func TestDialCancelledClosesSocket(t *testing.T) {
	noLeaks(t)
	addr := fullListener(t)
	fds := func() int {
		ents, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			panic(err)
		}
		return len(ents)
	}
	if _, err := os.ReadDir("/proc/self/fd"); err != nil {
		t.Skipf("cannot count file descriptors: %v", err)
	}
	if _, err := rt.Run(DialCancelled(addr, 100*time.Millisecond, fds), rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
}

// A read under a timeout scope (rt.Timeout ... scope.End) expires with a
// DeadlineExceeded error at the deadline and loses nothing.
func TestScopedReadTimeout(t *testing.T) {
	noLeaks(t)
	got, err := rt.Run(ScopedRead(time.Second), rt.WithVirtualClock())
	if err != nil || got != "hello\nworld\n" {
		t.Fatalf("got %q, %v", got, err)
	}
}

// Once the server, its connections and the clients are closed, no task is
// left but the main one.
func TestNoTasksLeftAfterClose(t *testing.T) {
	noLeaks(t)
	if _, err := rt.Run(NoTasksLeft(10), rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
}
