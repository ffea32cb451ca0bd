//go:build !corosrc

package rt

import "fmt"

// These are the functions an async function's source is written with. In a
// default build the generated state machines replace every call to them
// inside async functions; reaching one at run time means an async function
// was not transformed.

const notGenerated = "rt.%s called outside generated code: this async function was not transformed; run corogen (or go generate) on its package, or build with -tags corosrc for the reference runtime"

// Await suspends the calling coroutine until a completes and returns its
// value. If a fails, or the task is cancelled while waiting, Await does not
// return: the coroutine unwinds, running its deferred calls, and fails with
// the same error.
func Await[T any](a Awaitable[T]) T { panic(fmt.Sprintf(notGenerated, "Await")) }

// Try is Await that returns the failure instead of unwinding: the zero value
// and the error (ErrCancelled if the task was cancelled while waiting). A
// panic is not a failure it returns: it goes on unwinding as with Await
// (with its own value out of a coroutine awaited in place, as a
// *PanicError out of a task).
func Try[T any](a Awaitable[T]) (T, error) { panic(fmt.Sprintf(notGenerated, "Try")) }

// Async is the body of an async function returning a T:
//
//	//coro:async
//	func F(x int) rt.Coro[T] { return rt.Async(func() T { ... }) }
func Async[T any](f func() T) Coro[T] { panic(fmt.Sprintf(notGenerated, "Async")) }

// AsyncErr is the body of an async function that returns a value or fails.
func AsyncErr[T any](f func() (T, error)) Coro[T] { panic(fmt.Sprintf(notGenerated, "AsyncErr")) }

// Do is the body of an async function that returns nothing.
func Do(f func()) Coro[Void] { panic(fmt.Sprintf(notGenerated, "Do")) }

// DoErr is the body of an async function that returns only an error.
func DoErr(f func() error) Coro[Void] { panic(fmt.Sprintf(notGenerated, "DoErr")) }
