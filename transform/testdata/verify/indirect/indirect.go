//go:build corosrc

// Package indirect keeps a value across an await whose type comes from a
// package it does not import (io/fs, through os.DirFS): its machine needs a
// field of that type, so the generated file imports io/fs.
package indirect

import (
	"os"
	"time"

	"github.com/corogen/corogen/rt"
)

// StatLater opens dir as a file system, sleeps, and stats name in it.
//
//coro:async
func StatLater(dir, name string) rt.Coro[string] {
	return rt.Async(func() string {
		fsys := os.DirFS(dir)
		rt.Await(rt.Sleep(time.Millisecond))
		if _, err := fsys.Open(name); err != nil {
			return ""
		}
		return name
	})
}
