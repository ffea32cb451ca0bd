package analyzer

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// A timeout scope turns the cancellation its deadline caused into
// rt.ErrTimeout only in the result of End(err): End's result dropped, or a
// scope ended only by defer scope.End(nil), lets a timeout arrive as
// rt.ErrCancelled.

// scopeEnd returns the receiver of call if it is End of an *rt.TimeoutScope.
func (a *pass) scopeEnd(call *ast.CallExpr) (ast.Expr, bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "End" {
		return nil, false
	}
	s := a.TypesInfo.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal || !isRTPointer(s.Recv(), "TimeoutScope") {
		return nil, false
	}
	return sel.X, true
}

// checkEndDropped reports scope.End(err) as a statement.
func (a *pass) checkEndDropped(stmt *ast.ExprStmt, call *ast.CallExpr) bool {
	recv, ok := a.scopeEnd(call)
	if !ok {
		return false
	}
	d := analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(), Category: CatTimeoutScope,
		Message: "the error End returns is dropped, and only that result turns the deadline's cancellation into rt.ErrTimeout: " +
			"write err = " + types.ExprString(recv) + ".End(err) and return or handle err",
	}
	if len(call.Args) == 1 {
		if id, ok := ast.Unparen(call.Args[0]).(*ast.Ident); ok && id.Name != "_" {
			if v, ok := a.TypesInfo.Uses[id].(*types.Var); ok && types.Identical(v.Type(), types.Universe.Lookup("error").Type()) {
				d.SuggestedFixes = []analysis.SuggestedFix{{
					Message:   "Keep End's result in " + id.Name,
					TextEdits: []analysis.TextEdit{{Pos: stmt.Pos(), End: stmt.Pos(), NewText: []byte(id.Name + " = ")}},
				}}
			}
		}
	}
	a.report(d)
	return true
}

// checkDeferredEnd reports defer scope.End(nil) when nothing else ends the
// scope in the function: End(nil) cannot see the work's failure.
func (a *pass) checkDeferredEnd(cur inspector.Cursor, call *ast.CallExpr) {
	recv, ok := a.scopeEnd(call)
	if !ok || len(call.Args) != 1 || !a.TypesInfo.Types[call.Args[0]].IsNil() {
		return
	}
	id, ok := ast.Unparen(recv).(*ast.Ident)
	if !ok {
		return
	}
	scope := a.TypesInfo.Uses[id]
	fn := enclosingFunc(cur)
	if scope == nil || !fn.Valid() {
		return
	}
	for c := range fn.Preorder((*ast.Ident)(nil)) {
		if n := c.Node().(*ast.Ident); n == id || a.TypesInfo.Uses[n] != scope {
			continue
		}
		if k, _ := c.ParentEdge(); k != edge.SelectorExpr_X {
			return // the scope goes somewhere else, which may end it
		}
		sel := c.Parent().Node().(*ast.SelectorExpr)
		if k, _ := c.Parent().ParentEdge(); sel.Sel.Name == "End" && k == edge.CallExpr_Fun {
			return // ended elsewhere
		}
	}
	a.report(analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(), Category: CatTimeoutScope,
		Message: "the timeout scope is only ended by a deferred End(nil), which cannot see the failure of the work it limits: " +
			"when the deadline passes that failure arrives as rt.ErrCancelled, not rt.ErrTimeout; where the work ends, write err = " +
			id.Name + ".End(err) (the deferred End can stay as a safety net)",
	})
}
