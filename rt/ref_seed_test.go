//go:build corosrc

package rt_test

// The seed's examples (shared/seed/asyncio-coroutines.md) written as a user
// writes them, run by the reference runtime (-tags corosrc): the same lines,
// in the same order, at the same virtual times as the hand-written machines
// of rt_test.go produce in a default build.

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// refOut collects output lines; at prefixes the loop time.
type refOut struct{ lines []string }

func (o *refOut) printf(format string, args ...any) {
	o.lines = append(o.lines, fmt.Sprintf(format, args...))
}

func (o *refOut) at(format string, args ...any) {
	o.lines = append(o.lines, fmt.Sprintf("%v ", rt.Now())+fmt.Sprintf(format, args...))
}

func (o *refOut) String() string { return strings.Join(o.lines, "\n") }

func refExpect(t *testing.T, got *refOut, want ...string) {
	t.Helper()
	if g, w := got.String(), strings.Join(want, "\n"); g != w {
		t.Fatalf("got:\n%s\nwant:\n%s", g, w)
	}
}

// refSettle waits until the number of goroutines is back to base (a
// goroutine that has handed its outcome back still has to return).
func refSettle(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= base {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, want %d:\n%s", n, base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(time.Millisecond)
	}
}

// §4: await of a coroutine.

func refCompute() rt.Coro[int] {
	return rt.Async(func() int { return 21 * 2 })
}

func TestRefSeedAwait(t *testing.T) {
	var out refOut
	main := rt.Do(func() {
		result := rt.Await(refCompute())
		out.printf("The answer is %d", result)
	})
	if _, err := rt.Run(main); err != nil {
		t.Fatal(err)
	}
	refExpect(t, &out, "The answer is 42")
}

// §5: an explicit loop.

func refSayHello(out *refOut) rt.Coro[rt.Void] {
	return rt.Do(func() {
		out.at("👋 Hello")
		rt.Await(rt.Sleep(time.Second))
		out.at("🌍 World")
	})
}

func TestRefSeedEventLoop(t *testing.T) {
	base := runtime.NumGoroutine()
	var out refOut
	loop := rt.NewLoop(rt.WithVirtualClock())
	if _, err := rt.RunUntilComplete(loop, refSayHello(&out)); err != nil {
		t.Fatal(err)
	}
	if err := loop.Close(); err != nil {
		t.Fatal(err)
	}
	refExpect(t, &out, "0s 👋 Hello", "1s 🌍 World")
	refSettle(t, base)
}

// §6: cancellation.

func refLongRunningTask(out *refOut) rt.Coro[rt.Void] {
	return rt.DoErr(func() error {
		for {
			out.at("🔄 Task is running...")
			if _, err := rt.Try(rt.Sleep(time.Second)); err != nil {
				out.at("🛑 Task was cancelled")
				return err
			}
		}
	})
}

func TestRefSeedCancel(t *testing.T) {
	base := runtime.NumGoroutine()
	var out refOut
	var task *rt.Task[rt.Void]
	main := rt.Do(func() {
		task = rt.Spawn(refLongRunningTask(&out))
		rt.Await(rt.Sleep(3 * time.Second))
		if !task.Cancel() {
			t.Error("Cancel of a running task returned false")
		}
		if task.Done() {
			t.Error("task done right after Cancel; it must unwind first")
		}
		if _, err := rt.Try(task); errors.Is(err, rt.ErrCancelled) && errors.Is(err, context.Canceled) {
			out.at("🔄 Caught task cancellation")
		}
	})
	if _, err := rt.Run(main, rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
	refExpect(t, &out,
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
	refSettle(t, base)
}

// §7: tasks and gather.

func refFetchData(out *refOut, source string, delay time.Duration) rt.Coro[string] {
	return rt.Async(func() string {
		out.at("📥 Fetching data from %s", source)
		rt.Await(rt.Sleep(delay)) // Simulate I/O operation
		data := "Data from " + source
		out.at("✅ Finished fetching from %s", source)
		return data
	})
}

func refSeedMain(out *refOut) rt.Coro[[]string] {
	return rt.Async(func() []string {
		task1 := rt.Spawn(refFetchData(out, "Source 1", 2*time.Second))
		task2 := rt.Spawn(refFetchData(out, "Source 2", 3*time.Second))
		results := rt.Await(rt.Gather(task1, task2))
		out.at("📊 Results:")
		for _, result := range results {
			out.printf("%s", result)
		}
		return results
	})
}

var refSeedOutput = []string{
	"0s 📥 Fetching data from Source 1",
	"0s 📥 Fetching data from Source 2",
	"2s ✅ Finished fetching from Source 1",
	"3s ✅ Finished fetching from Source 2",
	"3s 📊 Results:",
	"Data from Source 1",
	"Data from Source 2",
}

func TestRefSeedGather(t *testing.T) {
	base := runtime.NumGoroutine()
	var out refOut
	start := time.Now()
	res, err := rt.Run(refSeedMain(&out), rt.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	if wall := time.Since(start); wall > time.Second {
		t.Errorf("virtual run took %v of wall time", wall)
	}
	refExpect(t, &out, refSeedOutput...)
	if fmt.Sprint(res) != "[Data from Source 1 Data from Source 2]" {
		t.Errorf("results %q", res)
	}
	refSettle(t, base)
}

// §7, advanced: three tasks of different durations.

func refTask(out *refOut, mark, name string, d time.Duration) rt.Coro[string] {
	return rt.Async(func() string {
		out.at("%s Task %s started", mark, name)
		rt.Await(rt.Sleep(d))
		out.at("%s Task %s completed", mark, name)
		return "Result " + name
	})
}

func TestRefSeedGatherThree(t *testing.T) {
	var out refOut
	main := rt.Do(func() {
		tasks := []rt.Awaitable[string]{
			rt.Spawn(refTask(&out, "🔵", "A", time.Second)),
			rt.Spawn(refTask(&out, "🟢", "B", 2*time.Second)),
			rt.Spawn(refTask(&out, "🟡", "C", 3*time.Second)),
		}
		results := rt.Await(rt.Gather(tasks...))
		out.at("📊 All Results:")
		for _, r := range results {
			out.printf("%s", r)
		}
	})
	if _, err := rt.Run(main, rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
	refExpect(t, &out,
		"0s 🔵 Task A started",
		"0s 🟢 Task B started",
		"0s 🟡 Task C started",
		"1s 🔵 Task A completed",
		"2s 🟢 Task B completed",
		"3s 🟡 Task C completed",
		"3s 📊 All Results:",
		"Result A",
		"Result B",
		"Result C")
}

// Several loops at once, each on its own goroutine (run with -race).
func TestRefParallelLoops(t *testing.T) {
	for i := range 8 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			for range 20 {
				var out refOut
				if _, err := rt.Run(refSeedMain(&out), rt.WithVirtualClock()); err != nil {
					t.Fatal(err)
				}
				refExpect(t, &out, refSeedOutput...)
				// Tasks left suspended, ended by Close.
				loop := rt.NewLoop(rt.WithVirtualClock())
				rt.SpawnOn(loop, refLongRunningTask(&refOut{}))
				rt.RunUntilComplete(loop, rt.Sleep(1500*time.Millisecond))
				if err := loop.Close(); err == nil {
					t.Fatal("Close with a pending task returned nil")
				}
			}
		})
	}
}
