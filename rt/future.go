package rt

import "fmt"

// Future is a result that something else will set (asyncio's Future): a
// callback, another task, or another goroutine through CallSoonThreadsafe.
// Tasks that await it resume once it is set. A Future must be used from
// the loop's goroutine.
type Future[T any] struct {
	value   T
	err     error
	done    bool
	waiters *waitNode
}

// NewFuture returns a pending future.
func NewFuture[T any]() *Future[T] { return &Future[T]{} }

// SetResult completes the future with v and wakes the tasks awaiting it. It
// returns false, changing nothing, if the future was already done (set, or
// cancelled by an awaiting task's cancellation).
func (f *Future[T]) SetResult(v T) bool {
	if f.done {
		return false
	}
	f.value = v
	f.complete()
	return true
}

// SetError fails the future with err (which must not be nil); awaiting it
// fails with err. It returns false if the future was already done.
func (f *Future[T]) SetError(err error) bool {
	if err == nil {
		panic("rt: Future.SetError(nil); use SetResult")
	}
	if f.done {
		return false
	}
	f.err = err
	f.complete()
	return true
}

// Cancel fails the future with ErrCancelled; it returns false if it was
// already done.
func (f *Future[T]) Cancel() bool { return f.SetError(ErrCancelled) }

func (f *Future[T]) complete() {
	f.done = true
	if w := f.waiters; w != nil {
		f.waiters = nil
		wakeAll(w, nil)
	}
}

// Done reports whether the future has a result or an error.
func (f *Future[T]) Done() bool { return f.done }

// Cancelled reports whether the future was cancelled.
func (f *Future[T]) Cancelled() bool { return f.done && isCancelled(f.err) }

// Result returns the value or error, or ErrNotDone.
func (f *Future[T]) Result() (T, error) {
	if !f.done {
		var zero T
		return zero, ErrNotDone
	}
	return f.value, f.err
}

// String returns "future pending", "future done" or "future failed: <err>".
func (f *Future[T]) String() string {
	switch {
	case !f.done:
		return "future pending"
	case f.err != nil:
		return fmt.Sprintf("future failed: %v", f.err)
	}
	return "future done"
}

// Poll waits for the future (the await protocol).
func (f *Future[T]) Poll(cx *Ctx) bool {
	if !cx.resumed() {
		if f.done {
			return true
		}
		addWaiter(&f.waiters, cx.waiterNode())
		cx.suspend(f)
		return false
	}
	if !f.done {
		return false
	}
	cx.resume()
	return true
}

// Outcome returns the future's result to the awaiting task.
func (f *Future[T]) Outcome(cx *Ctx) (T, error) {
	if cx.delivered() {
		var zero T
		return zero, ErrCancelled
	}
	return f.value, f.err
}

// cancelWait: a task awaiting the future was cancelled, which cancels the
// future, as in asyncio.
func (f *Future[T]) cancelWait(cx *Ctx) { f.Cancel() }
