//go:build corosrc

package rt

// These are the functions an async function's source is written with, as
// the reference runtime (-tags corosrc) runs them: each coroutine on a
// goroutine of its own that takes turns with the loop (see ref_machine.go).
// Their default-build counterparts are in await.go.

// Await suspends the calling coroutine until a completes and returns its
// value. If a fails, or the task is cancelled while waiting, Await does not
// return: the coroutine unwinds, running its deferred calls, and fails with
// the same error.
func Await[T any](a Awaitable[T]) T {
	c := currentRef("Await")
	c.awaitAt(a)
	v, err, _ := refAwait(c, a)
	c.awaiting = nil
	if err != nil {
		c.unwind(err)
	}
	return v
}

// Try is Await that returns the failure instead of unwinding: the zero value
// and the error (ErrCancelled if the task was cancelled while waiting). A
// panic is not a failure it returns: it goes on unwinding as with Await
// (with its own value out of a coroutine awaited in place, as a
// *PanicError out of a task).
func Try[T any](a Awaitable[T]) (T, error) {
	c := currentRef("Try")
	c.awaitAt(a)
	v, err, closed := refAwait(c, a)
	c.awaiting = nil
	if closed {
		// The loop closed under a suspended coroutine: that cannot be
		// caught, so that the goroutine always ends.
		c.unwind(err)
	}
	return v, err
}

// Async is the body of an async function returning a T:
//
//	//coro:async
//	func F(x int) rt.Coro[T] { return rt.Async(func() T { ... }) }
func Async[T any](f func() T) Coro[T] {
	return newRef(func() (T, error) { return f(), nil })
}

// AsyncErr is the body of an async function that returns a value or fails.
func AsyncErr[T any](f func() (T, error)) Coro[T] {
	return newRef(f)
}

// Do is the body of an async function that returns nothing.
func Do(f func()) Coro[Void] {
	return newRef(func() (Void, error) { f(); return Void{}, nil })
}

// DoErr is the body of an async function that returns only an error.
func DoErr(f func() error) Coro[Void] {
	return newRef(func() (Void, error) { return Void{}, f() })
}
