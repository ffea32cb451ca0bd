// Package analyzer defines coroasync, the vet-style checks of code written
// with corogen's coroutines. cmd/corovet runs it on its own and as
// go vet -vettool; Analyzer can also join any other analysis driver.
//
// # Analyzer coroasync
//
// coroasync: check async functions (//coro:async) and the code that uses coroutines
//
// The analyzer reports, each under a stable category name:
//
//   - malformed: a //coro:async directive that is misspelled or not on a
//     function, or an async function whose body is not return
//     rt.Async(func() T {...}) (or rt.AsyncErr, rt.Do, rt.DoErr) or whose
//     result is not the rt.Coro[T] its body yields.
//   - buildtag: a file with async functions that lacks //go:build corosrc.
//   - unsupported: an await the transform cannot lower (in a range-over-func
//     body, in a function literal that is not a coroutine, go rt.Await(...),
//     rt.Await or rt.Try not called), rt.Async & co. without a function
//     literal in an async function, and anything else corogen refuses to
//     transform (a type declared in an async function that depends on a
//     local constant, a variable of an unexported type of another package
//     across an await, ...). Awaits in select statements are supported:
//     in the case bodies and in the channel and value expressions.
//     These three come from the validation and the transform corogen
//     itself runs, so the analyzer reports all that corogen would refuse;
//     with -tags corosrc the transform is run on every package that has
//     async functions, also when the validation found something.
//   - await-outside-async: rt.Await or rt.Try in a function that is not
//     async: only a coroutine can suspend.
//   - body-outside-async: rt.Async, rt.AsyncErr, rt.Do or rt.DoErr outside
//     an async function: corogen does not transform it, so a default build
//     panics there. When it is the whole body of a function returning
//     rt.Coro[T], the directive is missing, and the suggested fix adds it.
//   - off-loop: rt.Spawn, rt.Gather or rt.GatherAll (of coroutines),
//     rt.Now or rt.CurrentTask in code that never runs on an event loop:
//     func main, func init, a package-level initializer, or a function
//     literal started with go. The message names rt.SpawnOn(loop, c),
//     rt.GatherOn(loop, ...), rt.GatherAllOn(loop, ...), loop.Now() or
//     loop.CurrentTask(); the suggested fix writes it when exactly one
//     *rt.Loop variable is in scope.
//   - never-awaited: a coroutine object that is created and dropped, so it
//     never runs (asyncio's "coroutine was never awaited"): an expression
//     statement such as FetchData(x) or rt.Sleep(d), or go F() and defer F()
//     with F async. In a coroutine the suggested fix wraps it in
//     rt.Await(...). Async functions of other packages are known by their
//     facts.
//   - blocking: a call that blocks the event loop's thread, made in an async
//     function: time.Sleep (fixed to rt.Await(rt.Sleep(d))),
//     sync.Mutex.Lock, sync.RWMutex.Lock and RLock, sync.WaitGroup.Wait,
//     sync.Cond.Wait, channel sends and receives outside a select, a select
//     without a default case, a range over a channel; net.Dial,
//     net.DialTimeout and Dial and DialContext of *net.Dialer (the message
//     names rt.Dial), Read and Write of net.Conn, *net.TCPConn and
//     *net.UnixConn and ReadFrom of *net.TCPConn (the streams of rt),
//     Accept of net.Listener, *net.TCPListener (and AcceptTCP) and
//     *net.UnixListener (rt.Listen); http.ListenAndServe,
//     ListenAndServeTLS and Serve and the same methods of *http.Server;
//     http.Get, Post, Head and PostForm and the same methods of
//     *http.Client with Do, os.ReadFile, WriteFile, Open, OpenFile and
//     Create, reads and writes of *os.File, io.ReadAll, Copy, CopyN,
//     CopyBuffer and ReadFull, Scan of *bufio.Scanner, Query, QueryRow and
//     Exec of *sql.DB and their Context variants, and Run, Output,
//     CombinedOutput and Wait of *exec.Cmd (these name rt.ToThread). Each
//     message says what to write instead. Code in a function literal
//     started with go, or passed to rt.ToThread, sync.WaitGroup.Go or
//     errgroup.Group.Go, does not run on the loop and is not reported.
//   - loop-hog: a for loop of a coroutine with no condition (or a constant
//     true one) that never awaits and has no way out (return, break, goto,
//     panic, os.Exit, ...): once entered, no other task or timer ever runs.
//     The suggested fix yields once per iteration, rt.Await(rt.Sleep(0)).
//   - dropped-task: a task whose result and error are dropped, so its
//     failure goes unnoticed: rt.Spawn(c) or rt.SpawnOn(loop, c) as a
//     statement, with go or defer (go rt.Spawn(c) is off-loop instead), or
//     assigned to a variable that is assigned again before any use. Write
//     _ = rt.Spawn(c) to drop them on purpose.
//   - timeout-scope: a timeout scope (rt.Timeout, rt.TimeoutAt) whose End
//     cannot turn the deadline's cancellation into rt.ErrTimeout: the error
//     scope.End(err) returns is dropped (the suggested fix assigns it back
//     to err), or the scope is only ended by defer scope.End(nil), which
//     cannot see the failure of the work it limits. A scope passed to
//     another function is not reported.
//   - generated: with -tags corosrc, a generated file x_coro.go that is
//     missing, differs from what corogen would write now, or remains after
//     its source lost its async functions (reported at the package clause
//     of the source file): run corogen, or go generate.
//
// It exports the fact IsAsync ("async") for every async function: seen in
// its source with -tags corosrc, or in a default build on the constructor
// corogen generated for it, which keeps the //coro:async directive. Nothing
// is reported in corogen's generated files (those whose first line is
// "// Code generated by corogen. DO NOT EDIT."), nor in package rt itself.
// In files generated by other tools (with a "// Code generated ... DO NOT
// EDIT." line before the package clause, as go/ast.IsGenerated tells), the
// checks of code are not made; what corogen would refuse is still reported.
//
// # Flags
//
// -blocking=pkg/path.Func,pkg/path.Type.Method adds functions and methods
// to the list of blocking calls (it may be repeated; (*pkg/path.Type).Method
// is accepted too). A method is matched by the type that declares it, or by
// the type of the value it is called on (net.TCPConn.Read names Read of a
// *net.TCPConn, which the unexported net.conn declares). corovet also accepts it as -coroasync.blocking, the
// name a driver running several analyzers gives it.
//
// -generated=false turns off the check of generated files, for projects
// that generate them during the build instead of committing them.
//
// # Build tags
//
// Async functions live in files with //go:build corosrc, and their
// generated machines in x_coro.go with //go:build !corosrc. Run the
// analyzer with -tags corosrc to see the sources: then every check applies,
// the transform is run, and generated files are compared with the disk. In
// a default build it sees the generated files instead: it exports their
// facts and reports nothing in them, and it checks the rest of the code
// (say, a main package that spawns coroutines) without false reports.
//
// The drivers take the build tags from the go command: corovet -tags
// corosrc ./... (corovet passes -tags on to go list through GOFLAGS, since
// the flag of singlechecker itself has no effect), GOFLAGS=-tags=corosrc
// corovet ./..., or go vet -tags corosrc -vettool=$(which corovet) ./...
// (go vet applies -tags itself).
//
// # Running it in CI
//
// A GitHub Actions step that fails when a generated file is missing or
// stale, or when the analyzer finds something:
//
//	# a step of a job in .github/workflows/*.yml, after actions/setup-go
//	- name: corogen and corovet
//	  run: |
//	    go run github.com/corogen/corogen/cmd/corogen -check ./...
//	    go run github.com/corogen/corogen/cmd/corovet -tags corosrc ./...
//	    go run github.com/corogen/corogen/cmd/corovet ./...
//
// The second corovet run checks the default build, which is what go build
// compiles. corovet exits with status 3 when it reports something and 1 when
// a package cannot be loaded. With go vet instead:
//
//	go build -o "$RUNNER_TEMP/corovet" github.com/corogen/corogen/cmd/corovet
//	go vet -tags corosrc -vettool="$RUNNER_TEMP/corovet" ./...
//
// Prefer corovet itself where results must be complete: the go command
// (1.26) caches the vet run that only computes a dependency's facts and
// replays it, reporting nothing, when that package is later vetted itself
// with the same tool and flags (it happens with the standard vet too). A
// fresh CI checkout vetting ./... at once is not affected.
package analyzer
