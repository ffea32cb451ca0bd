//go:build !corosrc

package recursion

import (
	"testing"

	"github.com/corogen/corogen/rt"
)

// TestWhere reports the innermost await a suspended task waits at.
func TestWhere(t *testing.T) {
	loop := rt.NewLoop(rt.WithVirtualClock())
	task := rt.SpawnOn(loop, Fib(3))
	rt.RunUntilComplete(loop, rt.Sleep(0))
	if w := task.Where(); w != "recursion.go:34" {
		t.Errorf("Where = %q, want recursion.go:34 (the leaf's sleep)", w)
	}
	rt.RunUntilComplete(loop, task)
	if w := task.Where(); w != "" {
		t.Errorf("Where of a finished task = %q", w)
	}
	loop.Close()
}
