package bench

import (
	"fmt"
	"iter"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/corogen/corogen/rt"
)

// The benchmarks put corogen's coroutines (peer=go-coro) next to the Go
// peers of /work/shared/peers/go on the same workloads, in one process, so
// that one run compares them:
//
//	go test -run '^$' -bench . -benchmem -count 6 ./bench | tee new.txt
//	benchstat -col /peer new.txt
//
// Every peer runs with GOMAXPROCS=1, as in the peer programs, except the
// ones whose name ends in -mp (GOMAXPROCS=2, or NumCPU if that is less).
// ns/op is per await (yield), per task (spawn_gather), per round of
// sleepersN tasks (sleepers; also reported as ns/task) and per level of
// recursion (chain).

// onProcs runs b with GOMAXPROCS=procs.
func onProcs(b *testing.B, procs int, f func(b *testing.B)) {
	old := runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(old)
	f(b)
}

// procsOf is the GOMAXPROCS of a peer: 1, or 2 for a name ending in -mp.
func procsOf(peer string) int {
	if len(peer) > 3 && peer[len(peer)-3:] == "-mp" {
		return min(2, runtime.NumCPU())
	}
	return 1
}

// must returns v, panicking if err is not nil (in benchmarks and tests
// where an error is a bug).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

type peer struct {
	name string
	run  func(b *testing.B)
}

func runPeers(b *testing.B, peers []peer) {
	for _, p := range peers {
		b.Run("peer="+p.name, func(b *testing.B) {
			onProcs(b, procsOf(p.name), func(b *testing.B) {
				b.ReportAllocs()
				p.run(b)
			})
		})
	}
}

// BenchmarkYield: one task yields to the scheduler; ns/op is per yield
// (per switch for the channel ping-pong, per next() for iter.Pull).
func BenchmarkYield(b *testing.B) {
	runPeers(b, []peer{
		{"go-coro", func(b *testing.B) {
			l := rt.NewLoop()
			defer l.Close()
			b.ResetTimer()
			must(rt.RunUntilComplete(l, Yield(b.N)))
		}},
		{"go-gosched", func(b *testing.B) {
			for range b.N {
				runtime.Gosched()
			}
		}},
		{"go-chan-pingpong", func(b *testing.B) {
			ping, pong := make(chan int), make(chan int)
			go func() {
				for v := range ping {
					pong <- v + 1
				}
			}()
			defer close(ping)
			b.ResetTimer()
			v := 0
			for range (b.N + 1) / 2 { // two switches per round trip
				ping <- v
				v = <-pong
			}
		}},
		{"go-iter-pull", func(b *testing.B) {
			seq := func(yield func(int) bool) {
				for i := 0; yield(i); i++ {
				}
			}
			next, stop := iter.Pull(iter.Seq[int](seq))
			sum := 0
			for range b.N {
				v, _ := next()
				sum += v
			}
			stop()
			if sum != b.N*(b.N-1)/2 {
				b.Fatal("iter sum", sum)
			}
		}},
	})
}

// spawnGatherRounds runs b.N tasks in rounds of at most n with gather; ns/op
// is per task.
func spawnGatherRounds(b *testing.B, n int, round func(n int) []int) {
	for done := 0; done < b.N; done += n {
		k := min(n, b.N-done)
		res := round(k)
		sum := 0
		for _, v := range res {
			sum += v
		}
		if len(res) != k || sum != k*(k-1)/2 {
			b.Fatalf("gather sum %d of %d results, want %d", sum, len(res), k*(k-1)/2)
		}
	}
}

func goroutinesGather(n int) []int {
	res := make([]int, n)
	var wg sync.WaitGroup
	wg.Add(n)
	for i := range n {
		go func() { res[i] = i; wg.Done() }()
	}
	wg.Wait()
	return res
}

func errgroupGather(n int) []int {
	res := make([]int, n)
	var g errgroup.Group
	for i := range n {
		g.Go(func() error { res[i] = i; return nil })
	}
	if err := g.Wait(); err != nil {
		panic(err)
	}
	return res
}

// spawnGatherSizes are spawn_gather's n: 1e4, 1e5 and 1e6 tasks at once,
// the same in both of its benchmarks so that their rows compare.
var spawnGatherSizes = []int{10_000, 100_000, 1_000_000}

// BenchmarkSpawnGather: spawn n tasks returning their index, wait for all,
// check the sum; ns/op is per task.
func BenchmarkSpawnGather(b *testing.B) {
	for _, n := range spawnGatherSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			runPeers(b, []peer{
				{"go-coro", func(b *testing.B) { spawnGatherRounds(b, n, coroSpawnGather(b)) }},
				{"go-coro-eager", func(b *testing.B) { spawnGatherRounds(b, n, coroSpawnGather(b, rt.WithEagerTasks())) }},
				{"go-goroutine", func(b *testing.B) { spawnGatherRounds(b, n, goroutinesGather) }},
				{"go-goroutine-mp", func(b *testing.B) { spawnGatherRounds(b, n, goroutinesGather) }},
				{"go-errgroup", func(b *testing.B) { spawnGatherRounds(b, n, errgroupGather) }},
				{"go-alloc-floor", func(b *testing.B) { spawnGatherRounds(b, n, allocFloor) }},
			})
		})
	}
}

// BenchmarkSpawnGatherCollectorPaused is BenchmarkSpawnGather's rows that
// keep an object per task, with the garbage collector paused while a round
// runs (and a full collection between rounds, outside the timer, so that
// each round reuses the last one's memory): what remains is the runtime's
// own work and the allocator's, without the collector's marking of the
// growing heap of live tasks and the write barriers it turns on. Set next
// to BenchmarkSpawnGather in one run, it says how much of a row is the
// collector's (BENCHMARKS.md, "spawn_gather: the floor") — at 1e5 and 1e6:
// a round of 1e4 lasts about a millisecond, too short to hide the cold
// caches the collection before it leaves.
func BenchmarkSpawnGatherCollectorPaused(b *testing.B) {
	for _, n := range spawnGatherSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			runPeers(b, []peer{
				{"go-coro", func(b *testing.B) { spawnGatherRounds(b, n, collectorPaused(b, coroSpawnGather(b))) }},
				{"go-coro-eager", func(b *testing.B) {
					spawnGatherRounds(b, n, collectorPaused(b, coroSpawnGather(b, rt.WithEagerTasks())))
				}},
				{"go-alloc-floor", func(b *testing.B) { spawnGatherRounds(b, n, collectorPaused(b, allocFloor)) }},
			})
		})
	}
}

// coroSpawnGather returns a round of spawn_gather on a loop of its own,
// closed when b ends.
func coroSpawnGather(b *testing.B, opts ...rt.Option) func(n int) []int {
	l := rt.NewLoop(opts...)
	b.Cleanup(func() { l.Close() })
	return func(n int) []int { return must(rt.RunUntilComplete(l, SpawnGather(n))).V }
}

func allocFloor(n int) []int { return AllocFloor(n).V }

// collectorPaused returns round with the garbage collector off while it
// runs; before it, outside b's timer, a full collection frees the last
// round's tasks.
func collectorPaused(b *testing.B, round func(n int) []int) func(n int) []int {
	return func(n int) []int {
		b.StopTimer()
		runtime.GC()
		percent := debug.SetGCPercent(-1)
		b.StartTimer()
		res := round(n)
		b.StopTimer()
		debug.SetGCPercent(percent)
		b.StartTimer()
		return res
	}
}

// sleepersN is the size of a round of the sleepers benchmark (the peers'
// N for every runtime).
const sleepersN = 20_000

// liveBytes is the heap and stack memory in use (after a GC when gc is set).
func liveBytes(gc bool) int64 {
	if gc {
		runtime.GC()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse + ms.StackInuse)
}

// sleepersRounds runs b.N rounds of sleepersN sleepers; round returns the
// live bytes of the suspended tasks. It reports ns/task and B/task (the
// growth of heap+stack in use while all tasks are suspended: the peers'
// RSS delta without the process's noise).
func sleepersRounds(b *testing.B, round func(delays []time.Duration) (bytes int64)) {
	delays := DelaysMs(sleepersN)
	var bytes int64
	for range b.N {
		bytes = round(delays)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*sleepersN), "ns/task")
	b.ReportMetric(float64(bytes)/sleepersN, "B/task")
}

func coroSleepers(b *testing.B, opts ...rt.Option) func([]time.Duration) int64 {
	return func(delays []time.Duration) int64 {
		b.StopTimer()
		base := liveBytes(true)
		b.StartTimer()
		r := must(rt.Run(Sleepers(delays, func() int64 { return liveBytes(false) >> 10 }), opts...))
		if r.DoneAtSample != 0 || r.Done != len(delays) {
			b.Fatalf("%d sleepers woke before the sample (at %v), %d of %d done", r.DoneAtSample, r.SampleAt, r.Done, len(delays))
		}
		return r.RSS1<<10 - base
	}
}

func goroutineSleepers(b *testing.B) func([]time.Duration) int64 {
	return func(delays []time.Duration) int64 {
		b.StopTimer()
		base := liveBytes(true)
		b.StartTimer()
		var started, done atomic.Int64
		var wg sync.WaitGroup
		wg.Add(len(delays))
		for _, d := range delays {
			go func() {
				started.Add(1)
				time.Sleep(d)
				done.Add(1)
				wg.Done()
			}()
		}
		for started.Load() < int64(len(delays)) {
			runtime.Gosched()
		}
		live := liveBytes(false)
		if done.Load() != 0 {
			// Creating goroutines is slow on a loaded machine; the peers'
			// program fails such a run, a benchmark notes it.
			b.Logf("%d sleepers woke before the sample: B/task is low", done.Load())
		}
		wg.Wait()
		return live - base
	}
}

// BenchmarkSleepers: sleepersN tasks each sleep 200..400 ms (the peers'
// delays), all at once; ns/op is per round (at least 400 ms of wall time
// except under the virtual clock).
func BenchmarkSleepers(b *testing.B) {
	runPeers(b, []peer{
		{"go-coro", func(b *testing.B) { sleepersRounds(b, coroSleepers(b)) }},
		{"go-coro-virtual", func(b *testing.B) { sleepersRounds(b, coroSleepers(b, rt.WithVirtualClock())) }},
		{"go-goroutine", func(b *testing.B) { sleepersRounds(b, goroutineSleepers(b)) }},
		{"go-goroutine-mp", func(b *testing.B) { sleepersRounds(b, goroutineSleepers(b)) }},
	})
}

// BenchmarkMillionSleepers runs 1,000,000 concurrent sleepers in one loop
// (virtual clock); it is skipped unless CORO_HEAVY=1.
func BenchmarkMillionSleepers(b *testing.B) {
	if os.Getenv("CORO_HEAVY") == "" {
		b.Skip("set CORO_HEAVY=1 to run 1,000,000 concurrent tasks")
	}
	onProcs(b, 1, func(b *testing.B) {
		b.ReportAllocs()
		delays := DelaysMs(1_000_000)
		var bytes int64
		for range b.N {
			bytes = coroSleepers(b, rt.WithVirtualClock())(delays)
		}
		b.ReportMetric(float64(bytes)/1e6, "B/task")
	})
}

//go:noinline
func rec(d int) int {
	if d == 0 {
		return 0
	}
	return rec(d-1) + 1
}

// BenchmarkChain: a depth-100 recursion awaited (called) b.N/100 times;
// ns/op is per level.
func BenchmarkChain(b *testing.B) {
	runPeers(b, []peer{
		{"go-coro", func(b *testing.B) {
			l := rt.NewLoop()
			defer l.Close()
			m := (b.N + 99) / 100
			b.ResetTimer()
			if r := must(rt.RunUntilComplete(l, Chain(m))); r.V != m*100 {
				b.Fatal("chain total", r.V)
			}
		}},
		{"go-plain-call", func(b *testing.B) {
			m := (b.N + 99) / 100
			total := 0
			for range m {
				total += rec(100)
			}
			if total != m*100 {
				b.Fatal("chain total", total)
			}
		}},
	})
}
