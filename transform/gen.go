package transform

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"github.com/corogen/corogen/internal/asyncfn"
)

// gen is the generation of one package.
type gen struct {
	fset    *token.FileSet
	pkg     *types.Package
	info    *types.Info
	noLines bool
	errs    []Error

	funcs    map[*types.Func]*asyncfn.Func // the package's async functions
	machines map[*types.Func]*machineName  // their machine types
	taken    map[string]bool               // package-level names in use
	edges    map[*types.Func][]*types.Func // direct awaits between async functions
	movables map[*types.Func]bool          // see movable

	// Types declared in async function bodies, moved to package level.
	hoisted     map[*types.TypeName]string
	hoistFailed map[*types.TypeName]bool // reported already
	hoistedDecl []*ast.TypeSpec
	currentFunc string // the async function being lowered

	// comments of the file being generated not written yet, in order; those
	// before commentsFrom are skipped (doc comments, written with their
	// declarations).
	comments     *[]*ast.CommentGroup
	commentsFrom token.Pos
	blockEnd     token.Pos // the closing brace of the block being converted
}

// Error is a positioned error: input corogen cannot transform.
type Error struct {
	Pos token.Position
	Msg string
}

func (e Error) Error() string { return fmt.Sprintf("%v: %s", e.Pos, e.Msg) }

func (g *gen) errorf(pos token.Pos, format string, args ...any) {
	e := Error{Pos: g.fset.Position(pos), Msg: fmt.Sprintf(format, args...)}
	for _, old := range g.errs {
		if old.Msg == e.Msg && old.Pos.Filename == e.Pos.Filename && old.Pos.Line == e.Pos.Line {
			return // one report per line is enough
		}
	}
	g.errs = append(g.errs, e)
}

// sortErrors orders errors by position and drops duplicates.
func sortErrors(errs []Error) []Error {
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i].Pos, errs[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	out := errs[:0]
	for i, e := range errs {
		if i > 0 && e == errs[i-1] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// machineName is the name of an async function's machine type.
type machineName struct {
	typ  string // e.g. fetchDataMachine
	name string // the coroutine's printed name, e.g. fetch.FetchData
}

// freshGlobal returns a package-level name based on base that nothing in
// the package uses yet.
func (g *gen) freshGlobal(base string) string {
	name := base
	for i := 2; g.taken[name] || g.pkg.Scope().Lookup(name) != nil; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	g.taken[name] = true
	return name
}

// hoistType moves a type declared in an async body to package level under
// a fresh name. It must not depend on anything else local to the function
// (a local constant, a type parameter), which would not exist there.
func (g *gen) hoistType(ts *ast.TypeSpec, body ast.Node) {
	obj, ok := g.info.Defs[ts.Name].(*types.TypeName)
	if !ok {
		return
	}
	bad := ""
	ast.Inspect(ts.Type, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || bad != "" {
			return bad == ""
		}
		o := g.info.Uses[id]
		if o == nil || o.Pkg() != g.pkg || o.Parent() == g.pkg.Scope() || o.Parent() == nil {
			return true
		}
		if tn, ok := o.(*types.TypeName); ok {
			if _, isTP := tn.Type().(*types.TypeParam); !isTP && o.Pos() >= body.Pos() && o.Pos() < body.End() {
				return true // another local type: moved too
			}
		}
		if _, isField := o.(*types.Var); isField && o.(*types.Var).IsField() {
			return true
		}
		bad = id.Name
		return false
	})
	if bad != "" || ts.TypeParams != nil {
		if ts.TypeParams != nil {
			bad = "type parameters"
		}
		g.errorf(ts.Pos(), "type %s is declared inside an async function and depends on %s, local to the function; declare both at package level", ts.Name.Name, bad)
		g.hoistFailed[obj] = true
		return
	}
	// Keep the name where it is free, so that %T and reflection read as in
	// the source.
	name := ts.Name.Name
	if g.taken[name] || g.pkg.Scope().Lookup(name) != nil {
		name = g.freshGlobal(lowerFirst(g.currentFunc) + upperFirst(name))
	} else {
		g.taken[name] = true
	}
	g.hoisted[obj] = name
	g.hoistedDecl = append(g.hoistedDecl, ts)
}

// movable reports whether an async function's machine may be moved in
// memory once it has suspended: nothing points into it. That rules out
// closures and coroutine literals (they capture the machine), defers,
// addresses of its variables (explicit, or taken by a pointer method or by
// slicing an array), and children embedded by value that are not movable.
func (g *gen) movable(fn *types.Func) bool {
	if v, ok := g.movables[fn]; ok {
		return v
	}
	g.movables[fn] = false // while deciding: a cycle through embedded children is not movable
	f := g.funcs[fn]
	ok := f != nil
	if ok {
		ast.Inspect(f.Lit.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit, *ast.DeferStmt:
				ok = false
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					ok = false
				}
			case *ast.SliceExpr:
				if t := g.info.TypeOf(n.X); t != nil {
					if _, isArr := t.Underlying().(*types.Array); isArr {
						ok = false
					}
				}
			case *ast.SelectorExpr:
				if sel, isSel := g.info.Selections[n]; isSel && sel.Kind() == types.MethodVal {
					if _, ptrRecv := sel.Obj().Type().(*types.Signature).Recv().Type().(*types.Pointer); ptrRecv && !isPointer(g.info.TypeOf(n.X)) {
						ok = false
					}
				}
			}
			return ok
		})
	}
	if ok {
		for _, callee := range g.edges[fn] {
			if !g.recursive(fn, callee) && !g.movable(callee) {
				ok = false
			}
		}
	}
	g.movables[fn] = ok
	return ok
}

// objOf returns the object an identifier defines or uses.
func (g *gen) objOf(id *ast.Ident) types.Object {
	if o := g.info.Defs[id]; o != nil {
		return o
	}
	return g.info.Uses[id]
}
