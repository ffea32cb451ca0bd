package rt_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// log collects output lines together with the loop time they were written at.
type log struct {
	lines []string
}

func (l *log) printf(format string, args ...any) {
	if l == nil { // a nil log discards
		return
	}
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *log) at(format string, args ...any) {
	if l == nil {
		return
	}
	l.lines = append(l.lines, fmt.Sprintf("%v ", rt.Now())+fmt.Sprintf(format, args...))
}

func (l *log) String() string { return strings.Join(l.lines, "\n") }

func expect(t *testing.T, got fmt.Stringer, want ...string) {
	t.Helper()
	if g, w := got.String(), strings.Join(want, "\n"); g != w {
		t.Fatalf("got:\n%s\nwant:\n%s", g, w)
	}
}

// fetchData is the seed's §7 fetch_data.
func fetchData(out *log, source string, delay time.Duration) rt.Coro[string] {
	var sl awaiter[rt.Void]
	return coro("rt_test.fetchData", func(m *machine[string], cx *rt.Ctx) bool {
		if m.State == 0 {
			out.at("📥 Fetching data from %s", source)
		}
		if _, err, ok := await(m, cx, &sl, 1, func() rt.Awaitable[rt.Void] { return rt.Sleep(delay) }); !ok {
			return false
		} else if err != nil {
			return m.Fail(err)
		}
		out.at("✅ Finished fetching from %s", source)
		return m.Complete("Data from " + source)
	})
}

func TestGatherTwoSourcesVirtualTime(t *testing.T) {
	var out log
	var t1, t2 *rt.Task[string]
	var g awaiter[[]string]
	main := coro("rt_test.main", func(m *machine[[]string], cx *rt.Ctx) bool {
		if m.State == 0 {
			t1 = rt.Spawn(fetchData(&out, "Source 1", 2*time.Second))
			t2 = rt.Spawn(fetchData(&out, "Source 2", 3*time.Second))
		}
		res, err, ok := await(m, cx, &g, 1, func() rt.Awaitable[[]string] { return rt.Gather(t1, t2) })
		if !ok {
			return false
		}
		return m.Return(res, err)
	})
	start := time.Now()
	res, err := rt.Run(main, rt.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	if wall := time.Since(start); wall > time.Second {
		t.Errorf("virtual run took %v of wall time", wall)
	}
	expect(t, &out,
		"0s 📥 Fetching data from Source 1",
		"0s 📥 Fetching data from Source 2",
		"2s ✅ Finished fetching from Source 1",
		"3s ✅ Finished fetching from Source 2")
	if fmt.Sprint(res) != "[Data from Source 1 Data from Source 2]" {
		t.Errorf("results %q", res)
	}
}

// longRunning is the seed's §6 long_running_task: it catches its
// cancellation with Try, reports it and fails with it.
func longRunning(out *log) rt.Coro[rt.Void] {
	var sl awaiter[rt.Void]
	return coro("rt_test.longRunning", func(m *machine[rt.Void], cx *rt.Ctx) bool {
		for {
			if m.State != 1 {
				out.at("🔄 Task is running...")
			}
			_, err, ok := await(m, cx, &sl, 1, func() rt.Awaitable[rt.Void] { return rt.Sleep(time.Second) })
			if !ok {
				return false
			}
			if err != nil {
				out.at("🛑 Task was cancelled")
				return m.Fail(err)
			}
		}
	})
}

func TestCancelSeedExample(t *testing.T) {
	var out log
	var task *rt.Task[rt.Void]
	var sl awaiter[rt.Void]
	var tw awaiter[rt.Void]
	main := coro("rt_test.main", func(m *machine[rt.Void], cx *rt.Ctx) bool {
		if m.State == 0 {
			task = rt.Spawn(longRunning(&out))
		}
		if m.State != 2 {
			if _, _, ok := await(m, cx, &sl, 1, func() rt.Awaitable[rt.Void] { return rt.Sleep(3 * time.Second) }); !ok {
				return false
			}
			if !task.Cancel() {
				t.Error("Cancel of a running task returned false")
			}
			if task.Done() {
				t.Error("task done right after Cancel; it must unwind first")
			}
		}
		_, err, ok := await(m, cx, &tw, 2, func() rt.Awaitable[rt.Void] { return task })
		if !ok {
			return false
		}
		if errors.Is(err, rt.ErrCancelled) && errors.Is(err, context.Canceled) {
			out.at("🔄 Caught task cancellation")
		}
		return m.Complete(rt.Void{})
	})
	if _, err := rt.Run(main, rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
	expect(t, &out,
		"0s 🔄 Task is running...",
		"1s 🔄 Task is running...",
		"2s 🔄 Task is running...",
		"3s 🛑 Task was cancelled",
		"3s 🔄 Caught task cancellation")
	if !task.Cancelled() || !task.Done() {
		t.Errorf("task: %v", task)
	}
	if task.Cancel() {
		t.Error("Cancel of a finished task returned true")
	}
}
