//go:build corosrc

// Package typo has a misspelled directive and no correct one: corogen
// still loads it, and refuses it.
package typo

import "github.com/corogen/corogen/rt"

// coro:async // ERROR "malformed directive .// coro:async.*write //coro:async with no space after //"
func Spaced() rt.Coro[int] {
	return rt.Async(func() int { return 1 })
}
