// Package alloctest counts the allocations of coroutines for the tests of
// rt and bench: allocations per unit of work, with the constant cost of a
// run left out.
package alloctest

import (
	"math"
	"testing"

	"github.com/corogen/corogen/rt"
)

// PerUnit returns the allocations per unit of work: it runs mk(n) and
// mk(2n) to completion on one loop (made with opts, the virtual clock if
// none) and divides the difference by n, so that the constant cost of a
// run (the main coroutine, the loop's queues) drops out. The
// process-wide malloc count that testing.AllocsPerRun reads also sees
// stray allocations of the Go runtime, the race detector or a goroutine
// an earlier test left behind; they only ever add, so the difference is
// measured three times and the smallest kept, then rounded to two
// decimals (a stray allocation per run would otherwise show as 0.001).
func PerUnit[T any](t testing.TB, n int, mk func(n int) rt.Coro[T], opts ...rt.Option) float64 {
	t.Helper()
	if opts == nil {
		opts = []rt.Option{rt.WithVirtualClock()}
	}
	l := rt.NewLoop(opts...)
	defer l.Close()
	run := func(n int) float64 {
		return testing.AllocsPerRun(5, func() {
			if _, err := rt.RunUntilComplete(l, mk(n)); err != nil {
				t.Fatal(err)
			}
		})
	}
	best := math.Inf(1)
	for range 3 {
		best = min(best, run(2*n)-run(n))
	}
	return math.Round(best/float64(n)*100) / 100
}
