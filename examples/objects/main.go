//go:build corosrc

// Objects is the seed's §3: a coroutine function is a function; calling it
// returns a coroutine object and runs nothing.
package main

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

// MyCoroutine is the seed's my_coroutine.
//
//coro:async
func MyCoroutine() rt.Coro[rt.Void] {
	return rt.Do(func() {
		fmt.Println("running") // never printed: the object is never awaited
	})
}

// class names what v is, as Python's type() would.
func class(v any) string {
	if reflect.TypeOf(v).Kind() == reflect.Func {
		return "function"
	}
	if s, ok := v.(fmt.Stringer); ok && strings.HasPrefix(s.String(), "coroutine ") {
		return "coroutine"
	}
	return reflect.TypeOf(v).String()
}

func main() {
	fmt.Printf("<class '%s'>\n", class(MyCoroutine))
	coroObj := MyCoroutine()
	fmt.Printf("<class '%s'>\n", class(coroObj))
}
