// Package difffuzz is the differential fuzzer of corogen: it turns the
// fuzzer's input bytes into a random async program (Generate), builds that
// program twice — once with the state machines that corogen generates, once
// with -tags corosrc on the goroutine-backed reference runtime — runs both
// under the virtual clock, and fails on any difference in output or exit
// status (FuzzDifferential).
//
// The programs come from a small grammar over a few int-valued async
// functions that call each other without recursion (see gen.go). The
// generator tracks the type and visibility of every variable, so a program
// always type-checks, and bounds every loop and the cost of every call, so
// it always terminates quickly. It avoids what Go leaves unspecified — map
// iteration order reaching the output, the evaluation order of variable
// reads against calls that write them — so that a divergence is always a
// bug in the transform or the runtime, never in the program.
//
// The harness (Workspace) writes each program into one temporary module
// per process (go.mod: replace github.com/corogen/corogen => the
// repository), so the build cache stays warm; it runs corogen in process
// (transform.GeneratePackage on the program type-checked against export
// data, or transform.Generate), builds the program with and without
// -tags corosrc and runs both binaries. corogen refusing or crashing on a
// program, generated code that does not compile, different output or exit
// status, or a crash or hang of both, are failures. One program takes
// about 2.5 s, nearly all of it in the two go builds.
//
// Run it with
//
//	go test -run '^$' -fuzz FuzzDifferential -parallel 1 -fuzzminimizetime 10x ./internal/difffuzz
//
// The seed corpus in testdata/fuzz/FuzzDifferential runs as plain tests
// with go test (three seeds with -short). DIFFFUZZ_SHOW=1 logs each seed's
// program and output; tools_test.go has tools to explore, rerun and
// minimize programs; testdata/known_divergences.md lists the bugs found.
package difffuzz
