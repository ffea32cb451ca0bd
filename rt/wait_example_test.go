package rt_test

import "github.com/corogen/corogen/rt"

// Wait returns as the mode says, with the awaitables done and pending;
// WaitTimeout also returns when its time is up, cancelling nothing.
func ExampleWait() {
	rt.Run(exWait(), rt.WithVirtualClock())
	// Output:
	// fast done at 1s
	// first completed at 1s: 1 done, 1 pending
	// timed out at 2s: 1 still pending, not cancelled
	// slow done at 3s
	// result: slow
}

// AsCompleted hands out the tasks as they complete.
func ExampleAsCompleted() {
	rt.Run(exAsCompleted(), rt.WithVirtualClock())
	// Output:
	// a done at 1s
	// next: a
	// b done at 2s
	// next: b
	// c done at 3s
	// next: c
}

// WaitFor cancels what it awaits when the time is up, and fails with
// ErrTimeout, a context.DeadlineExceeded.
func ExampleWaitFor() {
	rt.Run(exWaitFor(), rt.WithVirtualClock())
	// Output:
	// quick done at 1s
	// "quick" <nil>
	// at 3s: rt: timeout: context deadline exceeded (deadline exceeded: true)
	// step 1 done at 4s
	// block at 4.5s: rt: timeout: context deadline exceeded
}

// A timeout scope turns its own cancellation into ErrTimeout at End.
func ExampleTimeout() {
	rt.Run(exTimeout(), rt.WithVirtualClock())
	// Output:
	// at 2s: rt: timeout: context deadline exceeded, expired true
	// short done at 3s
	// <nil>, expired false
}

// Cancelling the task that awaits a shield leaves the shielded task alone.
func ExampleShield() {
	rt.Run(exShield(), rt.WithVirtualClock())
	// Output:
	// caller at 1s: rt: cancelled: context canceled
	// save done at 2s
	// save goes on: save at 2s
}
