package asyncfn

import (
	"go/ast"
	"go/types"
)

// Check reports every await in fn that the transform cannot lower, with
// what to write instead. An empty result means fn can be transformed.
func Check(fn *Func, info *types.Info) []Diagnostic {
	c := &checker{info: info}
	c.body(fn.Lit.Body, scope{})
	return c.diags
}

type checker struct {
	info  *types.Info
	diags []Diagnostic
}

// scope is what encloses the code being checked.
type scope struct {
	plain     *ast.FuncLit   // nearest enclosing literal that is not a coroutine
	rangeFunc *ast.RangeStmt // nearest enclosing range-over-func loop of the coroutine
}

func (c *checker) report(n ast.Node, format string, args ...any) {
	c.diags = append(c.diags, diag(n, CatUnsupported, format, args...))
}

func (c *checker) body(b *ast.BlockStmt, s scope) {
	if b != nil {
		c.node(b, s)
	}
}

// node walks n, descending into function literals with the scope they get.
func (c *checker) node(n ast.Node, s scope) {
	called := map[ast.Expr]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			c.node(n.Body, scope{plain: n})
			return false
		case *ast.DeferStmt:
			if lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok && s.plain == nil {
				// A deferred literal of a coroutine may await: it runs
				// during the coroutine's unwinding, as a coroutine itself.
				for _, a := range n.Call.Args {
					c.node(a, s)
				}
				c.node(lit.Body, scope{})
				return false
			}
		case *ast.GoStmt:
			if IsAwait(c.info, n.Call) {
				c.report(n, "go rt.%s(...) does not run anything concurrently: spawn the coroutine instead, rt.Spawn(c)", RTFunc(c.info, n.Call))
				return false
			}
		case *ast.RangeStmt:
			if isFunc(c.info.TypeOf(n.X)) {
				c.node(n.X, s)
				inner := s
				inner.rangeFunc = n
				c.node(n.Body, inner)
				return false
			}
		case *ast.CallExpr:
			called[ast.Unparen(n.Fun)] = true
			if ix, ok := ast.Unparen(n.Fun).(*ast.IndexExpr); ok {
				called[ix.X] = true
			}
			if ix, ok := ast.Unparen(n.Fun).(*ast.IndexListExpr); ok {
				called[ix.X] = true
			}
			if lit, _ := BodyLit(c.info, n); lit != nil {
				// An inline coroutine: its awaits suspend its own machine.
				c.node(lit.Body, scope{})
				return false
			}
			if _, ok := KindOf(RTFunc(c.info, n)); ok && s.plain == nil {
				c.report(n, "rt.%s inside an async function needs a function literal argument, rt.%s(func() ... {...}), so that corogen can transform it", RTFunc(c.info, n), RTFunc(c.info, n))
			}
			if IsAwait(c.info, n) {
				switch {
				case s.plain != nil:
					c.report(n, "rt.%s inside a function literal that is not a coroutine: the literal cannot suspend; make it a coroutine, rt.Do(func() {...}) (or rt.Async), and await or spawn that", RTFunc(c.info, n))
				case s.rangeFunc != nil:
					c.report(n, "rt.%s inside the body of a range-over-func loop: the iterator's own stack cannot be suspended; collect the values first (for v := range seq { vs = append(vs, v) }) or pull them with iter.Pull, then await in a plain loop", RTFunc(c.info, n))
				}
			}
		case *ast.Ident, *ast.SelectorExpr:
			e := n.(ast.Expr)
			name := rtObj(c.info, e)
			if !called[e] && (name == "Await" || name == "Try") {
				c.report(e, "rt.%s must be called: rt.%s(x)", name, name)
			}
			if _, isSel := e.(*ast.SelectorExpr); isSel && name != "" {
				return false // do not look at the selected identifier again
			}
		}
		return true
	})
}

func rtObj(info *types.Info, e ast.Expr) string {
	var id *ast.Ident
	switch e := e.(type) {
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		id = e.Sel
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != RTPath {
		return ""
	}
	return fn.Name()
}

func isFunc(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

// containsAwait reports whether n has an await that is not inside a
// function literal.
func containsAwait(info *types.Info, n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if IsAwait(info, n) {
				found = true
			}
		}
		return !found
	})
	return found
}

// ContainsAwait reports whether n contains an await of the coroutine it
// belongs to: one that is not inside a function literal.
func ContainsAwait(info *types.Info, n ast.Node) bool { return containsAwait(info, n) }
