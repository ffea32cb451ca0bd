package rt

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// PanicError is how a panic crosses a task boundary: awaiting a task or a
// gather whose coroutine panicked, or rt.Run whose coroutine panicked,
// panics with a *PanicError that holds the original value and the stack of
// the coroutine where it was first raised.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the goroutine's stack where the panic was recovered
}

// Error returns the panic value followed by the coroutine's stack, so that
// an unrecovered re-panic prints where the panic really happened.
func (e *PanicError) Error() string {
	return fmt.Sprintf("%v [recovered from a coroutine]\n\ncoroutine stack:\n%s", e.Value, e.Stack)
}

// Unwrap returns the panic value if it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// panicked carries a panic through the error paths of machines and tasks:
// within a task it is a Go panic in flight (recover() in a deferred function
// returns value); it is not an error a user ever sees.
type panicked struct {
	value any
	stack []byte
}

func (p *panicked) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// IsPanic reports whether err is a panic in flight (from Frame.Result or
// Outcome) rather than a failure; rt.Try returns failures and lets panics
// continue.
func IsPanic(err error) bool {
	_, ok := err.(*panicked)
	return ok
}

// newPanicked wraps a recovered value, capturing the current stack, which
// inside a deferred recover is still the stack of the panic.
func newPanicked(r any) *panicked {
	if p, ok := r.(*panicked); ok {
		return p
	}
	return &panicked{value: r, stack: debug.Stack()}
}

// panicAcross turns a panic outcome into the panic that crosses a task
// boundary: its value becomes a *PanicError (kept as is if it already is one).
func panicAcross(err error) error {
	p, ok := err.(*panicked)
	if !ok {
		return err
	}
	if _, ok := p.value.(*PanicError); ok {
		return p
	}
	return &panicked{value: &PanicError{Value: p.value, Stack: p.stack}, stack: p.stack}
}

// sameValue compares panic values without panicking on incomparable ones.
func sameValue(a, b any) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}

// errorsAsPanicError reports the *PanicError inside err, if any.
func errorsAsPanicError(err error) (*PanicError, bool) {
	var pe *PanicError
	ok := errors.As(err, &pe)
	return pe, ok
}
