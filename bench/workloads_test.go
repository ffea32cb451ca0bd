package bench

import (
	"os"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// The workloads at small N, with the benchmarks' checks, in both build
// modes (with -tags corosrc they run on the reference runtime).

func TestYield(t *testing.T) {
	if _, err := rt.Run(Yield(1000)); err != nil {
		t.Fatal(err)
	}
}

// TestSpawnGather checks the workload as go-coro and go-coro-eager run it.
func TestSpawnGather(t *testing.T) {
	for _, opts := range [][]rt.Option{nil, {rt.WithEagerTasks()}} {
		const n = 1000
		r, err := rt.Run(SpawnGather(n), opts...)
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for i, v := range r.V {
			if v != i {
				t.Fatalf("result %d = %d", i, v)
			}
			sum += v
		}
		if len(r.V) != n || sum != n*(n-1)/2 {
			t.Fatalf("%d results, sum %d", len(r.V), sum)
		}
	}
}

func TestDelays(t *testing.T) {
	d := DelaysMs(100_000)
	for i, want := range []time.Duration{254, 322, 262, 342, 246} {
		if d[i] != want*time.Millisecond {
			t.Errorf("delay %d = %v, want %dms", i, d[i], want)
		}
	}
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	if sum != 30018570*time.Millisecond {
		t.Errorf("sum of the first 100000 delays = %v, want 30018570ms", sum)
	}
}

// sleepers runs the sleepers workload under the virtual clock (instant).
func sleepers(t *testing.T, n int) SleepersResult {
	r, err := rt.Run(Sleepers(DelaysMs(n), RSS), rt.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	if r.DoneAtSample != 0 || r.Done != n {
		t.Fatalf("%d woke before the sample, %d of %d done", r.DoneAtSample, r.Done, n)
	}
	if r.RSS0 <= 0 || r.RSS1 <= 0 {
		t.Errorf("no RSS readings: %d, %d", r.RSS0, r.RSS1)
	}
	return r
}

func TestSleepers(t *testing.T) { sleepers(t, 1000) }

// TestMillionSleepers runs 1,000,000 concurrent sleepers; it is heavy and
// runs with CORO_HEAVY=1 (corobench sleepers go-coro 1000000 is the
// measured run).
func TestMillionSleepers(t *testing.T) {
	if os.Getenv("CORO_HEAVY") == "" || testing.Short() {
		t.Skip("set CORO_HEAVY=1 to run 1,000,000 concurrent tasks")
	}
	r := sleepers(t, 1_000_000)
	t.Logf("RSS %d -> %d KiB: %.0f bytes per suspended task", r.RSS0, r.RSS1, float64(r.RSS1-r.RSS0)*1024/1e6)
}

func TestChain(t *testing.T) {
	r, err := rt.Run(Chain(10))
	if err != nil || r.V != 1000 {
		t.Fatalf("Chain(10) = %d, %v", r.V, err)
	}
}

func TestNested(t *testing.T) {
	if v, err := rt.Run(Nested(10)); err != nil || v != 90 {
		t.Fatalf("Nested(10) = %d, %v", v, err)
	}
}

func TestSpawnN(t *testing.T) {
	if _, err := rt.Run(SpawnN(250)); err != nil {
		t.Fatal(err)
	}
}
