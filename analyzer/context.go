package analyzer

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/corogen/corogen/internal/asyncfn"
)

// loopness says whether code runs on an event loop.
type loopness uint8

const (
	loopUnknown loopness = iota // it depends on who calls it
	loopOn                      // it runs on the loop: a coroutine or code it calls
	loopOff                     // it never runs on a loop
)

// fnCtx is what the analyzer knows of the function that code belongs to.
type fnCtx struct {
	coro  bool // a coroutine body (or a deferred literal of one): an await suspends it
	async bool // inside the declaration of an async function
	loop  loopness
	where string // for loopOff: what it is, "func main", "a goroutine", ...
}

// ctxAt returns the context of the code at cur: that of the innermost
// function containing it (a function literal node itself belongs to the
// code around it).
func (a *pass) ctxAt(cur inspector.Cursor) fnCtx {
	for c := range cur.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch n := c.Node().(type) {
		case *ast.FuncDecl:
			return a.declCtx(n)
		case *ast.FuncLit:
			if c != cur {
				return a.litCtx(c)
			}
		}
	}
	return fnCtx{loop: loopOff, where: "a package-level variable initializer"}
}

func (a *pass) declCtx(d *ast.FuncDecl) fnCtx {
	switch {
	case a.asyncDecl[d]:
		return fnCtx{async: true}
	case d.Recv != nil || d.Type.TypeParams != nil:
		return fnCtx{}
	case d.Name.Name == "init":
		return fnCtx{loop: loopOff, where: "func init"}
	case d.Name.Name == "main" && a.Pkg.Name() == "main":
		return fnCtx{loop: loopOff, where: "func main"}
	}
	return fnCtx{}
}

// litCtx returns the context of the body of the function literal at c,
// which depends on how the literal is used.
func (a *pass) litCtx(c inspector.Cursor) fnCtx {
	lit := c.Node().(*ast.FuncLit)
	if ctx, ok := a.lits[lit]; ok {
		return ctx
	}
	outer := a.ctxAt(c)
	ctx := fnCtx{async: outer.async}
	parent := c.Parent()
	switch kind, _ := c.ParentEdge(); kind {
	case edge.CallExpr_Args:
		call := parent.Node().(*ast.CallExpr)
		if body, _ := asyncfn.BodyLit(a.TypesInfo, call); body == lit {
			// A coroutine body: the async function's, or an inline one.
			ctx.coro, ctx.loop = true, loopOn
		} else if name := a.threadStarter(call); name != "" {
			ctx.loop, ctx.where = loopOff, "a function run on another goroutine by "+name
		} else if outer.loop == loopOn {
			ctx.loop = loopOn // a callback: it runs on the loop if it runs at all now
		}
	case edge.CallExpr_Fun:
		switch k, _ := parent.ParentEdge(); k {
		case edge.GoStmt_Call:
			ctx.loop, ctx.where = loopOff, "a goroutine (go func() {...}())"
		case edge.DeferStmt_Call:
			// A deferred literal of a coroutine runs as part of it and
			// may await; otherwise it runs where its function runs.
			ctx.coro, ctx.loop, ctx.where = outer.coro, outer.loop, outer.where
		default:
			ctx.loop, ctx.where = outer.loop, outer.where
		}
	default:
		if outer.loop == loopOn {
			ctx.loop = loopOn
		}
	}
	a.lits[lit] = ctx
	return ctx
}

// threadStarter returns the name of the function called by call if it runs
// its function argument on another goroutine, or "".
func (a *pass) threadStarter(call *ast.CallExpr) string {
	fn, ok := typeutil.Callee(a.TypesInfo, call).(*types.Func)
	if !ok || fn.Pkg() == nil {
		return ""
	}
	if fn.Pkg().Path() == asyncfn.RTPath && (fn.Name() == "ToThread" || fn.Name() == "ToThreadErr") {
		return "rt." + fn.Name()
	}
	switch fn.Origin().FullName() {
	case "(*sync.WaitGroup).Go":
		return "sync.WaitGroup.Go"
	case "(*golang.org/x/sync/errgroup.Group).Go", "(*golang.org/x/sync/errgroup.Group).TryGo":
		return "errgroup.Group." + fn.Name()
	}
	return ""
}
