//go:build corosrc

package main

import (
	"fmt"

	"github.com/corogen/corogen/rt"
)

//coro:async
func Work(n int) rt.Coro[int] { // want Work:"async"
	return rt.Async(func() int {
		t := rt.Spawn(Twice(n)) // on the loop: fine
		fmt.Println(rt.Now(), rt.CurrentTask())
		go func() {
			fmt.Println(rt.Now()) // want `rt.Now needs a running event loop, and a goroutine \(go func\(\) {...}\(\)\) never runs on one`
		}()
		return rt.Await(t)
	})
}

//coro:async
func Twice(n int) rt.Coro[int] { // want Twice:"async"
	return rt.Async(func() int { return 2 * n })
}

// helper may run on a loop or not: it depends on the caller.
func helper() *rt.Task[int] {
	fmt.Println(rt.Now())
	return rt.Spawn(Work(1))
}

var start = rt.Now() // want `rt.Now needs a running event loop, and a package-level variable initializer never runs on one \(it panics\): name the loop, loop.Now\(\)`

func init() {
	fmt.Println(rt.CurrentTask()) // want `rt.CurrentTask needs a running event loop, and func init never runs on one \(it panics\): name the loop, loop.CurrentTask\(\)`
}

func main() {
	loop := rt.NewLoop()
	t := rt.Spawn(Work(1))                          // want `rt.Spawn needs a running event loop, and func main never runs on one \(it panics\): name the loop, rt.SpawnOn\(loop, ...\)`
	g := rt.Gather[int](Work(2), Twice(3))          // want `rt.Gather needs a running event loop, and func main`
	fmt.Println(rt.Now())                           // want `rt.Now needs a running event loop`
	all := rt.Gather(t, rt.SpawnOn(loop, Twice(5))) // only tasks: Gather does not need the loop
	each := rt.GatherAll([]rt.Coro[int]{Work(6)})   // want `rt.GatherAll needs a running event loop, and func main never runs on one \(it panics\): name the loop, rt.GatherAllOn\(loop, ...\)`
	tasks := rt.GatherAll([]*rt.Task[int]{t})       // only tasks: GatherAll does not need the loop
	loop.CallSoon(func() {
		fmt.Println(rt.Now()) // a callback of the loop: fine
		rt.Spawn(Work(3))     // want `the result and error of the task started by rt.Spawn are dropped`
	})
	defer func() {
		fmt.Println(rt.Now()) // want `rt.Now needs a running event loop, and func main`
	}()
	go rt.Spawn(Work(4)) // want `rt.Spawn needs a running event loop, and a goroutine \(go rt.Spawn\(...\)\)`
	fmt.Println(rt.RunUntilComplete(loop, g))
	fmt.Println(rt.RunUntilComplete(loop, all))
	fmt.Println(rt.RunUntilComplete(loop, each))
	fmt.Println(rt.RunUntilComplete(loop, tasks))
	fmt.Println(rt.Run(rt.Do(func() { // want `rt.Do outside an async function`
		rt.Spawn(Work(5)) // want `the result and error of the task started by rt.Spawn are dropped`
		fmt.Println(rt.Now())
	})))
}

// other has two loops: no fix can choose.
func other() {
	l1, l2 := rt.NewLoop(), rt.NewLoop()
	go func() {
		fmt.Println(rt.Now(), l1, l2) // want `rt.Now needs a running event loop`
	}()
}
