package rt

import "fmt"

// StateDone is the State of a machine that has completed.
const StateDone = -1

// Frame is embedded in every generated machine: where to resume and, once
// the machine has completed, its outcome. State 0 is the start; each await
// has its own positive state; StateDone marks completion.
type Frame[T any] struct {
	value T
	State int
	fail  *failure // nil unless the machine failed
}

// failure boxes a machine's failure: an error, or *panicked for a panic.
// A pointer is half an error's size in every frame, and failing is rare;
// the failures of a cancellation storm share one box.
type failure struct{ err error }

var cancelledFailure = &failure{ErrCancelled}

func boxFailure(err error) *failure {
	if err == ErrCancelled {
		return cancelledFailure
	}
	return &failure{err}
}

// Complete records a successful result and reports completion.
func (f *Frame[T]) Complete(v T) bool {
	f.value, f.State = v, StateDone
	if f.fail != nil { // a write of nil is still a write barrier while the GC marks
		f.fail = nil
	}
	return true
}

// Fail records a failure (an error, a cancellation or a panic carried by
// Defers or Outcome) and reports completion.
func (f *Frame[T]) Fail(err error) bool {
	var zero T
	f.value, f.fail, f.State = zero, boxFailure(err), StateDone
	return true
}

// Return completes with v, or fails with err when err is not nil; it is the
// end of an AsyncErr or DoErr body.
func (f *Frame[T]) Return(v T, err error) bool {
	if err != nil {
		return f.Fail(err)
	}
	return f.Complete(v)
}

// Result is the machine's outcome once it has completed: its value or its
// error. A panic is returned as an error that IsPanic recognises; awaiting
// code unwinds with it as with any failure, and rt.Try does not catch it.
func (f *Frame[T]) Result() (T, error) { return f.value, f.Err() }

// storeResult implements anyMachine's: *dst.(*T) = the value, or the failure.
func (f *Frame[T]) storeResult(dst any) error {
	if f.fail != nil {
		return f.fail.err
	}
	*dst.(*T) = f.value
	return nil
}

// Err is the machine's failure once it has completed, or nil.
func (f *Frame[T]) Err() error {
	if f.fail == nil {
		return nil
	}
	return f.fail.err
}

// Restart prepares an embedded machine to run again; the generated start
// method calls it before storing the new arguments.
func (f *Frame[T]) Restart() {
	var zero T
	f.value, f.fail, f.State = zero, nil, 0
}

// PolledAfterDone panics: a machine was resumed after it had completed,
// which only happens when one coroutine object is awaited twice.
func PolledAfterDone(name string) bool {
	panic(fmt.Sprintf("rt: coroutine %s resumed after it completed: a coroutine object can be awaited once; spawn it as a task to await its result many times", name))
}
