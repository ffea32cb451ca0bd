package rt

import (
	"log"
	"runtime"
	"sync/atomic"
)

// UnretrievedError reports a task that failed with an error nobody
// retrieved: its task object was garbage-collected before anyone awaited
// it, gathered it or called Result (asyncio's "Task exception was never
// retrieved"). Cancellations are not reported, and panics never get here:
// Run re-panics with them.
type UnretrievedError struct {
	Task      string // the task's name
	Coroutine string // its coroutine, as "pkg.Func"
	Err       error  // the error the task failed with
}

func (e *UnretrievedError) Error() string {
	return "rt: task " + e.Task + " (" + e.Coroutine + ") failed and its error was never retrieved: " + e.Err.Error()
}

func (e *UnretrievedError) Unwrap() error { return e.Err }

// WithExceptionHandler sets what the loop does with an error it would
// otherwise lose (asyncio's loop.set_exception_handler): the error of a
// task nobody retrieved, as an *UnretrievedError. By default it is logged
// with the log package. The handler runs on a goroutine of the Go runtime
// (after a garbage collection), not on the loop: it must be safe to call
// from there.
func WithExceptionHandler(h func(error)) Option {
	return func(l *Loop) { l.errorHandler = h }
}

func logError(err error) { log.Print(err) }

// unretrieved is the report of a failed task, made when it fails unless
// its outcome was already asked for, and handed to a cleanup of the task's
// object. Reading the outcome later marks it retrieved.
type unretrieved struct {
	err       UnretrievedError
	handler   func(error)
	retrieved atomic.Bool // written on the loop, read by the cleanup
}

func (u *unretrieved) report() {
	if !u.retrieved.Load() {
		u.handler(&u.err)
	}
}

// watchError arranges for the error of a task that has just failed to be
// reported if the task is collected with its error never retrieved.
func (l *Loop) watchError(cx *Ctx, err error) {
	h := l.errorHandler
	if h == nil {
		h = logError
	}
	u := &unretrieved{err: UnretrievedError{Task: cx.Name(), Coroutine: cx.root.CoroName(), Err: err}, handler: h}
	cx.more().unretrieved = u
	runtime.AddCleanup(cx, (*unretrieved).report, u)
}

// retrieve records that the task's outcome was read or is awaited.
func (cx *Ctx) retrieve() {
	cx.flags |= fRetrieved
	if cx.extra != nil && cx.extra.unretrieved != nil {
		cx.extra.unretrieved.retrieved.Store(true)
	}
}
