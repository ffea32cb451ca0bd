package transform

import (
	"go/ast"
	"go/types"
	"strconv"
	"strings"

	"github.com/corogen/corogen/internal/asyncfn"
)

// lowerFunc lowers an async function.
func (g *gen) lowerFunc(fn *asyncfn.Func) *lowering {
	l := g.newLowering(fn, nil, fn.Lit, fn.Kind)
	g.currentFunc = fn.Decl.Name.Name
	l.typeName = g.machines[fn.Obj].typ
	l.coroName = g.machines[fn.Obj].name
	d := fn.Decl
	if d.Recv != nil {
		for _, f := range d.Recv.List {
			for _, id := range f.Names {
				l.param(id)
			}
			if len(f.Names) == 0 {
				l.params = append(l.params, l.addVar(&variable{typ: g.info.TypeOf(f.Type), kind: vkParam, name: "_"}))
			}
		}
	}
	for _, f := range d.Type.Params.List {
		for _, id := range f.Names {
			l.param(id)
		}
		if len(f.Names) == 0 {
			l.params = append(l.params, l.addVar(&variable{typ: g.info.TypeOf(f.Type), kind: vkParam, name: "_"}))
		}
	}
	l.lower()
	return l
}

// newLowering prepares the lowering of a coroutine body.
func (g *gen) newLowering(fn *asyncfn.Func, outer *lowering, lit *ast.FuncLit, kind asyncfn.Kind) *lowering {
	l := &lowering{
		g: g, outer: outer, fn: fn, kind: kind, lit: lit,
		sig:     g.info.TypeOf(lit).(*types.Signature),
		byObj:   map[types.Object]*variable{},
		temps:   map[*ast.Ident]*variable{},
		labels:  map[string]*block{},
		escapes: map[*ast.BranchStmt]*block{},
		inline:  map[*ast.FuncLit]*lowering{},
	}
	return l
}

func (l *lowering) param(id *ast.Ident) {
	obj, _ := l.g.info.Defs[id].(*types.Var)
	if obj == nil {
		return
	}
	v := l.addVar(&variable{obj: obj, typ: obj.Type(), pos: id.Pos(), kind: vkParam})
	if id.Name == "_" {
		v.name = "_"
	}
	l.params = append(l.params, v)
}

// lower lowers the body, then finds the inline coroutines in it and decides
// where every variable lives.
func (l *lowering) lower() {
	// Results of the body literal: named ones are variables of the body.
	res := l.sig.Results()
	for i := 0; i < res.Len(); i++ {
		r := res.At(i)
		v := &variable{typ: r.Type(), pos: r.Pos(), kind: vkResult}
		if r.Name() != "" && r.Name() != "_" {
			v.obj = r
		}
		l.results = append(l.results, l.addVar(v))
	}
	l.start(l.newBlock("entry"))
	l.stmts(l.lit.Body.List)
	if l.cur != nil {
		l.emit(&opReturn{pos: l.lit.Body.Rbrace, implied: true})
	}
	for name, b := range l.labels {
		if b.id == 0 && b != l.blocks[0] {
			l.g.errorf(l.lit.Pos(), "corogen lost the target of label %s", name)
		}
	}
	l.markCaptures(l.lit.Body)
	l.findInline(l.lit.Body, 0)
	l.analyse()
}

// findInline lowers the coroutine literals this body creates: inline
// rt.Async (and friends) anywhere in it, and deferred literals that await.
func (l *lowering) findInline(n ast.Node, closures int) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if lit, kind := asyncfn.BodyLit(l.g.info, n); lit != nil {
				l.addInline(lit, kind, false)
				return false
			}
		case *ast.DeferStmt:
			if lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok && closures == 0 && l.hasAwaitDeep(lit.Body) {
				l.hasDefers = true
				for _, a := range n.Call.Args {
					l.findInline(a, closures)
				}
				l.addInline(lit, asyncfn.Do, true)
				return false
			}
		case *ast.FuncLit:
			l.findInline(n.Body, closures+1)
			return false
		}
		return true
	})
}

// hasAwaitDeep reports whether a deferred literal's body awaits, itself or
// in a literal it defers in turn (asyncfn's checker accepts both): either
// makes the literal a coroutine, so that the inner one can be lowered too.
func (l *lowering) hasAwaitDeep(b *ast.BlockStmt) bool {
	found := l.hasAwait(b)
	ast.Inspect(b, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			if lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok && l.hasAwaitDeep(lit.Body) {
				found = true
			}
		}
		return !found
	})
	return found
}

func (l *lowering) addInline(lit *ast.FuncLit, kind asyncfn.Kind, deferred bool) {
	il := l.g.newLowering(l.fn, l, lit, kind)
	n := len(l.root().inlineOf) + 1
	base := lowerFirst(strings.TrimSuffix(l.root().typeName, "Machine"))
	word := "Lit"
	if deferred {
		word = "Defer"
	}
	il.ctorName = l.g.freshGlobal(base + word + itoa(n))
	il.typeName = l.g.freshGlobal(il.ctorName + "Machine")
	il.coroName = l.root().coroName
	if deferred {
		il.defers = il.addVar(&variable{name: "defers", typ: deferPtrType, kind: vkParam})
		il.params = append(il.params, il.defers)
		for _, f := range lit.Type.Params.List {
			for _, id := range f.Names {
				il.param(id)
			}
		}
	}
	// Variables of enclosing code that the literal uses: pointers to them.
	for _, obj := range freeVars(l.g.info, lit) {
		v := il.addVar(&variable{obj: obj, typ: obj.Type(), pos: obj.Pos(), kind: vkCapture})
		il.params = append(il.params, v)
	}
	l.root().inlineOf = append(l.root().inlineOf, il)
	l.inline[lit] = il
	il.lower()
}

func (l *lowering) root() *lowering {
	for l.outer != nil {
		l = l.outer
	}
	return l
}

// deferPtrType stands for *rt.Defers in variable types.
var deferPtrType types.Type = types.NewPointer(types.NewStruct(nil, nil))

// freeVars returns the local variables declared outside lit that lit uses,
// in order of first use.
func freeVars(info *types.Info, lit *ast.FuncLit) []*types.Var {
	var out []*types.Var
	seen := map[*types.Var]bool{}
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || seen[v] || v.IsField() || v.Parent() == nil || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
			return true
		}
		if v.Pos() >= lit.Pos() && v.Pos() < lit.End() {
			return true // declared inside
		}
		seen[v] = true
		out = append(out, v)
		return true
	})
	return out
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func itoa(n int) string { return strconv.Itoa(n) }
