package rt

import "runtime/debug"

// Defers is embedded in a generated machine whose function has defer
// statements. The deferred calls live here rather than on the Go stack
// because the function's body spans many polls; they run, last in first
// out, when the body returns, fails or panics, and they may await.
type Defers struct {
	stack   []deferred
	current awaitAny // a deferred await in progress
	failure error    // the outcome in flight: an error, or *panicked
	// beneath is the failure a panic in a deferred call replaced: recovering
	// the panic brings it back, as a recovered panic does not stop Go's
	// runtime.Goexit.
	beneath error
}

type deferred struct {
	fn func(raise func()) // a deferred call, its arguments already evaluated
	aw awaitAny           // or an awaitable to await during the unwinding
}

// awaitAny is an Awaitable whose value is discarded.
type awaitAny interface {
	Poll(cx *Ctx) bool
	err(cx *Ctx) error
}

type discard[T any] struct{ a Awaitable[T] }

func (d discard[T]) Poll(cx *Ctx) bool { return d.a.Poll(cx) }
func (d discard[T]) err(cx *Ctx) error {
	_, err := d.a.Outcome(cx)
	return err
}

// Push defers a call whose function and arguments are already evaluated.
// fn has the form
//
//	func(raise func()) { defer f(args); raise() }
//
// so that f is called by Go's own defer: raise re-raises the panic in flight,
// if any, and recover() in f then behaves exactly as in a Go defer.
func (d *Defers) Push(fn func(raise func())) { d.stack = append(d.stack, deferred{fn: fn}) }

// DeferAwait defers an await of a: `defer rt.Await(conn.Close())`, or a
// deferred function literal that awaits (generated as a coroutine).
func DeferAwait[T any](d *Defers, a Awaitable[T]) {
	d.stack = append(d.stack, deferred{aw: discard[T]{a}})
}

// Reset empties the defer stack when an embedded machine starts again.
func (d *Defers) Reset() { *d = Defers{stack: d.stack[:0]} }

// setFailure records a new outcome in flight, remembering the error failure
// a panic replaces.
func (d *Defers) setFailure(err error) {
	if _, isPanic := err.(*panicked); isPanic {
		if _, wasPanic := d.failure.(*panicked); !wasPanic && d.failure != nil {
			d.beneath = d.failure
		}
	} else {
		d.beneath = nil
	}
	d.failure = err
}

// recovered ends the panic in flight: the failure it replaced, if any, is
// back in flight.
func (d *Defers) recovered() {
	d.failure, d.beneath = d.beneath, nil
}

// Unwind starts unwinding with err: the body failed (an await failed or was
// cancelled) or panicked (err from IsPanic). (Not named Fail or Err: a
// machine embeds both Frame and Defers, and a name they shared would be
// ambiguous, leaving the machine without Frame's Fail and Err.)
func (d *Defers) Unwind(err error) { d.failure = err }

// FinalErr is the error the function ends with after its deferred calls ran:
// the failure in flight if any (a panic not recovered, a failed await),
// otherwise result, the function's own error result (nil for Async and Do).
func (d *Defers) FinalErr(result error) error {
	if d.failure != nil {
		return d.failure
	}
	return result
}

// Recover is recover() inside a deferred function literal that awaits: it
// returns the value of the panic in flight and stops it, or nil.
func (d *Defers) Recover() any {
	p, ok := d.failure.(*panicked)
	if !ok {
		return nil
	}
	d.recovered()
	return p.value
}

// Run runs the deferred calls, last first, until none is left (true) or a
// deferred await must wait (false; call Run again when resumed). A panic in a
// deferred call replaces the one in flight, as in Go; recover() in a
// deferred call stops the panic in flight.
func (d *Defers) Run(cx *Ctx) bool {
	for {
		if d.current != nil {
			done, err := d.pollCurrent(cx)
			if !done {
				return false
			}
			d.current = nil
			if err != nil {
				d.setFailure(err)
			}
			continue
		}
		n := len(d.stack)
		if n == 0 {
			return true
		}
		e := d.stack[n-1]
		d.stack[n-1] = deferred{}
		d.stack = d.stack[:n-1]
		if e.fn != nil {
			d.call(e.fn)
			continue
		}
		d.current = e.aw
	}
}

func (d *Defers) pollCurrent(cx *Ctx) (done bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			done, err = true, newPanicked(r)
			cx.abandonWait()
		}
	}()
	if !d.current.Poll(cx) {
		return false, nil
	}
	return true, d.current.err(cx)
}

// call runs one deferred call. With a panic in flight it runs as Go runs it:
// deferred during a real panic, so that recover() called by the deferred
// function sees it.
func (d *Defers) call(fn func(raise func())) {
	if p, ok := d.failure.(*panicked); ok {
		// Assign only a non-nil *panicked: a nil one stored in the error
		// interface would not compare equal to nil.
		if after := callPanicking(fn, p); after == nil {
			d.recovered()
		} else {
			d.failure = after
		}
		return
	}
	if p := callCatching(fn); p != nil {
		d.setFailure(p)
	}
}

func noPanic() {}

func callCatching(fn func(raise func())) (p *panicked) {
	defer func() {
		if r := recover(); r != nil {
			p = newPanicked(r)
		}
	}()
	fn(noPanic)
	return nil
}

// callPanicking runs fn with raise re-raising p; it returns the panic still
// in flight afterwards, or nil if the deferred function recovered it.
func callPanicking(fn func(raise func()), p *panicked) (after *panicked) {
	defer func() {
		r := recover()
		switch {
		case r == nil:
			after = nil
		case sameValue(r, p.value):
			after = p
		default:
			after = &panicked{value: r, stack: debug.Stack()}
		}
	}()
	raised := false
	fn(func() { raised = true; panic(p.value) })
	if !raised {
		return p // not in Push's form: nothing could recover
	}
	return nil // raised, and the deferred function recovered it
}

// Stepper is a machine with defers: Step is its body, polled by PollCatching.
type Stepper interface {
	Step(cx *Ctx) bool
}

// PollCatching polls a machine that has defers: a panic in its body is
// recovered, recorded in d, and the machine continues at unwind, the state
// that runs its deferred calls.
func PollCatching(cx *Ctx, m Stepper, d *Defers, state *int, unwind int) bool {
	for {
		done, caught := stepCatching(cx, m, d)
		if !caught {
			return done
		}
		*state = unwind
	}
}

func stepCatching(cx *Ctx, m Stepper, d *Defers) (done, caught bool) {
	defer func() {
		if r := recover(); r != nil {
			d.setFailure(newPanicked(r))
			d.current = nil
			cx.abandonWait()
			caught = true
		}
	}()
	return m.Step(cx), false
}
