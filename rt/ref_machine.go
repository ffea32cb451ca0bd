//go:build corosrc

package rt

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
)

// The reference runtime (-tags corosrc) runs each hand-written coroutine on
// a goroutine of its own, wrapped in a refMachine: an ordinary Machine for
// the loop and for the awaiting coroutine. Control passes back and forth
// through the machine's two channels, so exactly one goroutine runs at any
// time (the loop's, or one coroutine's) and the loop sees the same polls, in
// the same order, as with the state machines corogen generates:
//
//   - Poll starts the goroutine (the first time) or sends it refRun, then
//     blocks until the goroutine reports back: false when it suspended in an
//     await, true when its function has ended and the outcome is in the
//     machine's Frame.
//   - Await, on the coroutine's goroutine, finds its machine by goroutine id
//     and drives the awaitable exactly as generated code does: a.Poll(cx);
//     while that is false it reports "suspended" to the poller and waits to
//     be resumed; then a.Outcome(cx).
//   - A failed await ends the goroutine with runtime.Goexit, which runs the
//     user's deferred calls (they may await) with recover() returning nil:
//     the unwinding that is not a panic. A panic outcome is re-raised as a
//     real panic with its original value.
//   - The goroutine's outermost frame records how the function ended:
//     returned (its value, or its error for AsyncErr/DoErr), panicked (the
//     same *panicked a generated machine records), or unwound by Goexit
//     (the failure Await recorded).
//
// A goroutine never outlives its coroutine: it is started by the first
// Poll, ends when the function ends, and Loop.Close ends those still
// suspended by resuming them with refClose, which makes their pending await
// (and every later one) fail with ErrLoopClosed.

// refCores maps the id of every live coroutine goroutine to its machine, so
// that Await finds the coroutine it runs in. Reference mode only.
var refCores sync.Map // int64 → *refCore

// refSignal is what a poller sends to a suspended coroutine goroutine.
type refSignal uint8

const (
	refRun   refSignal = iota // go on: the coroutine is polled again
	refClose                  // the loop closed: fail the await with ErrLoopClosed
)

// refCore is the part of a reference machine that does not depend on T.
type refCore struct {
	cx       *Ctx // the task polling the coroutine, valid while it runs
	loop     *Loop
	resume   chan refSignal // poller → coroutine
	yield    chan bool      // coroutine → poller: true when it has ended
	gid      int64
	pc       uintptr   // where the coroutine object was made, for its name
	running  bool      // its goroutine has control (a Poll is in progress)
	closed   bool      // the loop closed: every await fails with ErrLoopClosed
	failure  error     // the failure Await unwinds with (runtime.Goexit)
	inflight *panicked // the panic Await re-raised, to keep its first stack
	awaiting any       // what the suspended Await or Try waits on (dump_ref.go)
	awaitPC  uintptr   // where that Await or Try was called
	prev     *refCore  // the loop's list of live coroutine goroutines
	next     *refCore
}

// refMachine is the Machine of a hand-written coroutine.
type refMachine[T any] struct {
	Frame[T]
	refCore
	body func() (T, error)
}

// newRef makes the coroutine object for a body. It must be called by
// Async, AsyncErr, Do or DoErr, called by the async function, whose name the
// coroutine takes.
func newRef[T any](body func() (T, error)) Coro[T] {
	c := new(WithTask[T, refMachine[T]])
	c.M.body = body
	var pc [1]uintptr
	// 0 Callers, 1 newRef, 2 Async/AsyncErr/Do/DoErr, 3 the async function.
	runtime.Callers(3, pc[:])
	c.M.pc = pc[0]
	return NewCoro[T](&c.M, &c.Task)
}

// Poll runs the coroutine's goroutine until it suspends (false) or ends
// (true), on behalf of the task cx.
func (m *refMachine[T]) Poll(cx *Ctx) bool {
	c := &m.refCore
	switch {
	case m.State == StateDone:
		return PolledAfterDone(m.CoroName())
	case c.running:
		panic(fmt.Sprintf("rt: coroutine %s awaits itself", m.CoroName()))
	}
	c.cx = cx
	c.running = true
	if m.State == 0 {
		m.State = 1
		c.loop = cx.loop
		c.resume = make(chan refSignal)
		c.yield = make(chan bool)
		c.loop.refs.add(c)
		go m.run()
	} else {
		c.resume <- refRun
	}
	done := <-c.yield
	c.running = false
	return done
}

// run is the coroutine's goroutine.
func (m *refMachine[T]) run() {
	c := &m.refCore
	c.gid = goid()
	refCores.Store(c.gid, c)
	runningLoops.Store(c.gid, c.loop)
	returned := false
	defer func() {
		if !returned {
			if r := recover(); r != nil {
				m.Fail(c.panicOutcome(r))
			} else {
				m.Fail(c.exitOutcome())
			}
		}
		c.exit()
	}()
	m.Return(m.body())
	returned = true
}

// panicOutcome is the outcome of a panic that ended the coroutine. If it is
// the panic an await re-raised, it keeps the stack where it was first raised.
func (c *refCore) panicOutcome(r any) *panicked {
	if p := c.inflight; p != nil && sameValue(r, p.value) {
		return p
	}
	return newPanicked(r)
}

// exitOutcome is the outcome of a Goexit that ended the coroutine: the
// failure an await unwound with.
func (c *refCore) exitOutcome() error {
	if c.failure != nil {
		return c.failure
	}
	return errors.New("rt: coroutine " + c.CoroName() + " called runtime.Goexit")
}

// exit is the last thing the coroutine's goroutine does: it hands control,
// and the outcome, back to the poller.
func (c *refCore) exit() {
	refCores.Delete(c.gid)
	runningLoops.Delete(c.gid)
	c.loop.refs.remove(c)
	c.yield <- true
}

// suspend hands control back to the poller with "pending" and waits to be
// polled again. It reports false if the loop closed meanwhile.
func (c *refCore) suspend() bool {
	c.yield <- false
	if <-c.resume == refClose {
		c.closed = true
		return false
	}
	return true
}

// close ends a suspended coroutine goroutine when its loop closes.
func (c *refCore) close() {
	c.running = true
	for done := false; !done; {
		c.resume <- refClose
		done = <-c.yield
	}
	c.running = false
}

// CoroName names the async function that made the coroutine, as in
// "fetch.FetchData".
func (c *refCore) CoroName() string { return refName(c.pc) }

// currentRef returns the coroutine running on this goroutine.
func currentRef(fn string) *refCore {
	if c, ok := refCores.Load(goid()); ok {
		return c.(*refCore)
	}
	panic(fmt.Sprintf("rt.%s called outside a coroutine: it works in the body of rt.Async, AsyncErr, Do or DoErr and in the functions that body calls, on the coroutine's own goroutine (not in a goroutine it starts)", fn))
}

// refAwait drives a on behalf of the running coroutine c, as an await in a
// generated machine does. closed reports that the loop closed while it
// waited (err is then ErrLoopClosed). A panic outcome is re-raised.
func refAwait[T any](c *refCore, a Awaitable[T]) (v T, err error, closed bool) {
	if c.closed {
		return v, ErrLoopClosed, true
	}
	for !a.Poll(c.cx) {
		if !c.suspend() {
			return v, ErrLoopClosed, true
		}
	}
	v, err = a.Outcome(c.cx)
	if p, ok := err.(*panicked); ok {
		c.inflight = p
		panic(p.value)
	}
	return v, err, false
}

// unwind ends the coroutine with err: its deferred calls run, recover()
// returns nil in them, and the coroutine fails with err (or with the error
// of a later await that fails during the unwinding).
func (c *refCore) unwind(err error) {
	c.failure = err
	runtime.Goexit()
}

// refList is a loop's list of live coroutine goroutines, most recent first.
type refList struct {
	head *refCore
}

func (rl *refList) add(c *refCore) {
	c.next = rl.head
	if rl.head != nil {
		rl.head.prev = c
	}
	rl.head = c
}

func (rl *refList) remove(c *refCore) {
	if c.prev != nil {
		c.prev.next = c.next
	} else if rl.head == c {
		rl.head = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	}
	c.prev, c.next = nil, nil
}

// closeRefs ends every coroutine goroutine still suspended, most recent
// first (a coroutine awaited directly before the one that awaits it): its
// pending await fails with ErrLoopClosed and it unwinds.
func (l *Loop) closeRefs() {
	for l.refs.head != nil {
		l.refs.head.close()
	}
}

// refNames caches the names of the async functions by program counter.
var refNames sync.Map // uintptr → string

func refName(pc uintptr) string {
	if n, ok := refNames.Load(pc); ok {
		return n.(string)
	}
	f, _ := runtime.CallersFrames([]uintptr{pc}).Next()
	n := coroName(f.Function)
	refNames.Store(pc, n)
	return n
}

// coroName turns a runtime function name into a coroutine name: the last
// element of the import path and the function, without type arguments or
// the suffixes of the function literals it is in.
//
//	github.com/x/fetch.FetchData.func1   fetch.FetchData
//	example.com/p.(*Server[...]).Serve   p.(*Server).Serve
func coroName(fn string) string {
	if fn == "" {
		return "<unknown>"
	}
	for {
		i := strings.Index(fn, "[")
		if i < 0 {
			break
		}
		j := strings.Index(fn[i:], "]")
		if j < 0 {
			break
		}
		fn = fn[:i] + fn[i+j+1:]
	}
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	parts := strings.Split(fn, ".")
	for len(parts) > 1 {
		last := parts[len(parts)-1]
		if i := strings.Index(last, "-range"); i >= 0 {
			last = last[:i]
		}
		if len(parts) == 2 || last != "" && !isClosureName(last) {
			parts[len(parts)-1] = last
			break
		}
		parts = parts[:len(parts)-1]
	}
	parts[0] = strings.ReplaceAll(parts[0], "%2e", ".")
	return strings.Join(parts, ".")
}

// isClosureName reports whether s names a function literal: func1, 2,
// gowrap1, deferwrap1.
func isClosureName(s string) bool {
	for _, p := range []string{"func", "gowrap", "deferwrap"} {
		if strings.HasPrefix(s, p) && isDigits(s[len(p):]) {
			return true
		}
	}
	return isDigits(s)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
