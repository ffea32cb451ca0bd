// Package genuser uses genlib in a default build, where genlib's async
// functions are known by the facts of its generated file.
package genuser

import (
	"genlib"

	"github.com/corogen/corogen/rt"
)

func Use() {
	genlib.Fetch("a") // want `the coroutine of async function genlib.Fetch is never awaited or spawned`
	rt.Run(genlib.Fetch("b"))
}
