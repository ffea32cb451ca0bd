package rt

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// DumpTasks writes a table of the running loop's live tasks to w, oldest
// first, like `python -m asyncio ps`: each task's name, state, coroutine,
// the source position (file:line) of the await it is suspended at, and what
// that await waits for. Off the loop, use loop.DumpTasks.
//
//	TASK    STATE    COROUTINE    AT            AWAITING
//	Task-1  running  main.Main
//	Task-2  waiting  main.Worker  worker.go:42  sleep until 2s
//	Task-3  waiting  main.Fetch   fetch.go:17   task Task-2
//
// The states: running (the task calling DumpTasks), ready (scheduled to run
// on a coming turn), waiting (suspended at an await), new (never run yet);
// "cancelling" follows a state when a cancellation is yet to be delivered.
func DumpTasks(w io.Writer) error {
	return currentLoop("DumpTasks", "loop.DumpTasks(w)").DumpTasks(w)
}

// DumpTasks writes the table of the loop's live tasks described at the
// package function DumpTasks. It must be called on the loop's goroutine
// (from a task or a callback) or while the loop is not running.
func (l *Loop) DumpTasks(w io.Writer) error {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "TASK\tSTATE\tCOROUTINE\tAT\tAWAITING\t")
	for _, cx := range l.liveTasks() {
		at, awaiting := "", ""
		if cx != l.current {
			at, awaiting = cx.Where(), cx.awaiting()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", cx.Name(), cx.dumpState(), cx.root.CoroName(), at, awaiting)
	}
	tw.Flush()
	var t strings.Builder
	for line := range strings.Lines(b.String()) {
		t.WriteString(strings.TrimRight(line, " \n"))
		t.WriteByte('\n')
	}
	_, err := io.WriteString(w, t.String())
	return err
}

func (cx *Ctx) dumpState() string {
	var s string
	switch {
	case cx.loop.current == cx:
		s = "running"
	case cx.flags&fStarted == 0:
		s = "new"
	case cx.flags&fScheduled != 0:
		s = "ready"
	default:
		s = "waiting"
	}
	if cx.flags&fCancelPending != 0 {
		s += " cancelling"
	}
	return s
}

// awaiting describes what the task's suspended await waits for.
func (cx *Ctx) awaiting() string {
	switch leaf := cx.leaf().(type) {
	case nil:
		if cx.flags&fWaiting != 0 {
			return "sleep(0)"
		}
		return ""
	case *Ctx:
		return "task " + leaf.Name()
	case *timer:
		if leaf.idx < 0 {
			return "sleep, woken" // it has not run since its timer fired or was cancelled
		}
		return "sleep until " + time.Duration(cx.loop.timers.when(leaf)).String()
	case fmt.Stringer:
		return leaf.String()
	}
	return ""
}

// Descriptions of the leaves of this package's awaits, for DumpTasks.

func (m *waitM[W]) String() string {
	mode := [...]string{"all", "first", "first error"}[m.mode]
	return fmt.Sprintf("wait (%s), %d of %d pending", mode, m.left, len(m.ws))
}

func (c *Completions[W]) String() string {
	return fmt.Sprintf("next completed, %d left", c.left)
}

func (e *slotEntry) String() string { return "a slot in " + e.g.String() }

func (m *threadCall[T]) String() string { return "thread" }

func (g *gather[T]) String() string {
	return fmt.Sprintf("gather, %d of %d pending", g.remaining, len(g.out))
}
