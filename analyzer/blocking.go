package analyzer

import (
	"fmt"
	"go/types"
	"slices"
	"strings"
)

// blocking is an entry of the list of blocking functions: what to write
// instead.
type blocking struct{ instead string }

const (
	useThread = "run it in a function passed to rt.ToThread, or use the loop's non-blocking I/O"
	useLock   = "tasks of one loop need no lock between awaits; to hold one across awaits use an awaitable lock from rt"
	useDial   = "connect with the loop's own streams, s, err := rt.Try(rt.Dial(network, addr)), then rt.Await(s.Read(p)) and rt.Await(s.Write(p)); " +
		"or dial in a function passed to rt.ToThread"
	useStream = "use a stream of the loop instead (from rt.Dial, or Accept of rt.Listen's listener): rt.Await(s.Read(p)), rt.Await(s.Write(p)); " +
		"or do the I/O in a function passed to rt.ToThread"
	useListen = "listen with the loop's own listener, ln, err := rt.Try(rt.Listen(network, addr)), and accept with rt.Await(ln.Accept()); " +
		"or accept in a function passed to rt.ToThread"
	useServe = "serve on its own goroutine, go http.ListenAndServe(addr, h) (or in a function passed to rt.ToThread), " +
		"or serve the streams accepted from rt.Listen's listener"
)

// blockingFuncs are the functions and methods that block the calling
// goroutine, keyed as funcKey does: "pkg/path.Func" or
// "pkg/path.Type.Method".
var blockingFuncs = map[string]blocking{
	"time.Sleep":         {"write rt.Await(rt.Sleep(d))"},
	"sync.Mutex.Lock":    {useLock},
	"sync.RWMutex.Lock":  {useLock},
	"sync.RWMutex.RLock": {useLock},
	"sync.WaitGroup.Wait": {"spawn the work as tasks and await them, rt.Await(rt.Gather(...)), " +
		"or wait in a function passed to rt.ToThread"},
	"sync.Cond.Wait": {"await an rt future (rt.NewFuture) that the signalling side completes"},
}

func init() {
	for k, instead := range map[string]string{
		"net.Dial": useDial, "net.DialTimeout": useDial, "net.Dialer.Dial": useDial, "net.Dialer.DialContext": useDial,
		"net.Conn.Read": useStream, "net.Conn.Write": useStream,
		"net.TCPConn.Read": useStream, "net.TCPConn.Write": useStream, "net.TCPConn.ReadFrom": useStream,
		"net.UnixConn.Read": useStream, "net.UnixConn.Write": useStream,
		"net.Listener.Accept": useListen, "net.TCPListener.Accept": useListen, "net.TCPListener.AcceptTCP": useListen,
		"net.UnixListener.Accept": useListen,
		"net/http.ListenAndServe": useServe, "net/http.ListenAndServeTLS": useServe, "net/http.Serve": useServe,
		"net/http.Server.ListenAndServe": useServe, "net/http.Server.ListenAndServeTLS": useServe, "net/http.Server.Serve": useServe,
	} {
		blockingFuncs[k] = blocking{instead}
	}
	for _, k := range []string{
		"net/http.Get", "net/http.Post", "net/http.Head", "net/http.PostForm",
		"net/http.Client.Do", "net/http.Client.Get", "net/http.Client.Post", "net/http.Client.Head", "net/http.Client.PostForm",
		"os.ReadFile", "os.WriteFile", "os.Open", "os.OpenFile", "os.Create",
		"os.File.Read", "os.File.ReadAt", "os.File.Write", "os.File.WriteAt", "os.File.WriteString",
		"io.ReadAll", "io.Copy", "io.CopyN", "io.CopyBuffer", "io.ReadFull",
		"bufio.Scanner.Scan",
		"database/sql.DB.Query", "database/sql.DB.QueryRow", "database/sql.DB.Exec",
		"database/sql.DB.QueryContext", "database/sql.DB.QueryRowContext", "database/sql.DB.ExecContext",
		"os/exec.Cmd.Run", "os/exec.Cmd.Output", "os/exec.Cmd.CombinedOutput", "os/exec.Cmd.Wait",
	} {
		blockingFuncs[k] = blocking{useThread}
	}
}

// extraBlocking holds the functions added with -blocking.
var extraBlocking = funcList{}

// checkGenerated is -generated.
var checkGenerated = true

func init() {
	Analyzer.Flags.Var(extraBlocking, "blocking",
		"comma-separated functions and methods to report as blocking calls in async functions, besides the built-in list: "+
			"pkg/path.Func or pkg/path.Type.Method (e.g. database/sql.DB.Query); may be repeated")
	Analyzer.Flags.BoolVar(&checkGenerated, "generated", true,
		"report generated files (x_coro.go) that are missing or stale; effective only with -tags corosrc, where the sources are visible")
}

// funcList is a flag.Value: a set of function keys.
type funcList map[string]bool

func (l funcList) String() string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, ",")
}

func (l funcList) Set(s string) error {
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		key, err := parseFuncKey(item)
		if err != nil {
			return err
		}
		l[key] = true
	}
	return nil
}

// parseFuncKey normalises a function named on the command line:
// pkg/path.Func, pkg/path.Type.Method, or (*pkg/path.Type).Method.
func parseFuncKey(s string) (string, error) {
	k := s
	if strings.HasPrefix(k, "(") {
		recv, method, ok := strings.Cut(k[1:], ").")
		if !ok {
			return "", fmt.Errorf("bad function %q: want pkg/path.Func or pkg/path.Type.Method", s)
		}
		k = strings.TrimPrefix(recv, "*") + "." + method
	}
	slash := strings.LastIndex(k, "/")
	last := k[slash+1:]
	if dot := strings.Index(last, "."); dot <= 0 || strings.HasSuffix(last, ".") || strings.Contains(last, "..") {
		return "", fmt.Errorf("bad function %q: want pkg/path.Func or pkg/path.Type.Method", s)
	}
	return k, nil
}

// funcKey returns the key of fn in the lists: "pkg/path.Func" or
// "pkg/path.Type.Method" (methods of a pointer receiver and methods
// promoted by embedding are keyed by the type that declares them).
func funcKey(fn *types.Func) string {
	fn = fn.Origin()
	if fn.Pkg() == nil {
		return ""
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return fn.Pkg().Path() + "." + fn.Name()
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	return n.Obj().Pkg().Path() + "." + n.Obj().Name() + "." + fn.Name()
}

// displayName names fn as a user writes it: time.Sleep, sync.Mutex.Lock.
func displayName(fn *types.Func) string {
	key := funcKey(fn)
	if key == "" || fn.Pkg() == nil {
		return fn.Name()
	}
	path := fn.Pkg().Path()
	if recv := fn.Signature().Recv(); recv != nil {
		if n, ok := types.Unalias(deref(recv.Type())).(*types.Named); ok && n.Obj().Pkg() != nil {
			return n.Obj().Pkg().Name() + "." + n.Obj().Name() + "." + fn.Name()
		}
	}
	return fn.Pkg().Name() + strings.TrimPrefix(key, path)
}

func deref(t types.Type) types.Type {
	if p, ok := t.(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}
