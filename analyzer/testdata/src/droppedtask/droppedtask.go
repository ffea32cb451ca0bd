//go:build corosrc

package droppedtask

import "github.com/corogen/corogen/rt"

//coro:async
func Job(n int) rt.Coro[int] { // want Job:"async"
	return rt.Async(func() int { return n })
}

//coro:async
func Main(loop *rt.Loop) rt.Coro[int] { // want Main:"async"
	return rt.Async(func() int {
		rt.Spawn(Job(1))         // want `the result and error of the task started by rt.Spawn are dropped, so a failure goes unnoticed: keep the task and await it \(t := rt.Spawn\(c\); ...`
		rt.SpawnOn(loop, Job(2)) // want `the result and error of the task started by rt.SpawnOn are dropped, so a failure goes unnoticed: keep the task and await it \(t := rt.SpawnOn\(loop, c\); ...; rt.Await\(t\)\)`
		_ = rt.Spawn(Job(3))     // dropped on purpose
		t := rt.Spawn(Job(4))    // want `t is assigned again before it is used, so the result and error of the task started here by rt.Spawn are dropped`
		t = rt.Spawn(Job(5))
		sum := rt.Await(t)

		// Kept: awaited, gathered, cancelled, stored, or read before reuse.
		u := rt.Spawn(Job(6))
		u.Cancel()
		u = rt.Spawn(Job(7))
		var tasks []*rt.Task[int]
		for i := range 3 {
			tasks = append(tasks, rt.Spawn(Job(i)))
		}
		v := rt.Spawn(Job(8))
		w := rt.Spawn(Job(9))
		rs := rt.Await(rt.Gather(v, w, u))
		x := rt.Spawn(Job(10))
		f := func() *rt.Task[int] { return x }
		x = rt.Spawn(Job(11))
		_ = f
		var y *rt.Task[int]
		for i := range 2 {
			y = rt.Spawn(Job(i)) // read after the loop
			if i > 5 {
				break
			}
			y = rt.Spawn(Job(i + 1))
		}
		z := rt.Spawn(Job(12))
		z = rt.Spawn(Job(len(z.Name())))
		return sum + rt.Await(y) + rt.Await(z) + len(tasks) + len(rs)
	})
}

//coro:async
func GoDefer(loop *rt.Loop) rt.Coro[int] { // want GoDefer:"async"
	return rt.Async(func() int {
		go rt.SpawnOn(loop, Job(1))    // want `go rt.SpawnOn\(...\) drops the task it starts, so its result and error are lost and a failure goes unnoticed: spawning does not block, so spawn it without go, keep the task and await it \(t := rt.SpawnOn\(loop, c\); ...; rt.Await\(t\)\)`
		defer rt.SpawnOn(loop, Job(2)) // want `defer rt.SpawnOn\(...\) drops the task it starts, .*\(t := rt.SpawnOn\(loop, c\); ...; rt.Await\(t\)\)`
		defer rt.Spawn(Job(3))         // want `defer rt.Spawn\(...\) drops the task it starts, .*\(t := rt.Spawn\(c\); ...; rt.Await\(t\)\) or gather it; if dropping them is intended, write _ = rt.Spawn\(...\)`
		return 0
	})
}

// Plain code may spawn on a loop, with go too: the task is dropped all the
// same.
func Start(loop *rt.Loop) {
	go rt.SpawnOn(loop, Job(4)) // want `go rt.SpawnOn\(...\) drops the task it starts`
	t := rt.SpawnOn(loop, Job(5))
	_ = t
}
