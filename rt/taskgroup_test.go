package rt

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// groupBody is a Do body that spawns n children made by mk into g.
func groupBody[T any](g *TaskGroup, n int, mk func(i int) Coro[T]) Coro[Void] {
	return drive(n, func(i int) awaitAny {
		SpawnIn(g, mk(i))
		return aw(Sleep(-1)) // no turn: Sleep(<0) is a yield
	})
}

func TestGroupFinishedPanics(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	g := NewTaskGroup()
	if _, err := RunUntilComplete(l, g.Run(groupBody(g, 3, func(int) Coro[Void] { return awaitCoro[Void](Sleep(time.Second)) }))); err != nil {
		t.Fatal(err)
	}
	defer func() {
		r := recover()
		if s := fmt.Sprint(r); !strings.Contains(s, "finished") {
			t.Fatalf("got %v", r)
		}
		l.Close()
	}()
	RunUntilComplete(l, drive(1, func(int) awaitAny {
		SpawnIn(g, awaitCoro[Void](Sleep(0)))
		return aw(Sleep(0))
	}))
}

// Children spawned from a callback (no task to bind to) are awaited by the
// task that awaits Wait.
func TestGroupSpawnFromCallback(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	g := NewTaskGroup()
	var c *Task[Void]
	l.CallSoon(func() { c = SpawnIn(g, awaitCoro[Void](Sleep(time.Second))) })
	if _, err := run(t, l, drive(2, func(i int) awaitAny {
		if i == 0 {
			return aw(Sleep(0))
		}
		return aw(g.Wait())
	})); err != nil || !c.Done() || l.Now() != time.Second {
		t.Fatalf("%v, child done %v at %v", err, c.Done(), l.Now())
	}
}

// The group's links to its children are reused: a group in steady state
// allocates only the children's coroutines.
func TestGroupReusesKids(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	g := NewTaskGroup()
	g.SetLimit(4)
	const n = 100
	RunUntilComplete(l, g.Run(drive(n, func(i int) awaitAny {
		return aw(GoIn(g, awaitCoro[Void](Sleep(time.Millisecond))))
	})))
	kids := 0
	for k := g.free; k != nil; k = k.next {
		kids++
	}
	if kids > 5 || g.pending != 0 || g.active != 0 {
		t.Fatalf("%d links made for at most 4 children at once; pending %d active %d", kids, g.pending, g.active)
	}
	l.Close()
}

// Spawn and await children with a body and SpawnIn: the cost per child
// beyond its coroutine.
func BenchmarkTaskGroupSpawn(b *testing.B) {
	b.ReportAllocs()
	l := NewLoop(WithVirtualClock())
	g := NewTaskGroup()
	b.ResetTimer()
	RunUntilComplete(l, g.Run(groupBody(g, b.N, func(int) Coro[Void] { return awaitCoro[Void](Sleep(0)) })))
}

// GoIn with a limit of 8: every spawn past the first 8 waits for a slot.
func BenchmarkTaskGroupGoInLimit(b *testing.B) {
	b.ReportAllocs()
	l := NewLoop(WithVirtualClock())
	g := NewTaskGroup()
	g.SetLimit(8)
	b.ResetTimer()
	RunUntilComplete(l, g.Run(drive(b.N, func(int) awaitAny {
		return aw(GoIn(g, awaitCoro[Void](Sleep(0))))
	})))
}
