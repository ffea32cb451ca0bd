package nettest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/corogen/corogen/rt"
)

// These tests run on loopback only, in both build modes (go test and
// go test -tags corosrc). Most run under the virtual clock: the times they
// check are exact.

func TestMain(m *testing.M) {
	// The Go runtime's own poller keeps two descriptors once a test has
	// used the net or os/exec packages: open them before any test counts.
	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		ln.Close()
	}
	os.Exit(m.Run())
}

func openFds(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count file descriptors: %v", err)
	}
	return len(ents)
}

// noLeaks checks, at the end of the test, that the test left no
// descriptor open and no goroutine running.
func noLeaks(t *testing.T) {
	t.Helper()
	fds, gs := openFds(t), runtime.NumGoroutine()
	t.Cleanup(func() {
		var nfd, ng int
		for range 100 { // goroutines of the reference mode end just after
			if nfd, ng = openFds(t), runtime.NumGoroutine(); nfd <= fds && ng <= gs {
				return
			}
			time.Sleep(time.Millisecond)
		}
		t.Errorf("leaked: %d descriptors open before the test, %d after; %d goroutines before, %d after", fds, nfd, gs, ng)
	})
}

func TestEchoTCP(t *testing.T) {
	noLeaks(t)
	n, err := rt.Run(EchoOver("tcp", "127.0.0.1:0", 20, 5), rt.WithVirtualClock())
	if err != nil || n != 20 {
		t.Fatalf("got %d connections, %v; want 20", n, err)
	}
}

func TestEchoTCP6(t *testing.T) {
	noLeaks(t)
	n, err := rt.Run(EchoOver("tcp6", "[::1]:0", 5, 3))
	if err != nil {
		if strings.Contains(err.Error(), "address not available") || strings.Contains(err.Error(), "not supported") {
			t.Skipf("no IPv6 loopback: %v", err)
		}
		t.Fatal(err)
	}
	if n != 5 {
		t.Fatalf("%d connections, want 5", n)
	}
}

func TestEchoUnix(t *testing.T) {
	noLeaks(t)
	path := filepath.Join(t.TempDir(), "echo.sock")
	n, err := rt.Run(EchoOver("unix", path, 10, 3), rt.WithVirtualClock())
	if err != nil || n != 10 {
		t.Fatalf("got %d connections, %v; want 10", n, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the listener's Close left its socket file: %v", err)
	}
	// The abstract namespace.
	name := fmt.Sprintf("@corogen-nettest-%d", os.Getpid())
	if n, err := rt.Run(EchoOver("unix", name, 3, 2)); err != nil || n != 3 {
		t.Fatalf("abstract: got %d connections, %v; want 3", n, err)
	}
}

// A host name is resolved on a goroutine of its own; the loop does not
// block meanwhile, and the goroutine is gone afterwards.
func TestDialName(t *testing.T) {
	noLeaks(t)
	n, err := rt.Run(EchoOver("tcp4", "localhost:0", 3, 2))
	if err != nil {
		t.Skipf("localhost does not resolve here: %v", err)
	}
	if n != 3 {
		t.Fatalf("%d connections, want 3", n)
	}
}

// raiseFdLimit makes room for n more descriptors, or skips.
func raiseFdLimit(t *testing.T, n int) {
	t.Helper()
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("getrlimit: %v", err)
	}
	want := uint64(openFds(t) + n + 256)
	if lim.Cur >= want {
		return
	}
	old := lim
	lim.Cur = want
	if lim.Max < want {
		lim.Max = want // needs CAP_SYS_RESOURCE
	}
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		t.Skipf("this test needs %d file descriptors; RLIMIT_NOFILE is %d (hard %d) and cannot be raised: %v", want, old.Cur, old.Max, err)
	}
	t.Cleanup(func() { unix.Setrlimit(unix.RLIMIT_NOFILE, &old) })
}

// 1,000 connections and their client ends on one loop, all open at once,
// a round trip on each while all are open.
func TestThousandConnectionsOneLoop(t *testing.T) {
	const n = 1000
	raiseFdLimit(t, 2*n)
	noLeaks(t)
	peak, err := rt.Run(Many(n, 500))
	if err != nil {
		t.Fatal(err)
	}
	if peak != n {
		t.Errorf("at most %d connections open at once, want %d", peak, n)
	}
}

// 10,000 connections open at once on one loop, from 10,000 clients on one
// loop of another process (this test binary again, running
// TestManyClientsChild), so that each process needs 10,000 descriptors.
func TestTenThousandConnections(t *testing.T) {
	const n = 10000
	if testing.Short() {
		t.Skip("-short")
	}
	raiseFdLimit(t, n)
	noLeaks(t)
	start := time.Now()
	var cmd *exec.Cmd
	var out bytes.Buffer
	started := func(addr string) error {
		cmd = exec.Command(os.Args[0], "-test.run=^TestManyClientsChild$", "-test.v")
		cmd.Env = append(os.Environ(), fmt.Sprintf("NETTEST_CHILD=%s,%d", addr, n))
		cmd.Stdout, cmd.Stderr = &out, &out
		return cmd.Start()
	}
	peak, err := rt.Run(ManyServer(n, started))
	if cmd != nil {
		if werr := cmd.Wait(); werr != nil || !strings.Contains(out.String(), "--- PASS: TestManyClientsChild") {
			t.Errorf("the client process: %v\n%s", werr, out.String())
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if peak != n {
		t.Errorf("at most %d connections open at once, want %d", peak, n)
	}
	t.Logf("%d connections in %v", n, time.Since(start))
}

// TestManyClientsChild is the client process of TestTenThousandConnections.
func TestManyClientsChild(t *testing.T) {
	arg := os.Getenv("NETTEST_CHILD")
	if arg == "" {
		t.Skip("run by TestTenThousandConnections")
	}
	addr, ns, _ := strings.Cut(arg, ",")
	n, _ := strconv.Atoi(ns)
	raiseFdLimit(t, n)
	if _, err := rt.Run(ManyClients(addr, n, 1000)); err != nil {
		t.Fatal(err)
	}
}

func TestPeerReset(t *testing.T) {
	noLeaks(t)
	msg, err := rt.Run(Reset(), rt.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "connection reset by peer") || !strings.Contains(msg, "read tcp 127.0.0.1:") {
		t.Errorf("the error says %q", msg)
	}
}

func TestPeerHalfCloses(t *testing.T) {
	noLeaks(t)
	got, err := rt.Run(HalfClose(), rt.WithVirtualClock())
	if err != nil || got != "pong to ping\n" {
		t.Fatalf("got %q, %v", got, err)
	}
}

// A slow reader: the writer's one 32 MiB Write waits for it (it completes
// only once the reader has taken all but what the socket buffers hold), and
// nothing is copied meanwhile.
func TestSlowReaderBackpressure(t *testing.T) {
	noLeaks(t)
	const size, chunk = 32 << 20, 1 << 20
	var res [2]int
	var err error
	start := time.Now()
	res, err = rt.Run(SlowReader(size, chunk, 10*time.Millisecond), rt.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	readAtDone, heap := res[0], res[1]
	if readAtDone < size/2 {
		t.Errorf("the Write completed when the reader had read %d of %d bytes: it did not wait", readAtDone, size)
	}
	// The writer's data (32 MiB) and the reader's chunks exist; a copy of
	// the data being sent would double it.
	if heap > size+8*chunk {
		t.Errorf("the heap grew by %d bytes for a %d-byte write", heap, size)
	}
	t.Logf("write done after the reader took %d of %d bytes; heap +%d; %v", readAtDone, size, heap, time.Since(start))
}

// A client that connects and sends nothing is closed by the server's
// timeout, at exactly the timeout on the virtual clock.
func TestIdleClientTimesOut(t *testing.T) {
	noLeaks(t)
	at, err := rt.Run(IdleClient(5*time.Second), rt.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	if at != 5*time.Second {
		t.Errorf("the idle client was closed at %v, want 5s", at)
	}
}

func TestCancelledReadKeepsBytes(t *testing.T) {
	noLeaks(t)
	got, err := rt.Run(CancelledReadKeepsBytes(), rt.WithVirtualClock())
	if err != nil || got != "hello\nworld\n" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestCancelledWrite(t *testing.T) {
	noLeaks(t)
	got, err := rt.Run(CancelledWrite(), rt.WithVirtualClock())
	if err != nil || got != "still fine\n" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestBusyAndCloseUnderReader(t *testing.T) {
	noLeaks(t)
	if _, err := rt.Run(Busy(), rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
}

func TestLimits(t *testing.T) {
	noLeaks(t)
	got, err := rt.Run(Limits(), rt.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`"short\n"`,
		"error: " + rt.ErrLimitOverrun.Error(),
		`"abc|"`,
		`"def|"`,
		"error: rt: stream ended after 4 of 10 bytes",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDialRefused(t *testing.T) {
	noLeaks(t)
	msg, err := rt.Run(DialRefused(), rt.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "dial tcp 127.0.0.1:") || !strings.Contains(msg, "connection refused") {
		t.Errorf("the error says %q", msg)
	}
}

// Out of descriptors, Accept fails with a clear EMFILE error and the
// listener goes on accepting once descriptors are free.
func TestAcceptOutOfDescriptors(t *testing.T) {
	noLeaks(t)
	var old unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &old); err != nil {
		t.Skip(err)
	}
	lower := func() {
		// The lowest free descriptor, and one more, stay allowed.
		fd, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		unix.Close(fd)
		lim := old
		lim.Cur = uint64(fd + 2)
		if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
			t.Fatal(err)
		}
	}
	raise := func() { unix.Setrlimit(unix.RLIMIT_NOFILE, &old) }
	defer raise()
	msg, err := rt.Run(Exhaust(lower, raise), rt.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "out of file descriptors") || !strings.Contains(msg, "too many open files") {
		t.Errorf("the error says %q", msg)
	}
}

// Closing the loop closes what is still open on it.
func TestLoopCloseClosesSockets(t *testing.T) {
	noLeaks(t)
	l := rt.NewLoop()
	var ln *rt.Listener
	var c *rt.Stream
	_, err := rt.RunUntilComplete(l, leaveOpen(&ln, &c))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if !c.Closed() {
		t.Error("a stream is still open after the loop's Close")
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("the listener still accepts after the loop's Close")
	}
}

func TestTimeouts(t *testing.T) {
	noLeaks(t)
	got, err := rt.Run(Timeouts(), rt.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1s WaitFor(ReadLine): " + rt.ErrTimeout.Error(),
		"3s WaitFor(block with ReadLine): " + rt.ErrTimeout.Error(),
		`3s WaitFor(ReadLine): "hello\n" <nil>`,
		"4s WaitFor(Write 16 MiB): " + rt.ErrTimeout.Error() + "; closed: true",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
