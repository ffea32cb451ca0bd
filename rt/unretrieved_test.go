package rt_test

import (
	"bytes"
	"errors"
	stdlog "log"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// The error of a task nobody retrieved is reported once the task is
// collected (asyncio's "Task exception was never retrieved"); an error that
// was read, awaited or is a cancellation is not.
func TestUnretrievedErrorIsReported(t *testing.T) {
	reports := make(chan error, 10)
	must(rt.Run(loseErrors(), rt.WithExceptionHandler(func(err error) { reports <- err })))
	got := waitReports(t, reports, "lost")
	var ue *rt.UnretrievedError
	if len(got) != 1 || !errors.As(got[0], &ue) || ue.Err.Error() != "lost" || ue.Coroutine != "rt_test.failWith" || !strings.HasPrefix(ue.Task, "Task-") {
		t.Fatalf("reports %v; want one *rt.UnretrievedError for the task that failed with \"lost\"", got)
	}
	if want := "rt: task " + ue.Task + " (rt_test.failWith) failed and its error was never retrieved: lost"; got[0].Error() != want {
		t.Errorf("report %q, want %q", got[0], want)
	}
}

// Without a handler the report goes to the log package.
func TestUnretrievedErrorIsLogged(t *testing.T) {
	var buf syncBuffer
	stdlog.SetOutput(&buf)
	defer stdlog.SetOutput(os.Stderr)
	must(rt.Run(loseErrors()))
	if !collectUntil(func() bool { return strings.Contains(buf.String(), "never retrieved: lost") }) {
		t.Fatalf("log: %q; want the lost error", buf.String())
	}
}

// collectUntil garbage-collects, giving cleanups time to run, until done
// reports true (for at most about two seconds); it reports whether it did.
func collectUntil(done func() bool) bool {
	for range 400 {
		runtime.GC()
		if done() {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

// waitReports garbage-collects until a report containing want arrives,
// then for a while longer, and returns all reports.
func waitReports(t *testing.T, reports chan error, want string) []error {
	t.Helper()
	var got []error
	seen := false
	drain := func() {
		for {
			select {
			case err := <-reports:
				got = append(got, err)
				seen = seen || strings.Contains(err.Error(), want)
			default:
				return
			}
		}
	}
	if !collectUntil(func() bool { drain(); return seen }) {
		t.Fatalf("no report of %q (got %v)", want, got)
	}
	n := 0 // the others, if they were wrongly reported, come with it
	collectUntil(func() bool { n++; return n > 5 })
	drain()
	return got
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
