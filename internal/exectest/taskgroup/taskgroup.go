//go:build corosrc

// Package taskgroup exercises rt.TaskGroup against asyncio 3.11's
// TaskGroup (and errgroup's SetLimit), under the virtual clock: children
// awaited when the body ends, the first failure cancelling the siblings and
// the body, errors joined, outside cancellation, panics, and the limit.
package taskgroup

import (
	"errors"
	"fmt"
	"time"

	"github.com/corogen/corogen/internal/exectest"
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

var out exectest.Log

// JobError is the error of a failing Job.
type JobError struct{ Name string }

func (e *JobError) Error() string { return e.Name + " failed" }

// ErrBody is what a failing body returns.
var ErrBody = errors.New("body failed")

// Job sleeps d and returns d, or fails with a *JobError if fail is set.
//
//coro:async
func Job(name string, d time.Duration, fail bool) rt.Coro[time.Duration] {
	return rt.AsyncErr(func() (time.Duration, error) {
		if _, err := rt.Try(rt.Sleep(d)); err != nil {
			out.Say("%s cancelled at %v", name, rt.Now())
			return 0, err
		}
		if fail {
			out.Say("%s fails at %v", name, rt.Now())
			return 0, &JobError{name}
		}
		out.Say("%s done at %v", name, rt.Now())
		return d, nil
	})
}

// Tidy sleeps an hour and, when it is cancelled, takes a second to clean up
// (asyncio's finally: await ...).
//
//coro:async
func Tidy(name string) rt.Coro[rt.Void] {
	return rt.Do(func() {
		defer func() {
			rt.Await(rt.Sleep(time.Second))
			out.Say("%s cleaned up at %v", name, rt.Now())
		}()
		rt.Await(rt.Sleep(time.Hour))
	})
}

// Counted runs a job while counting the jobs running at once.
//
//coro:async
func Counted(name string, d time.Duration, running, most *int) rt.Coro[rt.Void] {
	return rt.Do(func() {
		*running++
		*most = max(*most, *running)
		out.Say("%s starts at %v (%d running)", name, rt.Now(), *running)
		defer func() { *running-- }()
		rt.Await(Job(name, d, false))
	})
}

func describe(err error) string {
	var je *JobError
	return fmt.Sprintf("%q; is ErrBody %v, as JobError %v, cancelled %v",
		err, errors.Is(err, ErrBody), errors.As(err, &je), errors.Is(err, rt.ErrCancelled))
}

// Run: the body spawns children and ends; the group waits for all of them.
//
//coro:async
func Run() rt.Coro[time.Duration] {
	return rt.AsyncErr(func() (time.Duration, error) {
		g := rt.NewTaskGroup()
		var a, b *rt.Task[time.Duration]
		_, err := rt.Try(g.Run(rt.Do(func() {
			a = rt.SpawnIn(g, Job("a", 3*time.Second, false))
			b = rt.SpawnIn(g, Job("b", time.Second, false))
			rt.SpawnIn(g, rt.Do(func() {
				rt.Await(rt.Sleep(2 * time.Second))
				rt.SpawnIn(g, Job("grandchild", 2*time.Second, false)) // a child may spawn into the group
			}))
			rt.Await(rt.Sleep(500 * time.Millisecond))
			out.Say("body ends at %v with %d children pending", rt.Now(), g.Len())
		})))
		out.Say("group ends at %v: %v", rt.Now(), err)
		return rt.Await(a) + rt.Await(b), err
	})
}

// Failure: the first failure cancels the siblings and the body; the group
// fails with it once they have unwound.
//
//coro:async
func Failure() rt.Coro[rt.Void] {
	return rt.Do(func() {
		g := rt.NewTaskGroup()
		_, err := rt.Try(g.Run(rt.Do(func() {
			rt.SpawnIn(g, Job("a", time.Second, false))
			rt.SpawnIn(g, Job("b", 2*time.Second, true))
			rt.SpawnIn(g, Job("c", 5*time.Second, false))
			defer func() { out.Say("body unwinds at %v", rt.Now()) }()
			rt.Await(rt.Sleep(10 * time.Second))
			out.Say("body: never here")
		})))
		out.Say("group: %s at %v", describe(err), rt.Now())

		// The body catches its cancellation and goes on: the group still fails.
		g = rt.NewTaskGroup()
		_, err = rt.Try(g.Run(rt.Do(func() {
			rt.SpawnIn(g, Job("d", time.Second, true))
			_, err := rt.Try(rt.Sleep(10 * time.Second))
			out.Say("body caught %v at %v", errors.Is(err, rt.ErrCancelled), rt.Now())
			rt.Await(rt.Sleep(time.Second)) // the group's cancellation is delivered once
			out.Say("body goes on to %v", rt.Now())
		})))
		out.Say("group: %s at %v", describe(err), rt.Now())
		rt.Await(rt.Sleep(time.Second))
		out.Say("no cancellation left at %v", rt.Now())

		// A child cancelled by a sibling's failure is cancelled once: the
		// body's own unwinding does not cancel it again in its cleanup,
		// and the group waits for the cleanup to end.
		g = rt.NewTaskGroup()
		_, err = rt.Try(g.Run(rt.Do(func() {
			rt.SpawnIn(g, Tidy("e"))
			rt.SpawnIn(g, Job("f", time.Second, true))
			rt.Await(rt.Sleep(time.Hour))
		})))
		out.Say("group: %s at %v", describe(err), rt.Now())
	})
}

// Joined: every failure comes back, in the order it happened, with the
// body's own error last.
//
//coro:async
func Joined() rt.Coro[rt.Void] {
	return rt.Do(func() {
		g := rt.NewTaskGroup()
		_, err := rt.Try(g.Run(rt.Do(func() {
			rt.SpawnIn(g, Job("x", time.Second, true))
			rt.SpawnIn(g, Job("y", time.Second, true)) // fails in the same turn: both reported
			rt.SpawnIn(g, rt.DoErr(func() error {
				if _, err := rt.Try(rt.Sleep(time.Hour)); err != nil {
					return errors.New("z failed while cancelled") // asyncio keeps it too
				}
				return nil
			}))
		})))
		out.Say("joined: %s", describe(err))
		var je *JobError
		errors.As(err, &je)
		out.Say("first: %s; unwraps to %d errors", je.Name, len(err.(interface{ Unwrap() []error }).Unwrap()))

		g = rt.NewTaskGroup()
		_, err = rt.Try(g.Run(rt.DoErr(func() error {
			rt.SpawnIn(g, Job("w", time.Hour, false))
			rt.Await(rt.Sleep(time.Second))
			return ErrBody // the body's failure cancels the children
		})))
		out.Say("body error: %s at %v", describe(err), rt.Now())

		g = rt.NewTaskGroup()
		_, err = rt.Try(g.Run(rt.DoErr(func() error {
			rt.SpawnIn(g, Job("v", time.Second, true))
			_, _ = rt.Try(rt.Sleep(time.Hour))
			return fmt.Errorf("body gives up: %w", ErrBody) // not a cancellation: kept
		})))
		out.Say("both: %s", describe(err))
	})
}

// Outside: cancelling the task that runs the group cancels every child; the
// group fails with ErrCancelled, unless a child failed.
//
//coro:async
func Outside() rt.Coro[rt.Void] {
	return rt.Do(func() {
		t := rt.Spawn(rt.DoErr(func() error {
			g := rt.NewTaskGroup()
			_, err := rt.Try(g.Run(rt.Do(func() {
				rt.SpawnIn(g, Job("a", time.Hour, false))
				rt.SpawnIn(g, Job("b", time.Hour, false))
			})))
			out.Say("group: %s at %v", describe(err), rt.Now())
			return err
		}))
		rt.Await(rt.Sleep(time.Second))
		t.Cancel() // while the group waits for its children
		_, err := rt.Try(t)
		out.Say("task: cancelled %v", errors.Is(err, rt.ErrCancelled))

		// Cancelled twice from outside: the children are cancelled once,
		// and their cleanup runs to its end.
		t = rt.Spawn(rt.DoErr(func() error {
			g := rt.NewTaskGroup()
			_, err := rt.Try(g.Run(rt.Do(func() {
				rt.SpawnIn(g, Tidy("t1"))
				rt.SpawnIn(g, Tidy("t2"))
			})))
			out.Say("group: %s at %v", describe(err), rt.Now())
			return err
		}))
		rt.Await(rt.Sleep(time.Second))
		t.Cancel()
		rt.Await(rt.Sleep(time.Second / 2))
		t.Cancel() // while the children clean up
		_, err = rt.Try(t)
		out.Say("task: cancelled %v", errors.Is(err, rt.ErrCancelled))

		t = rt.Spawn(rt.DoErr(func() error {
			g := rt.NewTaskGroup()
			_, err := rt.Try(g.Run(rt.Do(func() {
				rt.SpawnIn(g, rt.DoErr(func() error {
					_, _ = rt.Try(rt.Sleep(time.Hour))
					return fmt.Errorf("c, while cancelled: %w", &JobError{"c"})
				}))
				rt.Await(rt.Sleep(time.Hour)) // the body is cancelled here
			})))
			out.Say("group: %s at %v", describe(err), rt.Now())
			return err
		}))
		rt.Await(rt.Sleep(time.Second))
		t.Cancel()
		_, err = rt.Try(t)
		out.Say("errors take precedence: %s", describe(err))

		// Under a timeout: the scope's cancellation reaches the group as an
		// outside one, and WaitFor turns it into a timeout.
		g := rt.NewTaskGroup()
		start := rt.Now()
		_, err = rt.Try(rt.WaitFor(g.Run(rt.Do(func() {
			rt.SpawnIn(g, Job("slow", time.Hour, false))
			rt.Await(rt.Sleep(time.Hour))
		})), time.Second))
		out.Say("under WaitFor: %q after %v", err, rt.Now()-start)

		// The group's own cancellation of its body (after a child's failure)
		// is withdrawn when the group ends: a later expiry of an enclosing
		// WaitFor is still a timeout, not a cancellation.
		start = rt.Now()
		_, err = rt.Try(rt.WaitFor(rt.Do(func() {
			g := rt.NewTaskGroup()
			_, gerr := rt.Try(g.Run(rt.Do(func() {
				rt.SpawnIn(g, Job("g", time.Second, true))
				rt.Await(rt.Sleep(time.Hour))
			})))
			out.Say("inner group: %s", describe(gerr))
			rt.Await(rt.Sleep(time.Hour))
		}), 2*time.Second))
		out.Say("then WaitFor: %q after %v", err, rt.Now()-start)
	})
}

// Panics: a panicking child cancels the others and the group panics with a
// *rt.PanicError, as awaiting the task would; a panic in the body also
// waits for the children.
//
//coro:async
func Panics() rt.Coro[rt.Void] {
	return rt.Do(func() {
		rt.Await(rt.Do(func() {
			defer func() {
				pe, ok := recover().(*rt.PanicError)
				out.Say("recovered %v: %v at %v", ok, pe.Value, rt.Now())
			}()
			g := rt.NewTaskGroup()
			rt.Await(g.Run(rt.Do(func() {
				rt.SpawnIn(g, Job("sibling", time.Hour, false))
				rt.SpawnIn(g, rt.Do(func() {
					rt.Await(rt.Sleep(time.Second))
					panic("child panics")
				}))
				rt.Await(rt.Sleep(time.Hour))
			})))
		}))
		rt.Await(rt.Do(func() {
			defer func() {
				out.Say("recovered %v at %v", recover(), rt.Now())
			}()
			g := rt.NewTaskGroup()
			rt.Await(g.Run(rt.Do(func() {
				rt.SpawnIn(g, Job("cleanup", time.Hour, false))
				rt.Await(rt.Sleep(time.Second))
				panic("body panics")
			})))
		}))
	})
}

// Limit: GoIn waits for a slot; SpawnIn's tasks wait for one before they
// start; slots go first come, first served.
//
//coro:async
func Limit() rt.Coro[rt.Void] {
	return rt.Do(func() {
		var running, most int
		g := rt.NewTaskGroup()
		g.SetLimit(2)
		rt.Await(g.Run(rt.Do(func() {
			for i := range 5 {
				rt.Await(rt.GoIn(g, Counted(fmt.Sprint("go", i), time.Second, &running, &most)))
				out.Say("spawned go%d at %v", i, rt.Now())
			}
		})))
		out.Say("GoIn: done at %v, at most %d at once", rt.Now(), most)

		start := rt.Now()
		most = 0
		g = rt.NewTaskGroup()
		g.SetLimit(2)
		var last *rt.Task[rt.Void]
		rt.Await(g.Run(rt.Do(func() {
			for i := range 5 {
				last = rt.SpawnIn(g, Counted(fmt.Sprint("spawn", i), time.Second, &running, &most))
			}
			out.Say("spawned 5 at once; %v", g)
		})))
		out.Say("SpawnIn: done after %v, at most %d at once, last %v", rt.Now()-start, most, last)

		// Raising the limit lets the waiting ones go.
		start = rt.Now()
		most = 0
		g = rt.NewTaskGroup()
		g.SetLimit(1)
		rt.Await(g.Run(rt.Do(func() {
			for i := range 4 {
				rt.SpawnIn(g, Counted(fmt.Sprint("raised", i), time.Second, &running, &most))
			}
			rt.Await(rt.Sleep(500 * time.Millisecond))
			g.SetLimit(3)
		})))
		out.Say("raised: done after %v, at most %d at once", rt.Now()-start, most)
	})
}

// LimitCancel: a cancelled waiting spawn leaks no slot, a queued child
// that is cancelled never starts, and a failure releases everyone.
//
//coro:async
func LimitCancel() rt.Coro[rt.Void] {
	return rt.Do(func() {
		var running, most int
		g := rt.NewTaskGroup()
		g.SetLimit(1)
		rt.Await(g.Run(rt.Do(func() {
			rt.SpawnIn(g, Counted("first", 2*time.Second, &running, &most))
			spawner := rt.Spawn(rt.DoErr(func() error {
				_, err := rt.Try(rt.GoIn(g, Counted("never", time.Second, &running, &most)))
				out.Say("spawner: cancelled %v at %v", errors.Is(err, rt.ErrCancelled), rt.Now())
				return err
			}))
			queued := rt.SpawnIn(g, Counted("queued", time.Second, &running, &most))
			rt.Await(rt.Sleep(time.Second))
			spawner.Cancel()
			queued.Cancel()
			_, _ = rt.Try(spawner)
			t := rt.Await(rt.GoIn(g, Counted("next", time.Second, &running, &most)))
			out.Say("next spawned at %v; queued cancelled %v", rt.Now(), queued.Cancelled())
			rt.Await(t)
		})))
		out.Say("done at %v, at most %d at once", rt.Now(), most)

		g = rt.NewTaskGroup()
		g.SetLimit(1)
		_, err := rt.Try(g.Run(rt.Do(func() {
			rt.SpawnIn(g, Job("failing", time.Second, true))
			queued := rt.SpawnIn(g, Counted("behind", time.Second, &running, &most)) // never starts
			t, err := rt.Try(rt.GoIn(g, Job("waiting", time.Second, false)))
			out.Say("body: GoIn %v, got a task %v, at %v", err, t != nil, rt.Now())
			_, err = rt.Try(queued)
			out.Say("queued: %v", err)
		})))
		out.Say("group: %s", describe(err))
	})
}

// WaitForm: the group ended by Wait instead of Run.
//
//coro:async
func WaitForm() rt.Coro[rt.Void] {
	return rt.Do(func() {
		_, err := rt.Try(rt.Do(func() {
			g := rt.NewTaskGroup()
			defer rt.Await(g.Wait())
			rt.SpawnIn(g, Job("a", time.Second, true))
			rt.SpawnIn(g, Job("b", time.Hour, false))
			rt.Await(rt.Sleep(time.Hour)) // cancelled by a's failure: unwinds to the deferred Wait
			out.Say("never here")
		}))
		out.Say("deferred Wait: %s at %v", describe(err), rt.Now())

		g := rt.NewTaskGroup()
		a := rt.SpawnIn(g, Job("c", time.Second, false))
		b := rt.SpawnIn(g, Job("d", 2*time.Second, false))
		_, err = rt.Try(g.Wait())
		out.Say("Wait: %v at %v, results %v %v", err, rt.Now(), rt.Await(a), rt.Await(b))

	})
}
