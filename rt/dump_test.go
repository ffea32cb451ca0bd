package rt

import (
	"strings"
	"testing"
	"time"
)

// DumpTasks works on a loop that is not running, listing every task.
func TestDumpTasksOffLoop(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	a := sleepTask(l, time.Hour)
	a.SetName("sleepy")
	RunUntilComplete(l, Sleep(time.Second))
	SpawnOn(l, awaitCoro[Void](Sleep(0)))
	var b strings.Builder
	if err := l.DumpTasks(&b); err != nil {
		t.Fatal(err)
	}
	want := "TASK    STATE    COROUTINE  AT  AWAITING\n" +
		"sleepy  waiting  rt.Await       sleep until 1h0m0s\n" +
		"Task-3  new      rt.Await\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	a.Cancel()
	RunUntilComplete(l, a)
	l.Close()
}
