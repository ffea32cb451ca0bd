package rt_test

import (
	"strings"
	"testing"

	"github.com/corogen/corogen/rt"
)

// DumpTasks names what a task waits for at every kind of await: the
// primitive and its state, in both build modes. (A condition waiter has
// released the lock; WaitFor shows the awaitable it guards.)
func TestDumpTasksDescribesEveryWait(t *testing.T) {
	dump, err := rt.Run(dumpWaits(), rt.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	lines := strings.Split(strings.TrimSpace(dump), "\n")
	col := strings.Index(lines[0], "AWAITING")
	for _, line := range lines[1:] {
		if len(line) > col {
			got[strings.Fields(line)[0]] = line[col:]
		}
	}
	for name, want := range map[string]string{
		"lock":        "acquire: lock locked, waiters:1",
		"event":       "wait: event unset, waiters:1",
		"condition":   "wait: condition unlocked, waiters:1",
		"semaphore":   "acquire: semaphore locked, waiters:1",
		"barrier":     "wait: barrier filling, waiters:1/3",
		"get":         "get: queue maxsize=1 qsize=0 getters=1",
		"put":         "put: queue maxsize=1 qsize=1 putters=1 tasks=1",
		"future":      "future pending",
		"gather":      "gather, 1 of 1 pending",
		"shield":      "shield of future pending",
		"waitfor":     "future pending",
		"wait":        "wait (first), 1 of 1 pending",
		"ascompleted": "next completed, 1 left",
		"sleep":       "sleep until 1m0s",
	} {
		if got[name] != want {
			t.Errorf("%s awaits %q, want %q", name, got[name], want)
		}
	}
	if t.Failed() {
		t.Logf("dump:\n%s", dump)
	}
}
