//go:build corosrc

package loophog

import (
	"log"
	"testing"

	"github.com/corogen/corogen/rt"
)

// Calls that do not return are a way out of a loop: log.Fatal and the like,
// and the Fatal and Skip methods of *testing.T and testing.TB.

//coro:async
func NoReturn(t *testing.T, tb testing.TB, l *log.Logger) rt.Coro[int] { // want NoReturn:"async"
	return rt.Async(func() int {
		for {
			if work > 1 {
				log.Fatal("too much")
			}
			work++
		}
		for {
			if work > 2 {
				log.Fatalf("too much: %d", work)
			}
			work++
		}
		for {
			if work > 3 {
				l.Panicln("too much")
			}
			work++
		}
		for {
			if work > 4 {
				t.Fatal("too much")
			}
			work++
		}
		for {
			if work > 5 {
				t.SkipNow()
			}
			work++
		}
		for {
			if work > 6 {
				tb.Fatalf("too much: %d", work)
			}
			work++
		}
	})
}
