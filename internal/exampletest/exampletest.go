// Package exampletest runs the examples' programs in-process under the
// virtual clock and captures what they print.
package exampletest

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// Stdout runs f with os.Stdout redirected and returns what it printed.
func Stdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	done := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(r)
		done <- b
	}()
	func() {
		defer func() { os.Stdout = old; w.Close() }()
		f()
	}()
	return string(<-done)
}

// Run runs c to completion on a new loop under the virtual clock, printing
// to a captured stdout, and returns the output, the virtual time it took
// and the coroutine's error.
func Run[T any](t *testing.T, c func() rt.Coro[T]) (out string, elapsed time.Duration, err error) {
	t.Helper()
	start := time.Now()
	out = Stdout(t, func() {
		loop := rt.NewLoop(rt.WithVirtualClock())
		_, err = rt.RunUntilComplete(loop, c())
		elapsed = loop.Now()
		if cerr := loop.Close(); cerr != nil {
			t.Errorf("Close: %v", cerr)
		}
	})
	// A program that sleeps a second or more of virtual time must take less
	// wall time than that: it did not really sleep. (The bound is relative
	// so that a loaded machine does not fail a network example, whose
	// virtual time is near zero.)
	if wall := time.Since(start); elapsed >= time.Second && wall >= elapsed {
		t.Errorf("the virtual clock run took %v of wall time for %v of virtual time", wall, elapsed)
	}
	return out, elapsed, err
}
