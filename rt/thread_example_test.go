package rt_test

import (
	"fmt"

	"github.com/corogen/corogen/rt"
)

// ToThread runs blocking code on a goroutine and awaits it without
// blocking the loop.
func ExampleToThread() {
	rt.Run(exToThread())
	// Output:
	// true <nil>
}

// Hold keeps the loop waiting for work that another goroutine hands in.
func ExampleLoop_Hold() {
	fmt.Println(rt.Run(exHold()))
	// Output:
	// from another goroutine <nil>
}
