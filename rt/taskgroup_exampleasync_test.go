//go:build corosrc

package rt_test

// The async functions of the examples in taskgroup_example_test.go;
// taskgroup_exampleasync_coro_test.go was generated as
// wait_exampleasync_coro_test.go was.

import (
	"errors"
	"fmt"
	"time"

	"github.com/corogen/corogen/rt"
)

// exFetch pretends to fetch url, which takes d; "bad" urls fail.
//
//coro:async
func exFetch(url string, d time.Duration) rt.Coro[string] {
	return rt.AsyncErr(func() (string, error) {
		if _, err := rt.Try(rt.Sleep(d)); err != nil {
			fmt.Printf("%s cancelled at %v\n", url, rt.Now())
			return "", err
		}
		if url == "bad" {
			return "", errors.New("bad url")
		}
		return "<" + url + ">", nil
	})
}

//coro:async
func exTaskGroup() rt.Coro[rt.Void] {
	return rt.Do(func() {
		g := rt.NewTaskGroup()
		var a, b *rt.Task[string]
		_, err := rt.Try(g.Run(rt.Do(func() {
			a = rt.SpawnIn(g, exFetch("a", time.Second))
			b = rt.SpawnIn(g, exFetch("b", 2*time.Second))
		})))
		fmt.Println(rt.Await(a), rt.Await(b), err, rt.Now())

		g = rt.NewTaskGroup()
		_, err = rt.Try(g.Run(rt.Do(func() {
			rt.SpawnIn(g, exFetch("slow", time.Hour))
			rt.SpawnIn(g, exFetch("bad", time.Second))
			rt.Await(rt.Sleep(time.Hour)) // the body is cancelled too
		})))
		fmt.Printf("at %v: %v\n", rt.Now(), err)
	})
}

//coro:async
func exGoIn() rt.Coro[rt.Void] {
	return rt.Do(func() {
		g := rt.NewTaskGroup()
		g.SetLimit(2)
		var pages []*rt.Task[string]
		rt.Await(g.Run(rt.Do(func() {
			for _, u := range []string{"a", "b", "c", "d", "e"} {
				t := rt.Await(rt.GoIn(g, exFetch(u, time.Second))) // waits while 2 run
				fmt.Printf("%s started at %v\n", u, rt.Now())
				pages = append(pages, t)
			}
		})))
		for _, t := range pages {
			fmt.Print(rt.Await(t))
		}
		fmt.Println(" at", rt.Now())
	})
}

//coro:async
func exTaskGroupWait() rt.Coro[rt.Void] {
	return rt.Do(func() {
		_, err := rt.Try(rt.Do(func() {
			g := rt.NewTaskGroup()
			// Deferred, so that it runs even when the body unwinds; a
			// child's failure replaces the body's.
			defer rt.Await(g.Wait())
			rt.SpawnIn(g, exFetch("bad", time.Second))
			rt.Await(rt.Sleep(time.Hour)) // cancelled when "bad" fails
		}))
		fmt.Printf("at %v: %v\n", rt.Now(), err)
	})
}
