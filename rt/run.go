package rt

import (
	"errors"
	"fmt"
)

// RunUntilComplete runs the loop until a has completed and returns its
// result (asyncio's loop.run_until_complete). A coroutine is scheduled as a
// task behind those already spawned on the loop. If the coroutine panicked,
// RunUntilComplete panics with a *PanicError. Tasks still pending when it
// returns stay pending for the next call, or for Close.
func RunUntilComplete[T any](l *Loop, a Awaitable[T]) (T, error) {
	var zero T
	switch {
	case l.closed:
		return zero, ErrLoopClosed
	case l.running:
		return zero, ErrLoopRunning
	case runningLoop() != nil: // checked before a coroutine is spawned on l
		return zero, errNested
	}
	t := mainTask(l, a)
	if t.loop != l {
		return zero, fmt.Errorf("rt: RunUntilComplete of %v, which belongs to another loop", t)
	}
	if err := l.runUntil(&t.Ctx); err != nil {
		return zero, err
	}
	return mainResult(t)
}

func mainTask[T any](l *Loop, a Awaitable[T]) *Task[T] {
	switch a := a.(type) {
	case *Task[T]:
		return a
	case Coro[T]:
		return SpawnOn(l, a)
	}
	return SpawnOn(l, awaitCoro(a))
}

func mainResult[T any](t *Task[T]) (T, error) {
	t.retrieve()
	v, err := t.result()
	if p, ok := panicAcross(err).(*panicked); ok {
		panic(p.value)
	}
	return v, err
}

// runUntil runs turns of the loop until main is done (until every task is,
// when main is nil).
func (l *Loop) runUntil(main *Ctx) error {
	id := goid()
	if other, ok := runningLoops.Load(id); ok && other != l {
		return errNested
	}
	l.running, l.goid = true, id
	runningLoops.Store(id, l)
	defer func() {
		l.running = false
		runningLoops.Delete(id)
	}()
	for l.turn > 0 || !l.finished(main) { // see run
		if err := l.run(main); err != nil {
			return err
		}
	}
	return nil
}

// errNested: asyncio too refuses to run a loop inside a running one.
var errNested = fmt.Errorf("rt: another loop is running on this goroutine, and a loop cannot run inside another: %w", ErrLoopRunning)

// Run runs c on a new loop until it completes and returns its result
// (asyncio.run): then it cancels the tasks still pending, runs them until
// they have unwound, and closes the loop. If c panicked, or a task panicked
// with nobody awaiting it, Run panics with a *PanicError.
func Run[T any](c Coro[T], opts ...Option) (T, error) {
	var zero T
	if runningLoop() != nil {
		return zero, errNested
	}
	l := NewLoop(opts...)
	t := SpawnOn(l, c)
	err := l.runUntil(&t.Ctx)
	// The loop can stop before main is done (a deadlock); the shutdown
	// then cancels main too, and the error to report is the loop's, not
	// that cancellation.
	mainDone := t.flags&fDone != 0
	if serr := l.shutdown(); err == nil && serr != nil {
		err = fmt.Errorf("rt: shutting down after the main coroutine: %w", serr)
	}
	cerr := l.Close()
	if !mainDone {
		l.repanicOrphan()
		return zero, errors.Join(err, cerr)
	}
	v, rerr := mainResult(t)
	l.repanicOrphan()
	if rerr == nil && err != nil {
		rerr = err
	}
	return v, rerr
}

// repanicOrphan panics with the first panic of a task that nobody awaited
// or asked the result of, so that it is not lost.
func (l *Loop) repanicOrphan() {
	for _, o := range l.orphans {
		if o.flags&fRetrieved == 0 {
			panic(panicAcross(o.err()).(*panicked).value)
		}
	}
}

// shutdown cancels every pending task and runs the loop until all of them
// have finished and the functions running in ToThread have returned.
func (l *Loop) shutdown() error {
	if l.finished(nil) {
		return nil
	}
	for _, cx := range l.liveTasks() {
		cx.Cancel()
	}
	return l.runUntil(nil)
}
