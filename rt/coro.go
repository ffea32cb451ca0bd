package rt

import "fmt"

// Void is the result type of coroutines that return nothing (Do and DoErr).
type Void = struct{}

// Awaitable is anything rt.Await accepts: a Coro, a *Task, a *Future,
// rt.Sleep's result, rt.Gather's result.
//
// Its two methods are the await protocol that generated code drives; user
// code never calls them. Poll advances the awaited work on behalf of the task
// cx and reports whether it has completed; when it returns false it has
// arranged for cx to be scheduled again once there is progress to observe.
// Outcome returns the result after Poll has returned true; an error is the
// failure the awaiting coroutine unwinds with (ErrCancelled when the
// cancellation of cx was delivered at this await).
type Awaitable[T any] interface {
	Poll(cx *Ctx) bool
	Outcome(cx *Ctx) (T, error)
}

// Machine is a coroutine's state machine: what corogen generates for an
// async function, and what the reference runtime builds around a function
// literal. Poll runs it on behalf of cx until it completes (true) or must
// wait (false, after arranging for cx to be resumed). Result is valid once
// Poll has returned true. CoroName names the async function, as in
// "fetch.FetchData". A machine embeds Frame[T], which provides Result, Err
// and the unexported method the loop reads results through.
type Machine[T any] interface {
	Poll(cx *Ctx) bool
	Result() (T, error)
	Err() error
	CoroName() string
	anyMachine
}

// Coro is a coroutine object: the value an async function returns. Calling
// the async function runs nothing; the coroutine runs when it is awaited or
// spawned as a task, once.
type Coro[T any] struct {
	m    Machine[T]
	slot *Task[T] // storage for the task if the coroutine is spawned; also records who awaits it
}

// NewCoro wraps a machine into a coroutine object. slot is storage for the
// task that runs the machine if it is spawned, allocated together with the
// machine so that a spawned coroutine costs one allocation; it may be nil.
func NewCoro[T any](m Machine[T], slot *Task[T]) Coro[T] {
	if slot == nil {
		slot = new(Task[T])
	}
	return Coro[T]{m: m, slot: slot}
}

// WithTask is the allocation unit of a coroutine object: its machine M
// together with the task that runs it if it is spawned.
type WithTask[T, M any] struct {
	Task Task[T]
	M    M
}

// String returns "coroutine <pkg>.<Func>".
func (c Coro[T]) String() string {
	if c.m == nil {
		return "coroutine <nil>"
	}
	return "coroutine " + c.m.CoroName()
}

// Format prints the coroutine as its String for every verb, so %v of a
// coroutine object reads like Python's repr in both build modes.
func (c Coro[T]) Format(f fmt.State, verb rune) { fmt.Fprint(f, c.String()) }

// Poll drives the coroutine inline in the awaiting task cx (the await protocol).
func (c Coro[T]) Poll(cx *Ctx) bool {
	if c.m == nil {
		panic("rt: await of a zero Coro (a coroutine variable that was never assigned)")
	}
	if s := c.slot; s.awaiter != cx || s.loop != nil {
		c.claim(cx)
	}
	return c.m.Poll(cx)
}

func (c Coro[T]) claim(cx *Ctx) {
	s := c.slot
	switch {
	case s.loop != nil:
		panic(fmt.Sprintf("rt: %v is already running as task %s; await the task instead", c, s.Name()))
	case s.awaiter != nil:
		panic(fmt.Sprintf("rt: %v is already being awaited (by task %s); a coroutine runs once", c, s.awaiter.Name()))
	}
	s.awaiter = cx // the awaiter, while the coroutine is not spawned (see Ctx.awaiter)
}

// Where returns the source position ("file.go:21") of the await the
// coroutine is suspended at, descending into what it awaits, or "" if it is
// not suspended or its machine does not know. Generated machines know.
func (c Coro[T]) Where() string {
	if w, ok := c.m.(interface{ Where() string }); ok {
		return w.Where()
	}
	return ""
}

// Outcome returns the coroutine's result once Poll has returned true.
func (c Coro[T]) Outcome(cx *Ctx) (T, error) { return c.m.Result() }
