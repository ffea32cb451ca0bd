// Package transform rewrites async functions into stackless state machines.
// It is the library behind cmd/corogen: Generate loads packages and returns,
// per package, the generated files or every error that kept it from
// generating them (then no file at all); the CLI only writes files.
//
// # The pipeline
//
//  1. Directive (internal/asyncfn): the package is loaded with -tags corosrc
//     and type-checked; Find collects the functions marked //coro:async and
//     validates their shape, Check rejects awaits that cannot be lowered
//     (inside a plain closure, in a range-over-func body, ...). The coroasync
//     analyzer runs the same code.
//  2. Lowering (lower.go, spill.go, range.go): each coroutine body — the
//     async function's literal, and every inline rt.Async literal or
//     deferred literal that awaits inside it — becomes a list of basic
//     blocks (ir.go). Statements without an await are kept as they are;
//     those with one are broken up so that every await stands at the top
//     level: if/for/range/switch/select become jumps between blocks,
//     expressions are spilled into temporaries in Go's evaluation order
//     (calls left to right, && and || as jumps), and an await becomes an
//     opAwait.
//  3. Analysis (vars.go): liveness over the blocks decides where each
//     variable lives. A variable live across an await (or captured by a
//     closure, or whose address is taken) becomes a field of the machine;
//     one declared anew per loop iteration and captured becomes a field
//     holding a pointer to a fresh variable each iteration (Go 1.22 loop
//     variables); every other variable is a local of Poll.
//  4. Emission (emit.go, rewrite.go, convert.go, types.go): jennifer writes
//     the machine type (rt.Frame, rt.Defers if the function defers,
//     fields, one slot per awaited type — a same-package async function
//     awaited directly is embedded by value, or behind a pointer when the
//     call graph is recursive), the constructor that keeps the function's
//     signature, start, CoroName, Poll (a switch on State that jumps back to
//     the await being resumed, then the blocks, each labelled where a goto
//     needs it) and Where. User code is converted node by node, package
//     references through jen.Qual; /*line*/ directives position every user
//     statement in its source (lines.go).
//  5. Verification (verify.go): the package is type-checked once more
//     with every async source replaced by its generated file, against the
//     packages the source was checked with. A
//     transform bug is then reported at the source line it came from, and
//     nothing is written, instead of breaking the user's build.
//
// The machine contract — Poll, the await protocol, Frame, Defers — is
// documented in package rt. The execution tests in internal/exectest run
// every construct in both build modes against one golden output.
package transform
