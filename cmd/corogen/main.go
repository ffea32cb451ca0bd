// Command corogen rewrites the async functions (//coro:async) of Go packages
// into stackless state machines driven by the rt event loop.
//
//	corogen [-check] [-diff] [-fix] [-tags T] [-v] [packages]
//
// For each source file x.go with the build constraint //go:build corosrc that
// holds async functions, corogen writes x_coro.go (x_coro_test.go for test
// files) with //go:build !corosrc: a default build uses the generated
// machines, and -tags corosrc builds the hand-written sources on the
// reference runtime. Put //go:generate corogen in the source file; it is
// carried into the generated file, so go generate ./... re-runs corogen.
//
// Exit status: 0 when everything was generated or is up to date; 1 when
// -check or -diff found a missing or stale file; 2 when a package could not
// be loaded or transformed (every error is printed with its position, and
// nothing is written for that package). Lint findings are corovet's.
package main

import (
	"os"

	"github.com/corogen/corogen/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
