// Package rt is a stub of github.com/corogen/corogen/rt for the analyzer's
// tests: the declarations the test packages use, with the real signatures
// (TestStubMatchesRuntime checks them) and no implementation. The tests load
// it in GOPATH mode from testdata/src, which keeps them hermetic and fast
// and independent of work in progress in the real runtime.
package rt

import "time"

type Void = struct{}

type Ctx struct{ state int }

func (cx *Ctx) Cancel() bool    { return false }
func (cx *Ctx) Cancelled() bool { return false }
func (cx *Ctx) Done() bool      { return false }
func (cx *Ctx) Name() string    { return "" }

type Awaitable[T any] interface {
	Poll(cx *Ctx) bool
	Outcome(cx *Ctx) (T, error)
}

type Coro[T any] struct{ slot *Task[T] }

func (c Coro[T]) Poll(cx *Ctx) bool          { return false }
func (c Coro[T]) Outcome(cx *Ctx) (T, error) { panic("stub") }

type Task[T any] struct{ Ctx }

func (t *Task[T]) Poll(cx *Ctx) bool          { return false }
func (t *Task[T]) Outcome(cx *Ctx) (T, error) { panic("stub") }
func (t *Task[T]) Result() (T, error)         { panic("stub") }

type AnyTask interface {
	Name() string
	SetName(string)
	Done() bool
	Cancelled() bool
	Cancel() bool
	String() string
}

type Future[T any] struct{ v T }

func NewFuture[T any]() *Future[T]              { return nil }
func (f *Future[T]) Poll(cx *Ctx) bool          { return false }
func (f *Future[T]) Outcome(cx *Ctx) (T, error) { panic("stub") }

type Sleeper struct{ d time.Duration }

func Sleep(d time.Duration) Sleeper               { return Sleeper{d} }
func (s Sleeper) Poll(cx *Ctx) bool               { return false }
func (s Sleeper) Outcome(cx *Ctx) (Void, error)   { return Void{}, nil }
func Await[T any](a Awaitable[T]) T               { panic("stub") }
func Try[T any](a Awaitable[T]) (T, error)        { panic("stub") }
func Async[T any](f func() T) Coro[T]             { panic("stub") }
func AsyncErr[T any](f func() (T, error)) Coro[T] { panic("stub") }
func Do(f func()) Coro[Void]                      { panic("stub") }
func DoErr(f func() error) Coro[Void]             { panic("stub") }

type Option func(*Loop)

type Loop struct{ n int }

func NewLoop(opts ...Option) *Loop                                  { return nil }
func (l *Loop) Now() time.Duration                                  { return 0 }
func (l *Loop) CurrentTask() AnyTask                                { return nil }
func (l *Loop) CallSoon(fn func())                                  {}
func Run[T any](c Coro[T], opts ...Option) (T, error)               { panic("stub") }
func RunUntilComplete[T any](l *Loop, a Awaitable[T]) (T, error)    { panic("stub") }
func Spawn[T any](c Coro[T]) *Task[T]                               { return nil }
func SpawnOn[T any](l *Loop, c Coro[T]) *Task[T]                    { return nil }
func Gather[T any](aws ...Awaitable[T]) Coro[[]T]                   { panic("stub") }
func GatherOn[T any](l *Loop, aws ...Awaitable[T]) Coro[[]T]        { panic("stub") }
func GatherAll[T any, A Awaitable[T]](aws []A) Coro[[]T]            { panic("stub") }
func GatherAllOn[T any, A Awaitable[T]](l *Loop, aws []A) Coro[[]T] { panic("stub") }
func Now() time.Duration                                            { return 0 }
func CurrentTask() AnyTask                                          { return nil }

// ToThread runs f on a goroutine of a pool and awaits its result.
func ToThread[T any](fn func() T) Coro[T] { panic("stub") }

// ToThreadErr is ToThread for a function that may fail.
func ToThreadErr[T any](fn func() (T, error)) Coro[T] { panic("stub") }

type TimeoutStart struct{ d time.Duration }

func Timeout(d time.Duration) TimeoutStart                    { return TimeoutStart{d} }
func (TimeoutStart) Poll(cx *Ctx) bool                        { return true }
func (o TimeoutStart) Outcome(cx *Ctx) (*TimeoutScope, error) { return nil, nil }

type TimeoutScope struct{ n int }

func (s *TimeoutScope) End(err error) error { return err }
