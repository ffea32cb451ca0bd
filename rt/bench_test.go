package rt_test

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// BenchmarkSleep0 is the round trip of one await of Sleep(0): the task
// suspends, the loop turns, the task resumes.
func BenchmarkSleep0(b *testing.B) {
	l := rt.NewLoop(rt.WithVirtualClock())
	defer l.Close()
	b.ReportAllocs()
	b.ResetTimer()
	must(rt.RunUntilComplete(l, yieldN(b.N, 0)))
}

// BenchmarkSleepTimer is one await of a 1ms sleep under the virtual clock:
// through the timer heap.
func BenchmarkSleepTimer(b *testing.B) {
	l := rt.NewLoop(rt.WithVirtualClock())
	defer l.Close()
	b.ReportAllocs()
	b.ResetTimer()
	must(rt.RunUntilComplete(l, yieldN(b.N, time.Millisecond)))
}

// BenchmarkSpawnComplete is one task spawned, run and finished: its
// coroutine object's allocation, SpawnOn, one poll and finish.
func BenchmarkSpawnComplete(b *testing.B) {
	l := rt.NewLoop(rt.WithVirtualClock())
	defer l.Close()
	mk := func(i int) rt.Coro[rt.Void] { return noop() }
	b.ReportAllocs()
	b.ResetTimer()
	must(rt.RunUntilComplete(l, spawner(b.N, 1000, mk, nil)))
}

// BenchmarkSpawnCompleteRuntimeOnly is BenchmarkSpawnComplete without the
// coroutine objects' allocation, which is made before the timer runs: the
// runtime's own cost per task (SpawnOn, the step, finish), apart from the
// allocator and the GC, whose cost depends on the heap and the machine.
func BenchmarkSpawnCompleteRuntimeOnly(b *testing.B) {
	const batch = 10_000
	l := rt.NewLoop(rt.WithVirtualClock())
	defer l.Close()
	objs := make([]rt.Coro[rt.Void], batch)
	mk := func(i int) rt.Coro[rt.Void] { return objs[i] }
	b.ResetTimer()
	for done := 0; done < b.N; done += batch {
		n := min(batch, b.N-done)
		b.StopTimer()
		for i := range n {
			objs[i] = noop()
		}
		runtime.GC() // so that the timed part does not pay for this allocation
		b.StartTimer()
		must(rt.RunUntilComplete(l, spawner(n, 1000, mk, nil)))
	}
}

// BenchmarkSpawnGather is the suite's spawn_gather workload: spawn 1000
// tasks that return their index, gather them, check the sum. ns/op is per
// task.
func BenchmarkSpawnGather(b *testing.B) {
	const n = 1000
	l := rt.NewLoop(rt.WithVirtualClock())
	defer l.Close()
	aws := make([]rt.Awaitable[int], n)
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += n {
		for i := range aws {
			aws[i] = rt.SpawnOn(l, value(i))
		}
		res := must(rt.RunUntilComplete(l, rt.GatherOn(l, aws...)))
		sum := 0
		for _, v := range res {
			sum += v
		}
		if sum != n*(n-1)/2 {
			b.Fatal("sum", sum)
		}
	}
}

// BenchmarkSleepers is the sleepers workload: every task sleeps once, all
// of them at the same time (rounds of up to 100k concurrent tasks). It
// reports the heap bytes per suspended task.
func BenchmarkSleepers(b *testing.B) {
	const round = 100_000
	var perTask float64
	b.ReportAllocs()
	for done := 0; done < b.N; done += round {
		n := min(round, b.N-done)
		if p := sleepers(b, n, done == 0 && n == round); p > 0 {
			perTask = p
		}
	}
	if perTask > 0 {
		b.ReportMetric(perTask, "B/sleeper")
	}
}

// sleepers runs n tasks that each sleep 200–400ms of virtual time; with
// measure set it returns the heap bytes per task while all are suspended.
func sleepers(tb testing.TB, n int, measure bool) (perTask float64) {
	l := rt.NewLoop(rt.WithVirtualClock())
	defer l.Close()
	var before, during runtime.MemStats
	var first func()
	if measure {
		runtime.GC()
		runtime.ReadMemStats(&before)
		first = func() {
			runtime.GC()
			runtime.ReadMemStats(&during)
		}
	}
	d := func(i int) time.Duration {
		return 200*time.Millisecond + time.Duration(i*7919%200_000)*time.Microsecond
	}
	must(rt.RunUntilComplete(l, spawner(n, n, func(i int) rt.Coro[rt.Void] { return sleepOnce(d(i)) }, first)))
	must(rt.RunUntilComplete(l, rt.Sleep(time.Second)))
	if got := len(l.AllTasks()); got != 0 {
		tb.Fatalf("%d sleepers still pending", got)
	}
	if !measure {
		return 0
	}
	return float64(during.HeapAlloc-before.HeapAlloc) / float64(n)
}

// BenchmarkMillionSleepers runs 1,000,000 concurrent sleeping tasks in one
// loop per iteration (run it with -benchtime=1x).
func BenchmarkMillionSleepers(b *testing.B) {
	b.ReportAllocs()
	var perTask float64
	for range b.N {
		perTask = sleepers(b, 1_000_000, true)
	}
	b.ReportMetric(perTask, "B/sleeper")
}

// TestMillionSleepers is heavy; it runs with CORO_HEAVY=1.
func TestMillionSleepers(t *testing.T) {
	if os.Getenv("CORO_HEAVY") == "" {
		t.Skip("set CORO_HEAVY=1 to run 1,000,000 concurrent tasks")
	}
	perTask := sleepers(t, 1_000_000, true)
	t.Logf("%.0f heap bytes per suspended task", perTask)
}
