package rt_test

import "github.com/corogen/corogen/rt"

// A task group awaits its children when its body ends; the first failure
// cancels the other children and the body.
func ExampleTaskGroup() {
	rt.Run(exTaskGroup(), rt.WithVirtualClock())
	// Output:
	// <a> <b> <nil> 2s
	// slow cancelled at 3s
	// at 3s: bad url
}

// GoIn waits for a free slot when the group is at its limit.
func ExampleGoIn() {
	rt.Run(exGoIn(), rt.WithVirtualClock())
	// Output:
	// a started at 0s
	// b started at 0s
	// c started at 1s
	// d started at 1s
	// e started at 2s
	// <a><b><c><d><e> at 3s
}

// Wait ends a group whose body is the code around it.
func ExampleTaskGroup_Wait() {
	rt.Run(exTaskGroupWait(), rt.WithVirtualClock())
	// Output:
	// at 1s: bad url
}
