//go:build corosrc

package rt_test

// Cancellation, failures, panics, goroutine lifetimes and coroutine names in
// the reference runtime, with async functions written as a user writes them.

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/corogen/corogen/rt"
)

// refSleeper sleeps d in a child coroutine awaited directly, logging its
// unwinding; its deferred literal awaits.
func refSleeper(out *refOut, d time.Duration) rt.Coro[rt.Void] {
	return rt.Do(func() {
		defer func() {
			out.at("child: recover()=%v", recover())
			rt.Await(rt.Sleep(time.Second))
			out.at("child: cleanup awaited")
		}()
		out.at("child: sleeping")
		rt.Await(rt.Sleep(d))
		out.at("child: woke (unexpected)")
	})
}

// Cancelling a task whose coroutine awaits a child coroutine directly:
// the cancellation is delivered at the child's await, the child's deferred
// calls run (awaiting after the cancellation), recover() is nil during the
// unwinding, then the parent unwinds with the same error.
func TestRefCancelUnwindsThroughDefers(t *testing.T) {
	base := runtime.NumGoroutine()
	var out refOut
	var task *rt.Task[rt.Void]
	worker := rt.Do(func() {
		defer out.at("parent: deferred call")
		defer func() { out.at("parent: recover()=%v", recover()) }()
		rt.Await(refSleeper(&out, 10*time.Second))
		out.at("parent: after await (unexpected)")
	})
	main := rt.Do(func() {
		task = rt.Spawn(worker)
		rt.Await(rt.Sleep(time.Second))
		task.Cancel()
		_, err := rt.Try(task)
		out.at("main: %v cancelled=%v", errors.Is(err, rt.ErrCancelled), task.Cancelled())
	})
	if _, err := rt.Run(main, rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
	refExpect(t, &out,
		"0s child: sleeping",
		"1s child: recover()=<nil>",
		"2s child: cleanup awaited",
		"2s parent: recover()=<nil>",
		"2s parent: deferred call",
		"2s main: true cancelled=true")
	refSettle(t, base)
}

// The cancellation reaches one await, once; a coroutine that catches it
// with Try goes on, its later awaits work, and it ends normally.
func TestRefCancelDeliveredOnce(t *testing.T) {
	var out refOut
	var task *rt.Task[int]
	worker := rt.Async(func() int {
		_, err := rt.Try(rt.Sleep(10 * time.Second))
		out.at("first await: %v", err)
		_, err = rt.Try(rt.Sleep(time.Second))
		out.at("second await: %v", err)
		return 7
	})
	main := rt.Do(func() {
		task = rt.Spawn(worker)
		rt.Await(rt.Sleep(2 * time.Second))
		task.Cancel()
		v := rt.Await(task)
		out.at("result %d cancelled=%v", v, task.Cancelled())
	})
	if _, err := rt.Run(main, rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
	refExpect(t, &out,
		"2s first await: "+rt.ErrCancelled.Error(),
		"3s second await: <nil>",
		"3s result 7 cancelled=false")
}

// A task cancelled before it ran never runs its body, and no goroutine is
// started for it; coroutine objects that are never run start none either.
func TestRefNeverRunStartsNoGoroutine(t *testing.T) {
	base := runtime.NumGoroutine()
	ran := false
	body := func() { ran = true }
	objs := []rt.Coro[rt.Void]{rt.Do(body), rt.Do(body), rt.Do(body)}
	if n := runtime.NumGoroutine(); n > base {
		t.Fatalf("coroutine objects started %d goroutines", n-base)
	}
	loop := rt.NewLoop(rt.WithVirtualClock())
	task := rt.SpawnOn(loop, objs[0])
	task.Cancel()
	if _, err := rt.RunUntilComplete(loop, task); !errors.Is(err, rt.ErrCancelled) {
		t.Fatalf("err %v", err)
	}
	if err := loop.Close(); err != nil {
		t.Fatal(err)
	}
	if ran {
		t.Error("the body of a task cancelled before it ran ran")
	}
	if n := runtime.NumGoroutine(); n > base {
		t.Fatalf("%d goroutines left", n-base)
	}
}

// Close with suspended tasks ends their goroutines: the pending awaits fail
// with ErrLoopClosed, the deferred calls run, and every later await fails
// at once.
func TestRefCloseEndsSuspendedGoroutines(t *testing.T) {
	base := runtime.NumGoroutine()
	var out refOut
	loop := rt.NewLoop(rt.WithVirtualClock())
	for i := range 3 {
		rt.SpawnOn(loop, rt.Do(func() {
			defer func() {
				out.printf("task %d: deferred", i)
				_, err := rt.Try(rt.Sleep(time.Second)) // fails at once: not caught
				out.printf("task %d: after Try %v (unexpected)", i, err)
			}()
			rt.Await(rt.Do(func() {
				defer out.printf("task %d child: deferred", i)
				rt.Await(rt.Sleep(time.Hour))
			}))
		}))
	}
	main := rt.Async(func() int {
		rt.Await(rt.Sleep(time.Second))
		return 1
	})
	if v, err := rt.RunUntilComplete(loop, main); v != 1 || err != nil {
		t.Fatal(v, err)
	}
	err := loop.Close()
	if err == nil || !strings.Contains(err.Error(), "3 pending task(s)") {
		t.Fatalf("Close: %v", err)
	}
	refSettle(t, base)
	got := strings.Join(out.lines, "\n")
	for i := range 3 {
		for _, want := range []string{
			fmt.Sprintf("task %d child: deferred", i),
			fmt.Sprintf("task %d: deferred", i),
		} {
			if !strings.Contains(got, want) {
				t.Errorf("missing %q in:\n%s", want, got)
			}
		}
	}
	if strings.Contains(got, "unexpected") {
		t.Errorf("an await returned after Close:\n%s", got)
	}
	if _, err := rt.RunUntilComplete(loop, main); !errors.Is(err, rt.ErrLoopClosed) {
		t.Errorf("RunUntilComplete after Close: %v", err)
	}
}

// Run cancels the tasks still pending when its coroutine ends and runs
// them until they have unwound: no goroutine is left.
func TestRefRunLeavesNoGoroutine(t *testing.T) {
	base := runtime.NumGoroutine()
	var out refOut
	main := rt.Async(func() int {
		for i := range 10 {
			rt.Spawn(rt.Do(func() {
				defer func() {
					rt.Await(rt.Sleep(time.Millisecond))
					out.printf("%d unwound", i)
				}()
				rt.Await(refSleeper(&refOut{}, time.Hour))
			}))
		}
		rt.Await(rt.Sleep(time.Second))
		return 0
	})
	if _, err := rt.Run(main, rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
	if len(out.lines) != 10 {
		t.Errorf("unwound: %v", out.lines)
	}
	refSettle(t, base)
}

type refBoom struct{ msg string }

func refPanicky(v any) rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(rt.Sleep(time.Millisecond))
		panic(v)
	})
}

// A panic in a child coroutine awaited directly re-panics in the parent
// with the same value, recoverable by a deferred literal, and named
// results set there are returned.
func TestRefPanicInChildRecoveredByParent(t *testing.T) {
	boom := &refBoom{"boom"}
	var got any
	main := rt.Async(func() (n int) {
		defer func() {
			got = recover()
			n = 42
		}()
		return rt.Await(refPanicky(boom))
	})
	v, err := rt.Run(main, rt.WithVirtualClock())
	if v != 42 || err != nil {
		t.Fatal(v, err)
	}
	if got != boom {
		t.Fatalf("recovered %#v, want the panic value itself", got)
	}
}

// Across a task boundary a panic arrives as a *PanicError holding the
// value and the stack where it was raised.
func TestRefPanicAcrossTask(t *testing.T) {
	boom := &refBoom{"boom"}
	var got any
	main := rt.Do(func() {
		defer func() { got = recover() }()
		task := rt.Spawn(rt.Async(func() int { return rt.Await(refPanicky(boom)) }))
		rt.Await(task)
	})
	if _, err := rt.Run(main, rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
	pe, ok := got.(*rt.PanicError)
	if !ok || pe.Value != boom {
		t.Fatalf("recovered %#v, want a *rt.PanicError of the value", got)
	}
	if !strings.Contains(string(pe.Stack), "refPanicky") {
		t.Errorf("stack does not show where the panic was raised:\n%s", pe.Stack)
	}
}

// rt.Run re-panics with a *PanicError when its coroutine panics.
func TestRefRunRepanics(t *testing.T) {
	base := runtime.NumGoroutine()
	boom := &refBoom{"boom"}
	defer func() {
		pe, ok := recover().(*rt.PanicError)
		if !ok || pe.Value != boom || !strings.Contains(pe.Error(), "boom") {
			t.Fatalf("Run panicked with %#v", pe)
		}
		refSettle(t, base)
	}()
	rt.Run(rt.Async(func() int { return rt.Await(refPanicky(boom)) + 1 }), rt.WithVirtualClock())
	t.Fatal("Run returned")
}

var errRef = errors.New("ref: failed")

// Try returns failures (AsyncErr and DoErr errors, cancellations) and lets
// panics through.
func TestRefTryReturnsErrorsNotPanics(t *testing.T) {
	var out refOut
	main := rt.Do(func() {
		v, err := rt.Try(rt.AsyncErr(func() (int, error) {
			rt.Await(rt.Sleep(time.Second))
			return 5, errRef
		}))
		out.at("AsyncErr: %d %v", v, err)
		_, err = rt.Try(rt.DoErr(func() error { return errRef }))
		out.at("DoErr: %v", err)
		v, err = rt.Try(rt.AsyncErr(func() (int, error) { return 6, nil }))
		out.at("AsyncErr ok: %d %v", v, err)
		// A failure awaited with Await unwinds the awaiting coroutine too.
		_, err = rt.Try(rt.Async(func() int {
			defer func() { out.at("inner: recover()=%v", recover()) }()
			return rt.Await(rt.AsyncErr(func() (int, error) { return 0, errRef }))
		}))
		out.at("Await unwound: %v", err)
		func() {
			defer func() { out.at("panic passed Try: %v", recover()) }()
			rt.Try(refPanicky("kaput"))
			out.at("Try returned a panic (unexpected)")
		}()
	})
	if _, err := rt.Run(main, rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
	refExpect(t, &out,
		"1s AsyncErr: 0 ref: failed",
		"1s DoErr: ref: failed",
		"1s AsyncErr ok: 6 <nil>",
		"1s inner: recover()=<nil>",
		"1s Await unwound: ref: failed",
		"1.001s panic passed Try: kaput")
}

// A task's error and a deferred await that fails during the unwinding
// replaces the failure in flight, as in generated code.
func TestRefFailureInDeferredAwaitReplacesFailure(t *testing.T) {
	errLate := errors.New("ref: late")
	main := rt.DoErr(func() error {
		defer rt.Await(rt.DoErr(func() error { return errLate }))
		rt.Await(rt.DoErr(func() error { return errRef }))
		return nil
	})
	if _, err := rt.Run(main); err != errLate {
		t.Fatalf("err %v, want %v", err, errLate)
	}
}

// Spawn, Gather, Now and CurrentTask work in a coroutine and in plain
// functions it calls; Gather of coroutines returns results in order.
func refSpawnHelper(n int) *rt.Task[int] {
	return rt.Spawn(rt.Async(func() int {
		rt.Await(rt.Sleep(time.Duration(10-n) * time.Second))
		return n * n
	}))
}

func TestRefRunningLoopFunctions(t *testing.T) {
	var out refOut
	main := rt.Do(func() {
		cur := rt.CurrentTask()
		out.at("current %v", cur)
		var aws []rt.Awaitable[int]
		for i := range 3 {
			aws = append(aws, refSpawnHelper(i))
		}
		aws = append(aws, rt.Async(func() int { return -1 }))
		res := rt.Await(rt.Gather(aws...))
		out.at("gathered %v, same task %v", res, rt.CurrentTask() == cur)
	})
	if _, err := rt.Run(main, rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
	refExpect(t, &out,
		"0s current task Task-1 running",
		"10s gathered [0 1 4 -1], same task true")
}

// Futures set from a callback wake a reference coroutine.
func TestRefFuture(t *testing.T) {
	var out refOut
	main := rt.Async(func() string {
		f := rt.NewFuture[string]()
		rt.RunningLoop().CallLater(2*time.Second, func() { f.SetResult("set") })
		v := rt.Await(f)
		out.at("future %s", v)
		return v
	})
	if _, err := rt.Run(main, rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
	refExpect(t, &out, "2s future set")
}

// Await outside a coroutine (off the loop, or on a goroutine a coroutine
// starts) panics with a message that says where it works.
func TestRefAwaitOutsideCoroutine(t *testing.T) {
	check := func(where string, r any) {
		if s, _ := r.(string); !strings.Contains(s, "outside a coroutine") {
			t.Errorf("%s: panic %v", where, r)
		}
	}
	func() {
		defer func() { check("test goroutine", recover()) }()
		rt.Await(rt.Sleep(0))
	}()
	main := rt.Do(func() {
		done := make(chan any)
		go func() {
			defer func() { done <- recover() }()
			rt.Try(rt.Sleep(0))
		}()
		check("goroutine started by a coroutine", <-done)
	})
	if _, err := rt.Run(main); err != nil {
		t.Fatal(err)
	}
}

// A coroutine that awaits its own coroutine object panics instead of
// deadlocking.
func TestRefAwaitItself(t *testing.T) {
	base := runtime.NumGoroutine()
	var self rt.Coro[int]
	self = rt.Async(func() int { return rt.Await(self) })
	defer func() {
		pe, ok := recover().(*rt.PanicError)
		if !ok || !strings.Contains(fmt.Sprint(pe.Value), "awaits itself") {
			t.Fatalf("panic %v", pe)
		}
		refSettle(t, base)
	}()
	rt.Run(rt.Async(func() int { return rt.Await(self) }))
}

// Coroutine objects print as "coroutine <pkg>.<Func>" as in generated code.

type refServer struct{}

func (s *refServer) Serve() rt.Coro[rt.Void] { return rt.Do(func() {}) }

func (s refServer) Ping() rt.Coro[string] { return rt.Async(func() string { return "pong" }) }

type refBox[T any] struct{ v T }

func (b *refBox[T]) Get() rt.Coro[T] { return rt.Async(func() T { return b.v }) }

func refIdentity[T any](v T) rt.Coro[T] { return rt.Async(func() T { return v }) }

func refOuter() rt.Coro[string] {
	return rt.Async(func() string {
		inline := rt.Do(func() {})
		s := fmt.Sprint(inline)
		rt.Await(inline)
		return s
	})
}

func TestRefCoroNames(t *testing.T) {
	for _, c := range []struct {
		got  fmt.Stringer
		want string
	}{
		{refFetchData(nil, "", 0), "coroutine rt_test.refFetchData"},
		{refCompute(), "coroutine rt_test.refCompute"},
		{(&refServer{}).Serve(), "coroutine rt_test.(*refServer).Serve"},
		{refServer{}.Ping(), "coroutine rt_test.refServer.Ping"},
		{(&refBox[int]{}).Get(), "coroutine rt_test.(*refBox).Get"},
		{refIdentity("x"), "coroutine rt_test.refIdentity"},
		{refIdentity(1), "coroutine rt_test.refIdentity"},
	} {
		if s := fmt.Sprintf("%v", c.got); s != c.want {
			t.Errorf("got %q, want %q", s, c.want)
		}
	}
	// An inline coroutine is named after the async function it is in.
	if s, err := rt.Run(refOuter()); s != "coroutine rt_test.refOuter" || err != nil {
		t.Errorf("inline: %q %v", s, err)
	}
}

// Close while a cancelled task is suspended in a deferred await of its
// unwinding: that await fails too, and the goroutine ends.
func TestRefCloseDuringDeferredAwait(t *testing.T) {
	base := runtime.NumGoroutine()
	var out refOut
	loop := rt.NewLoop(rt.WithVirtualClock())
	task := rt.SpawnOn(loop, rt.Do(func() {
		defer out.printf("outer deferred call")
		defer func() {
			out.at("cleanup starts")
			rt.Await(rt.Sleep(time.Hour))
			out.at("cleanup done (unexpected)")
		}()
		rt.Await(rt.Sleep(time.Hour))
	}))
	main := rt.Do(func() {
		rt.Await(rt.Sleep(time.Second))
		task.Cancel()
		rt.Await(rt.Sleep(time.Second))
	})
	if _, err := rt.RunUntilComplete(loop, main); err != nil {
		t.Fatal(err)
	}
	if err := loop.Close(); err == nil || !strings.Contains(err.Error(), "task Task-1 pending") {
		t.Fatalf("Close: %v", err)
	}
	refExpect(t, &out, "1s cleanup starts", "outer deferred call")
	if task.Done() {
		t.Error("a task left pending by Close reports done")
	}
	refSettle(t, base)
}

// A deadlock is an error, and the goroutines of the coroutines stuck in it
// end when the loop closes (Run closes it itself).
func TestRefDeadlockLeavesNoGoroutine(t *testing.T) {
	base := runtime.NumGoroutine()
	var out refOut
	stuck := func() rt.Coro[int] {
		return rt.Async(func() int {
			defer out.printf("unwound")
			return rt.Await(rt.Async(func() int { return rt.Await(rt.NewFuture[int]()) }))
		})
	}
	if _, err := rt.Run(stuck()); !errors.Is(err, rt.ErrDeadlock) {
		t.Fatalf("Run: %v", err)
	}
	loop := rt.NewLoop()
	if _, err := rt.RunUntilComplete(loop, stuck()); !errors.Is(err, rt.ErrDeadlock) {
		t.Fatalf("RunUntilComplete: %v", err)
	}
	loop.Close()
	refExpect(t, &out, "unwound", "unwound")
	refSettle(t, base)
}

// A coroutine's goroutine exits when the coroutine finishes or unwinds from
// a cancellation, while the loop goes on: not only at Close.
func TestRefFinishedCoroutinesLeaveNoGoroutine(t *testing.T) {
	base := runtime.NumGoroutine()
	main := rt.Do(func() {
		var tasks []*rt.Task[rt.Void]
		for i := range 40 {
			tasks = append(tasks, rt.Spawn(rt.Do(func() {
				rt.Await(rt.Sleep(time.Duration(1+i%2*1000) * time.Second))
			})))
		}
		rt.Await(rt.Sleep(2 * time.Second)) // the even ones have finished
		for _, task := range odd(tasks) {
			task.Cancel()
		}
		for _, task := range tasks {
			rt.Try(task)
		}
		refSettle(t, base+1) // only main's own goroutine is left
	})
	if _, err := rt.Run(main, rt.WithVirtualClock()); err != nil {
		t.Fatal(err)
	}
}

func odd[T any](xs []T) []T {
	var out []T
	for i := 1; i < len(xs); i += 2 {
		out = append(out, xs[i])
	}
	return out
}
