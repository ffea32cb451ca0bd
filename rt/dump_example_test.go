package rt_test

import "github.com/corogen/corogen/rt"

// DumpTasks shows where every task is suspended.
func ExampleDumpTasks() {
	rt.Run(exDump(), rt.WithVirtualClock())
	// Output:
	// TASK    STATE    COROUTINE       AT                            AWAITING
	// Task-1  running  rt_test.exDump
	// napper  waiting  rt_test.exNap   dump_exampleasync_test.go:19  sleep until 1h0m0s
	// Task-3  waiting  rt_test.exDump  dump_exampleasync_test.go:29  task napper
}
