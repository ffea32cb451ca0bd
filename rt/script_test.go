package rt_test

import (
	"time"

	"github.com/corogen/corogen/rt"
)

// A script is a hand-written coroutine for the runtime's tests, built from a
// list of operations instead of a switch: plain code, awaits (unwinding or
// Try-style), jumps for loops, and defer statements. Its machine drives them
// exactly as a generated machine with defers does: the body is a Stepper
// polled through rt.PollCatching, a failure starts the unwinding in
// rt.Defers, and the deferred calls run (and may await) before the outcome
// is recorded in rt.Frame.
type script[R any] struct {
	m *scriptM[R]
	c rt.Coro[R]
}

// unwinding is the State of a script machine that runs its deferred calls.
const unwinding = 1 << 30

type op struct {
	do     func()             // plain code
	aw     func() anyAwait    // an await: makes the awaitable
	try    *error             // for an await: catch the failure here (rt.Try) instead of unwinding
	jumpIf func() bool        // a conditional jump
	to     int                // its target: an index into ops
	push   func(d *rt.Defers) // a defer statement
}

// anyAwait is an awaitable whose value is stored by its outcome.
type anyAwait interface {
	Poll(cx *rt.Ctx) bool
	outcome(cx *rt.Ctx) error
}

type awaitInto[T any] struct {
	a rt.Awaitable[T]
	v *T
}

func (w awaitInto[T]) Poll(cx *rt.Ctx) bool { return w.a.Poll(cx) }
func (w awaitInto[T]) outcome(cx *rt.Ctx) error {
	v, err := w.a.Outcome(cx)
	if w.v != nil {
		*w.v = v
	}
	return err
}

type scriptM[R any] struct {
	rt.Frame[R]
	rt.Defers
	name string
	ops  []op
	pc   int
	cur  anyAwait
	ret  func() (R, error)
}

func newScript[R any](name string) *script[R] {
	c := new(rt.WithTask[R, scriptM[R]])
	c.M.name = name
	return &script[R]{m: &c.M, c: rt.NewCoro[R](&c.M, &c.Task)}
}

// Coro returns the coroutine object.
func (s *script[R]) Coro() rt.Coro[R] { return s.c }

// Do appends plain code.
func (s *script[R]) Do(f func()) *script[R] { s.m.ops = append(s.m.ops, op{do: f}); return s }

// Label returns the index of the next operation, a jump target.
func (s *script[R]) Label() int { return len(s.m.ops) }

// JumpIf appends a jump to the operation at index to, taken if cond holds.
func (s *script[R]) JumpIf(to int, cond func() bool) *script[R] {
	s.m.ops = append(s.m.ops, op{jumpIf: cond, to: to})
	return s
}

// Defer appends a defer statement of a call.
func (s *script[R]) Defer(fn func()) *script[R] {
	s.m.ops = append(s.m.ops, op{push: func(d *rt.Defers) {
		d.Push(func(raise func()) {
			defer fn()
			raise()
		})
	}})
	return s
}

// DeferRecover appends a deferred function literal that calls recover()
// and hands its result to got.
func (s *script[R]) DeferRecover(got func(r any)) *script[R] {
	return s.Defer(func() { got(recover()) })
}

// Return sets how the result is computed when the body ends.
func (s *script[R]) Return(f func() (R, error)) *script[R] { s.m.ret = f; return s }

// Await appends an await that unwinds on failure; the value goes to v (may be nil).
func Await[T, R any](s *script[R], v *T, a func() rt.Awaitable[T]) *script[R] {
	s.m.ops = append(s.m.ops, op{aw: func() anyAwait { return awaitInto[T]{a(), v} }})
	return s
}

// Try appends an rt.Try: the failure is stored in err instead of unwinding
// (a panic still unwinds).
func Try[T, R any](s *script[R], v *T, err *error, a func() rt.Awaitable[T]) *script[R] {
	s.m.ops = append(s.m.ops, op{aw: func() anyAwait { return awaitInto[T]{a(), v} }, try: err})
	return s
}

// DeferAwait appends `defer rt.Await(a())`, a evaluated at the defer statement.
func DeferAwait[T, R any](s *script[R], a func() rt.Awaitable[T]) *script[R] {
	s.m.ops = append(s.m.ops, op{push: func(d *rt.Defers) { rt.DeferAwait(d, a()) }})
	return s
}

// Sleep is Await of rt.Sleep(d).
func (s *script[R]) Sleep(d time.Duration) *script[R] {
	return Await(s, nil, func() rt.Awaitable[rt.Void] { return rt.Sleep(d) })
}

func (m *scriptM[R]) CoroName() string { return m.name }

func (m *scriptM[R]) Poll(cx *rt.Ctx) bool {
	if m.State == rt.StateDone {
		return rt.PolledAfterDone(m.name)
	}
	return rt.PollCatching(cx, m, &m.Defers, &m.State, unwinding)
}

// Step is the body: State 0 is the start, 1 running the operations, and
// unwinding running the deferred calls.
func (m *scriptM[R]) Step(cx *rt.Ctx) bool {
	if m.State != unwinding {
		m.State = 1
		for m.pc < len(m.ops) {
			o := m.ops[m.pc]
			switch {
			case o.do != nil:
				o.do()
			case o.push != nil:
				o.push(&m.Defers)
			case o.jumpIf != nil:
				if o.jumpIf() {
					m.pc = o.to
					continue
				}
			case o.aw != nil:
				if m.cur == nil {
					m.cur = o.aw()
				}
				if !m.cur.Poll(cx) {
					return false
				}
				err := m.cur.outcome(cx)
				m.cur = nil
				if err != nil && (o.try == nil || rt.IsPanic(err)) {
					m.Unwind(err)
					m.pc = len(m.ops)
					m.State = unwinding
					return m.Step(cx)
				}
				if o.try != nil {
					*o.try = err
				}
			}
			m.pc++
		}
		m.State = unwinding
	}
	if !m.Defers.Run(cx) {
		return false
	}
	var v R
	var err error
	if m.ret != nil {
		v, err = m.ret() // a recovered panic returns the results as they are
	}
	return m.Return(v, m.FinalErr(err))
}
