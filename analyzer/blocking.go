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
	for _, k := range []string{
		"net.Dial", "net.DialTimeout",
		"net/http.Get", "net/http.Post", "net/http.Head", "net/http.PostForm",
		"net/http.Client.Do", "net/http.Client.Get", "net/http.Client.Post", "net/http.Client.Head", "net/http.Client.PostForm",
		"os.ReadFile", "os.WriteFile", "os.Open", "os.OpenFile", "os.Create",
		"os.File.Read", "os.File.ReadAt", "os.File.Write", "os.File.WriteAt", "os.File.WriteString",
		"io.ReadAll",
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
