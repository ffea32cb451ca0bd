//go:build corosrc

// Package asynclib declares async functions that asyncuser calls.
package asynclib

import "github.com/corogen/corogen/rt"

//coro:async
func Fetch(src string) rt.Coro[string] { // want Fetch:"async"
	return rt.Async(func() string { return src })
}

//coro:async
func Map[T, U any](x T, f func(T) U) rt.Coro[U] { // want Map:"async"
	return rt.Async(func() U { return f(x) })
}

type Client struct{ name string }

//coro:async
func (c *Client) Get(path string) rt.Coro[string] { // want Get:"async"
	return rt.Async(func() string {
		return rt.Await(Fetch(c.name + path))
	})
}

// Wrapper returns a coroutine object but is not async itself.
func Wrapper() rt.Coro[string] { return Fetch("wrapped") }
