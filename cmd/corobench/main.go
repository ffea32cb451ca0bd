// Command corobench runs one workload of the peer benchmarks on corogen's
// coroutines and prints the peers' output line (see BENCHMARKS.md and
// /work/shared/peers/README.md):
//
//	corobench <workload> <peer> <N>
//	workload=<w> peer=<p> n=<N> ns_per_op=<f> peak_rss_kib=<i> bytes_per_task=<f or ->
//
// Workloads: yield, spawn_gather, sleepers, chain. Peers: go-coro (the real
// clock), go-coro-virtual (sleepers only: rt.WithVirtualClock),
// go-coro-eager (spawn_gather only: rt.WithEagerTasks, so a task starts when
// it is spawned, as Node's async functions and asyncio 3.12's eager tasks do),
// go-alloc-floor (spawn_gather only: bench.AllocFloor, the task objects'
// memory without a runtime, the floor every go-coro row sits on). It runs with
// GOMAXPROCS=1, like the Go peers. A failed check prints "check failed: ..."
// to stderr and exits 1; bad arguments exit 2.
//
// COROBENCH_CPUPROFILE=file writes a CPU profile of the whole run (for
// go tool pprof); leave it unset for measurements. COROBENCH_VERBOSE=1
// prints details to stderr (for sleepers: when the RSS sample was taken).
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/corogen/corogen/bench"
	"github.com/corogen/corogen/rt"
)

func check(ok bool, what string) {
	if !ok {
		fmt.Fprintln(os.Stderr, "check failed:", what)
		os.Exit(1)
	}
}

func must[T any](v T, err error) T {
	check(err == nil, fmt.Sprint(err))
	return v
}

func usage(msg string) {
	fmt.Fprintln(os.Stderr, msg)
	fmt.Fprintln(os.Stderr, "usage: corobench <yield|spawn_gather|sleepers|chain> <go-coro|go-coro-virtual|go-coro-eager|go-alloc-floor> <N>")
	os.Exit(2)
}

func main() {
	if len(os.Args) != 4 {
		usage("want 3 arguments")
	}
	workload, peer := os.Args[1], os.Args[2]
	n, err := strconv.Atoi(os.Args[3])
	check(err == nil && n > 0, "N")
	runtime.GOMAXPROCS(1)
	if path := os.Getenv("COROBENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		check(err == nil, fmt.Sprint(err))
		check(pprof.StartCPUProfile(f) == nil, "cpu profile")
		defer pprof.StopCPUProfile()
	}

	var opts []rt.Option
	switch {
	case peer == "go-coro":
	case peer == "go-coro-virtual" && workload == "sleepers":
		opts = append(opts, rt.WithVirtualClock())
	case peer == "go-coro-eager" && workload == "spawn_gather":
		opts = append(opts, rt.WithEagerTasks())
	case peer == "go-alloc-floor" && workload == "spawn_gather":
	default:
		usage(fmt.Sprintf("unknown workload/peer %s/%s", workload, peer))
	}

	ops := n // ns_per_op = elapsed / ops
	bytesPerTask := "-"
	var elapsed time.Duration

	switch workload {
	case "yield": // one task awaits rt.Sleep(0) n times
		elapsed = must(rt.Run(bench.Yield(n), opts...))

	case "spawn_gather": // n tasks returning their index, gathered
		var r bench.Timed[[]int]
		if peer == "go-alloc-floor" {
			r = bench.AllocFloor(n)
		} else {
			r = must(rt.Run(bench.SpawnGather(n), opts...))
		}
		elapsed = r.Elapsed
		sum := 0
		for _, v := range r.V {
			sum += v
		}
		check(len(r.V) == n && sum == n*(n-1)/2, "gather sum")

	case "sleepers": // n tasks sleeping 200..400 ms at once
		delays := bench.DelaysMs(n)
		r := must(rt.Run(bench.Sleepers(delays, bench.RSS), opts...))
		if os.Getenv("COROBENCH_VERBOSE") != "" {
			fmt.Fprintf(os.Stderr, "sleepers: RSS %d -> %d KiB, sampled %v after the start, %v in all\n", r.RSS0, r.RSS1, r.SampleAt, r.Elapsed)
		}
		check(r.DoneAtSample == 0, fmt.Sprint("a sleeper woke before the RSS sample, taken ", r.SampleAt, " after start"))
		check(r.Done == n, "sleepers done")
		elapsed = r.Elapsed
		bytesPerTask = fmt.Sprintf("%.1f", float64(r.RSS1-r.RSS0)*1024/float64(n))

	case "chain": // m = n/100 awaits of a depth-100 async recursion
		m := n / 100
		r := must(rt.Run(bench.Chain(m), opts...))
		elapsed = r.Elapsed
		ops = m * 100
		check(r.V == m*100, "chain total")

	default:
		usage("unknown workload " + workload)
	}
	fmt.Printf("workload=%s peer=%s n=%d ns_per_op=%.2f peak_rss_kib=%d bytes_per_task=%s\n",
		workload, peer, n, float64(elapsed.Nanoseconds())/float64(ops), bench.ProcStatus("VmHWM"), bytesPerTask)
}
