// Package rt is corogen's runtime: a single-threaded event loop with
// asyncio's semantics, and the contract that generated state machines are
// written against.
//
// # Using it
//
// An async function is written as a plain Go function marked //coro:async
// whose body is rt.Async / AsyncErr / Do / DoErr of a function literal;
// corogen rewrites it into a state machine (see the repository README). Run
// starts a loop and runs a coroutine to completion; Spawn, Gather, Sleep,
// futures and cancellation behave as their asyncio counterparts:
//
//	asyncio.run(main())            rt.Run(Main())
//	await x                        rt.Await(x)   (rt.Try(x) returns the error)
//	asyncio.create_task(c)         rt.Spawn(c)
//	eager_task_factory (3.12)      rt.Run(c, rt.WithEagerTasks()): a task runs when spawned
//	loop.set_exception_handler(h)  rt.WithExceptionHandler(h): errors of tasks collected unretrieved (default: logged)
//	asyncio.gather(*aws)           rt.Gather(aws...); rt.GatherAll(tasks) for a []*rt.Task[T]
//	asyncio.sleep(d)               rt.Sleep(d)
//	task.cancel()                  task.Cancel()
//	asyncio.CancelledError         rt.ErrCancelled
//
// # Synchronisation primitives and queues
//
// asyncio's primitives run on the loop without goroutines; the awaitable
// methods return values to pass to Await (or Try, or WaitFor for a
// timeout):
//
//	asyncio.Lock()                 var mu rt.Lock; rt.Await(mu.Acquire()); mu.Release(); mu.Locked()
//	asyncio.Event()                var e rt.Event; e.Set(); e.Clear(); e.IsSet(); rt.Await(e.Wait())
//	asyncio.Condition(lock)        rt.NewCondition(l) (nil: its own lock); Wait(), WaitFor(pred), Notify(n), NotifyAll()
//	asyncio.Semaphore(n)           rt.NewSemaphore(n); rt.Await(s.Acquire()); s.Release(); s.Locked()
//	asyncio.BoundedSemaphore(n)    rt.NewBoundedSemaphore(n); Release panics past n (ValueError)
//	asyncio.Barrier(n)             rt.NewBarrier(n); i := rt.Await(b.Wait()); b.Abort(); b.Reset(); rt.ErrBrokenBarrier
//	asyncio.Queue(maxsize)         rt.NewQueue[T](maxsize) (the zero Queue[T] is unbounded FIFO)
//	asyncio.LifoQueue(maxsize)     rt.NewLifoQueue[T](maxsize)
//	asyncio.PriorityQueue(maxsize) rt.NewPriorityQueue[T cmp.Ordered](maxsize), rt.NewPriorityQueueFunc(maxsize, cmp)
//	q.put(x) / q.get()             rt.Await(q.Put(x)), rt.Await(q.Get())
//	q.put_nowait / q.get_nowait    q.PutNowait(x), q.GetNowait(): rt.ErrQueueFull, rt.ErrQueueEmpty
//	q.qsize() / empty() / full()   q.Qsize(), q.Empty(), q.Full()
//	q.task_done() / await q.join() q.TaskDone(), rt.Await(q.Join())
//	q.shutdown(immediate)          q.Shutdown(immediate): rt.ErrQueueShutDown
//
// As in asyncio, waiters are served first come first served, and a task
// woken to take a lock, a permit, an item or a free slot has it kept for
// it until it runs (asyncio's Queue lets a latecomer take an item in that
// moment; rt's does not). A task cancelled while it waits leaves the line;
// one cancelled after it was woken but before it ran hands what it was
// given to the next waiter, so nothing is lost or leaked. Misuse that
// asyncio reports with RuntimeError or ValueError (releasing an unlocked
// Lock, waiting on a Condition without its lock, too many Release of a
// BoundedSemaphore or TaskDone) panics. In steady state, acquiring,
// releasing, putting and getting do not allocate: a waiting task takes a
// node from a free list of the primitive, and a queue's buffer only grows.
//
// # Waiting, timeouts, task groups, threads
//
// Waiting for several things, time limits and structured concurrency, with
// asyncio's cancellation rules (each has a runnable example):
//
//	asyncio.wait(fs, return_when=...)   r := rt.Await(rt.Wait(rt.FirstCompleted, t1, t2)); r.Done, r.Pending
//	asyncio.wait(fs, timeout=d)         rt.WaitTimeout(d, rt.AllCompleted, ts...) (cancels nothing)
//	asyncio.as_completed(fs)            it := rt.AsCompleted(ts...); for it.More() { t := rt.Await(it.Next()) }
//	asyncio.wait_for(aw, d)             rt.WaitFor(a, d): cancels a at the deadline, waits, fails with rt.ErrTimeout
//	async with asyncio.timeout(d)       scope := rt.Await(rt.Timeout(d)); ...; err = scope.End(err)
//	async with asyncio.timeout_at(t)    rt.Await(rt.TimeoutAt(t)), t on the loop's clock (rt.Now)
//	asyncio.TimeoutError                rt.ErrTimeout (errors.Is(err, context.DeadlineExceeded))
//	asyncio.shield(aw)                  rt.Shield(a)
//	async with TaskGroup() as g:        g := rt.NewTaskGroup(); rt.Await(g.Run(rt.Do(func() { ... })))
//	g.create_task(c)                    rt.SpawnIn(g, c); t := rt.Await(rt.GoIn(g, c)) waits for a slot
//	errgroup's SetLimit(n)              g.SetLimit(n)
//	ExceptionGroup                      errors.Join of every failure (errors.Is / errors.As)
//	asyncio.to_thread(f)                rt.ToThread(f), rt.ToThreadErr(f); rt.WithThreadLimit(n)
//	loop.call_soon_threadsafe(f)        loop.CallSoonThreadsafe(f), with release := loop.Hold()
//	python -m asyncio ps                rt.DumpTasks(w), loop.DumpTasks(w)
//
// Where Go and Python differ: a timeout scope converts only failures
// handed to End (code that unwinds with rt.Await goes past it; WaitFor of
// an inline coroutine covers such a block); Wait and AsCompleted take
// tasks and futures (*Task[T], *Future[T], or rt.Waitable to mix types)
// and return them in argument and completion order rather than as sets;
// an await of a Wait whose condition already holds does not suspend; a
// ToThread whose awaiting task is cancelled fails at once while its
// function runs to its end on the goroutine (Go cannot stop it) and its
// result is dropped, and under the virtual clock time stands still while
// any such function runs.
//
// # Network I/O
//
// Sockets on the loop itself, without a goroutine per connection (Linux,
// epoll; elsewhere Dial and Listen fail with ErrNetUnsupported). Every
// operation returns an awaitable that does its work when awaited:
//
//	asyncio.open_connection(h, p)       s := rt.Await(rt.Dial("tcp", "h:p"))  (tcp, tcp4, tcp6, unix)
//	asyncio.start_server(cb, h, p)      ln := rt.Await(rt.Listen("tcp", "h:p")); s := rt.Await(ln.Accept())
//	reader.read(n)                      n := rt.Await(s.Read(buf))  (io.EOF at the end)
//	reader.readline()                   line := rt.Await(s.ReadLine())
//	reader.readuntil(sep)               rt.Await(s.ReadUntil(sep))  (*IncompleteReadError, ErrLimitOverrun)
//	reader.readexactly(n)               rt.Await(s.ReadExactly(n))
//	writer.write(b); await drain()      rt.Await(s.Write(b))  (all of b, waiting while the socket is full)
//	writer.write_eof()                  rt.Await(s.CloseWrite())
//	writer.close(); wait_closed()       rt.Await(s.Close()); defer rt.Await(s.Close())
//	transport.abort()                   rt.Await(s.Abort())  (the peer sees a reset)
//	asyncio.wait_for(r.readline(), d)   rt.WaitFor(s.ReadLine(), d)
//
// Semantics: one task at a time reads and one writes (another gets
// ErrStreamBusy). A read cancelled by a timeout or Cancel loses nothing:
// the bytes ReadLine, ReadUntil or ReadExactly had received stay buffered
// for the next read. A Write cancelled before it sent anything leaves the
// stream as it was; one cancelled after sending part of its data aborts the
// stream, so that the peer never sees a message with a silent gap. Failures
// read like the net package's ("read tcp 127.0.0.1:4242->...: read:
// connection reset by peer") and match with errors.Is (syscall.ECONNRESET,
// net.ErrClosed, syscall.EMFILE from an Accept out of descriptors, after
// which the listener keeps working). Literal addresses connect at once; a
// host name is resolved by the standard resolver on a goroutine of its own
// (it blocks), handed back with CallSoonThreadsafe. Loop.Close closes the
// sockets still open on the loop.
//
// The poller: sockets are non-blocking and registered once with the loop's
// epoll instance, edge-triggered for both directions, so that a wait costs
// no epoll_ctl. An operation makes its system call first and waits only
// after EAGAIN; a read that returned less than it asked for marks the
// socket drained, and the next read waits for the poller's edge instead of
// trying (TCP and Unix stream reads stop only when the socket is empty; a
// shutdown reported by the poller turns that off). When no task is ready,
// the loop waits for the epoll instance with the next timer as its deadline
// by parking its goroutine on the Go runtime's poller (the epoll fd is
// itself pollable): a blocked epoll_wait system call would hold the
// goroutine's P and pay the scheduler's hand-off on every wake-up. An
// eventfd in the same epoll set wakes the loop for CallSoonThreadsafe; it is
// written only while the loop sleeps. While tasks are ready and others wait
// on sockets, each turn polls the sockets without waiting, as asyncio's
// loop does.
//
// Under WithVirtualClock, I/O takes no virtual time, and the clock jumps to
// the next timer only when nothing else can happen: with tasks waiting on
// sockets, the loop first polls them without waiting, then waits up to 2 ms
// of real time for data in flight (loopback delivers within the sending
// system call; the margin is for the kernel's deferred network work on a
// loaded machine), and jumps only if neither found anything. Without a
// timer it waits for the sockets as long as it takes. Tests of servers and
// clients on loopback are therefore exact in virtual time: a client that
// sends nothing to a server with a 5 s read timeout is dropped at exactly
// rt.Now() == 5s, in microseconds of wall time.
//
// # The loop
//
// A Loop owns a FIFO queue of ready tasks and callbacks and a heap of
// timers ordered by deadline, then by the order they were set. One turn of
// the loop waits until something is ready (in its poller, until the next
// timer or a socket's event; under WithVirtualClock the clock jumps to the
// timer instead), moves due timers'
// tasks to the ready queue, and runs the entries that were ready when the
// turn began; whatever they schedule runs on the next turn. So a spawned
// task starts after the spawning task suspends, Sleep(0) yields exactly one
// turn, and a task woken by another's completion runs on the next turn, as
// in asyncio. No goroutine is started to run a coroutine.
//
// # The machine contract
//
// A coroutine object (Coro[T]) wraps a Machine[T]. Machines embed Frame[T]
// (Machine requires its unexported storeResult, through which the loop
// reads a result without an interface assertion): State says where to
// resume (0 = start, k = the k-th await, StateDone = finished) and the
// frame keeps the outcome (value, or an error). The loop drives a task by
// calling its machine's Poll(cx), where cx is the task's *Ctx:
//
//   - Poll runs the body from State until it completes, returning true
//     after Frame.Complete / Fail / Return, or until an await must wait,
//     returning false.
//   - An await of a stores the awaitable in a field, sets State to its own
//     number, and calls a.Poll(cx). True means a is complete (an await of
//     something already complete never suspends); then a.Outcome(cx) gives
//     the value or the error to unwind with. False means cx has been
//     registered to be woken, and Poll returns false at once. When the task
//     runs again the loop calls Poll, the switch on State jumps back to the
//     same a.Poll(cx), and so on.
//   - A same-package async function awaited directly is embedded in its
//     caller's struct and polled in place (child.Poll(cx)), so a chain of
//     awaits is one allocation and a resume descends from the task's root
//     machine to the awaitable it is suspended on: the leaf.
//   - Leaves (Sleep, tasks, futures, Gather, and the synchronisation
//     primitives) record themselves in cx while the task waits. Cancelling a
//     task asks its leaf to end the wait (a sleep wakes, an awaited task or
//     future is cancelled); when the task resumes, the leaf's Outcome returns
//     ErrCancelled, once. Cancellation therefore reaches exactly the await
//     that is suspended, or the next one that suspends, and unwinds from
//     there like any failure.
//   - Failures travel as errors: an await whose Outcome is an error makes
//     the machine unwind and fail with it (rt.Try hands it to the code
//     instead). A panic in a machine is recovered by the nearest machine
//     with deferred calls (PollCatching) or by the task, and travels on as
//     an error that IsPanic recognises, so that recover() in a deferred call
//     sees the original value. At a task boundary (awaiting a task or a
//     gather, rt.Run) it becomes a panic with a *PanicError.
//   - A machine whose function has defer statements embeds Defers: deferred
//     calls are pushed there with their arguments evaluated, and run last
//     first when the body returns, fails or panics. Defers.Run may suspend
//     on a deferred await and is resumed like any await. Deferred calls run
//     during a real re-raised panic, so Go's own recover() works in them.
//     Such a machine's Poll is PollCatching(cx, m, &m.Defers, &m.State,
//     unwind) and its body is the method Step; a failed await calls
//     m.Unwind(err) and goes to the state unwind, where
//     `if !m.Defers.Run(cx) { return false }` is followed by
//     m.Return(results, m.FinalErr(err)). (Defers' method names differ
//     from Frame's so that both can be embedded without ambiguity.)
//
// Spawn, Gather, GatherAll, Now and CurrentTask find the running loop from
// any code on the loop's goroutine; generated code passes cx.Loop() instead,
// which costs nothing.
//
// # Build modes
//
// In a default build, Await, Try, Async, AsyncErr, Do and DoErr are only
// markers: corogen replaces every call inside async functions, and reaching
// one at run time panics with a message that says to run corogen. With
// -tags corosrc they are real: each coroutine runs on a goroutine of its own,
// handing control back and forth with the loop so that exactly one runs at a
// time, with the same order of events and the same virtual times.
//
// In that reference mode a coroutine's goroutine is started the first time
// it is polled and ends with the coroutine; an await that fails ends it with
// runtime.Goexit, so its deferred calls run with recover() returning nil,
// and a panic outcome is re-raised with its original value. The two modes
// differ only in what is not behaviour: cost (a goroutine, two channel
// handoffs per suspension and a goroutine-id lookup per await, instead of a
// struct and a switch), Go stack depth (a coroutine's body runs on its own
// goroutine stack, not on the loop's), and therefore the goroutine stacks in
// traces, in PanicError.Stack and in a debugger, which show the user's own
// functions rather than generated Poll methods. One consequence of
// goroutines that has no counterpart in generated code: Close ends the
// goroutines of tasks still suspended by failing their pending await with
// ErrLoopClosed, which runs their deferred calls (every await there fails at
// once, and Try cannot catch it), where a generated machine is simply never
// resumed. Two more: Await in a plain function that an async one calls
// works in reference mode (any code on a coroutine's goroutine may await),
// which corogen refuses and corovet reports; and the coroutines of a package
// main built by go test are named after the package's directory in
// reference mode (the runtime's function names), "main." in generated code.
package rt
