// Package bench is corogen's benchmark suite: the four workloads of the
// peer benchmarks (yield, spawn_gather, sleepers, chain; see
// /work/shared/peers/README.md and BENCHMARKS.md) written as async
// functions, and `go test -bench` benchmarks that run them next to the Go
// peers (goroutines, errgroup, runtime.Gosched, channels, iter.Pull, plain
// calls). cmd/corobench runs one workload per process and prints the
// peers' output line; run.sh runs everything interleaved and writes the
// table.
package bench

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/corogen/corogen/rt"
)

// Timed is a workload's result together with the time its measured part
// took.
type Timed[T any] struct {
	V       T
	Elapsed time.Duration
}

// Counters are the sleepers' shared started/done counters.
type Counters struct {
	Started, Done int
}

// SleepersResult is what Sleepers measured.
type SleepersResult struct {
	RSS0, RSS1   int64         // the rss readings before creating the tasks and with all of them suspended
	SampleAt     time.Duration // when RSS1 was taken, from the start
	DoneAtSample int           // sleepers that had woken by then (the check wants 0)
	Done         int           // sleepers that finished (the check wants all)
	Elapsed      time.Duration // the whole run
}

// DelaysMs is the peers' shared delay sequence: a 31-bit LCG seeded with
// 42, 200..400 ms.
func DelaysMs(n int) []time.Duration {
	d := make([]time.Duration, n)
	x := uint32(42)
	for i := range d {
		x = (x*1103515245 + 12345) & 0x7fffffff
		d[i] = time.Duration(200+x%201) * time.Millisecond
	}
	return d
}

// ProcStatus returns a "<Field>: <n> kB" value of /proc/self/status in KiB
// (VmRSS, VmHWM), or -1 if it cannot be read.
func ProcStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			v, err := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			if err != nil {
				return -1
			}
			return v
		}
	}
	return -1
}

// RSS returns VmRSS in KiB.
func RSS() int64 { return ProcStatus("VmRSS") }

// floorMachine has the layout of the machine corogen generates for Ret (a
// Frame[int] and the argument), so that AllocFloor allocates the object a
// spawned Ret is (TestAllocFloorIsTheTaskObject).
type floorMachine struct {
	rt.Frame[int]
	i int
}

// AllocFloor is spawn_gather's memory without a runtime, the peer
// go-alloc-floor: what an eager task leaves behind — the coroutine object
// Ret allocates (its rt.Ctx and machine, 96 bytes), its slot in the slice
// of tasks and its result — allocated, held to the end and read back as a
// gather reads it. It spawns, runs and waits for nothing: run
// next to a runtime that keeps an object of this size per task, it is what
// that runtime pays for memory alone (the garbage collector's marking of
// the growing heap, and in a fresh process the first touch of its pages),
// up to the spread the collector's pacing gives from run to run.
func AllocFloor(n int) Timed[[]int] {
	t0 := time.Now()
	tasks := make([]*rt.WithTask[int, floorMachine], n)
	for i := range n {
		c := new(rt.WithTask[int, floorMachine])
		c.M.i = i
		tasks[i] = c
	}
	res := make([]int, n)
	for i, t := range tasks {
		res[i] = t.M.i
	}
	return Timed[[]int]{V: res, Elapsed: time.Since(t0)}
}
