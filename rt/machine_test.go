package rt_test

import (
	"github.com/corogen/corogen/rt"
)

// machine is a hand-written state machine for the runtime's own tests, in
// the shape corogen generates: step is the Poll body, switching on State.
type machine[T any] struct {
	rt.Frame[T]
	name string
	step func(m *machine[T], cx *rt.Ctx) bool
}

func (m *machine[T]) Poll(cx *rt.Ctx) bool {
	if m.State == rt.StateDone {
		return rt.PolledAfterDone(m.name)
	}
	return m.step(m, cx)
}

func (m *machine[T]) CoroName() string { return m.name }

func coro[T any](name string, step func(m *machine[T], cx *rt.Ctx) bool) rt.Coro[T] {
	c := new(rt.WithTask[T, machine[T]])
	c.M.name, c.M.step = name, step
	return rt.NewCoro[T](&c.M, &c.Task)
}

// awaiter holds one await in progress, as a generated machine's field would.
type awaiter[T any] struct{ a rt.Awaitable[T] }

// between is the State of a test machine that is running between awaits.
const between = 99

// await begins or resumes the await at state k: it returns done=false when
// the machine must return false (suspend).
func await[T, R any](m *machine[R], cx *rt.Ctx, w *awaiter[T], k int, a func() rt.Awaitable[T]) (v T, err error, done bool) {
	if m.State != k {
		w.a = a()
		m.State = k
	}
	if !w.a.Poll(cx) {
		return v, nil, false
	}
	v, err = w.a.Outcome(cx)
	m.State = between
	return v, err, true
}
