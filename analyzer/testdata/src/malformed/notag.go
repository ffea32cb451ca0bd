package malformed // want `file with async functions lacks the build constraint: add the line //go:build corosrc before the package clause`

import "github.com/corogen/corogen/rt"

//coro:async
func Untagged() rt.Coro[int] { // want Untagged:"async"
	return rt.Async(func() int { return 2 })
}
