//go:build corosrc

package rt

import (
	"path/filepath"
	"runtime"
	"strconv"
)

// awaitAt records, for task dumps, what the coroutine is about to await and
// where Await or Try was called: the caller of the caller of awaitAt. It
// costs one runtime.Callers of one frame; the position is resolved only
// when Where asks.
//
//go:noinline
func (c *refCore) awaitAt(a any) {
	var pc [1]uintptr
	// 0 Callers, 1 awaitAt, 2 Await or Try, 3 the coroutine's code.
	runtime.Callers(3, pc[:])
	c.awaiting, c.awaitPC = a, pc[0]
}

// Where returns the source position ("file.go:21") of the await the
// coroutine is suspended at, descending into an awaited coroutine as a
// generated machine does (but not into an awaited task), or "".
func (c *refCore) Where() string {
	a := c.awaiting
	if a == nil {
		return ""
	}
	if _, isTask := a.(interface{ waitList() **waitNode }); !isTask {
		if w := whereOf(a); w != "" {
			return w
		}
	}
	f, _ := runtime.CallersFrames([]uintptr{c.awaitPC}).Next()
	if f.File == "" {
		return ""
	}
	return filepath.Base(f.File) + ":" + strconv.Itoa(f.Line)
}
