package transform

import (
	"go/ast"
	"go/token"
	"go/types"
)

// rangeStmt lowers a range loop that awaits. The range expression is
// evaluated once, before the loop, as Go does; each kind then becomes a
// counted or receiving loop over temporaries that survive the awaits.
func (l *lowering) rangeStmt(s *ast.RangeStmt, label string) {
	xt := l.g.info.TypeOf(s.X)
	if !l.hasAwait(s.Body) {
		// Only the range expression awaits: evaluate it, then range as written.
		x := l.expr(s.X)
		if !isIdent(x) {
			tmp := l.temp(xt, s.X.Pos(), "rng")
			l.assign(tmp, x)
			x = l.use(tmp)
		}
		kept := ast.Stmt(&ast.RangeStmt{For: s.For, Key: s.Key, Value: s.Value, TokPos: s.TokPos, Tok: s.Tok, Range: s.Range, X: x, Body: s.Body})
		if label != "" {
			// break and continue of the label stay inside the kept loop.
			kept = &ast.LabeledStmt{Label: &ast.Ident{Name: label, NamePos: s.Pos()}, Colon: s.Pos(), Stmt: kept}
		}
		l.keep(kept)
		return
	}
	under := xt.Underlying()
	if tp, ok := xt.(*types.TypeParam); ok {
		under = coreType(tp)
		if under == nil {
			l.g.errorf(s.X.Pos(), "range over a value of type parameter type %s with an await in the body: convert it to a concrete slice, map or channel type first", xt)
			return
		}
	}
	if p, ok := under.(*types.Pointer); ok {
		under = p.Elem().Underlying()
	}
	next, end := l.newBlock("next"), l.newBlock("endrange")
	body := func(key, value ast.Expr) {
		l.bindIteration(s, key, value)
		l.breakables = append(l.breakables, &breakable{label: label, brk: end, cont: next, isLoop: true})
		l.stmts(s.Body.List)
		l.breakables = l.breakables[:len(l.breakables)-1]
		if l.cur != nil {
			l.jump(next, s.Body.Rbrace)
		}
		l.start(end)
	}
	intT := types.Typ[types.Int]
	switch u := under.(type) {
	case *types.Basic:
		if u.Info()&types.IsString != 0 {
			str := l.evalOnce(s.X, xt, "str")
			i := l.temp(intT, s.Pos(), "i")
			w := l.temp(intT, s.Pos(), "w")
			var r ast.Expr = &ast.Ident{Name: "_"}
			if s.Value != nil && !isBlank(s.Value) {
				r = l.temp(types.Typ[types.Rune], s.Pos(), "r")
			}
			l.assign(i, zeroInt())
			l.assign(w, zeroInt())
			l.start(next)
			l.emit(&opStmt{s: &ast.AssignStmt{Lhs: []ast.Expr{l.use(i)}, Tok: token.ADD_ASSIGN, TokPos: s.Pos(), Rhs: []ast.Expr{l.use(w)}}})
			l.jumpIf(&ast.BinaryExpr{X: l.use(i), Op: token.LSS, Y: call("len", l.reuse(str))}, true, end)
			l.emit(&opStmt{s: &ast.AssignStmt{
				Lhs: []ast.Expr{l.reuse(r), l.use(w)}, Tok: token.ASSIGN, TokPos: s.Pos(),
				Rhs: []ast.Expr{&ast.CallExpr{Fun: utf8Decode, Args: []ast.Expr{&ast.SliceExpr{X: l.reuse(str), Low: l.use(i)}}}},
			}})
			body(l.use(i), l.reuse(r))
			return
		}
		// An integer: for i := range n.
		n := l.evalOnce(s.X, xt, "n")
		it := defaultType(xt)
		i := l.temp(it, s.Pos(), "i")
		l.assign(i, zeroInt())
		l.jump(next, s.Pos())
		step := l.newBlock("step")
		l.start(step)
		l.emit(&opStmt{s: &ast.IncDecStmt{X: l.use(i), Tok: token.INC, TokPos: s.Pos()}})
		l.start(next)
		l.jumpIf(&ast.BinaryExpr{X: l.use(i), Op: token.LSS, Y: l.reuse(n)}, true, end)
		l.bindIteration(s, l.use(i), nil)
		l.breakables = append(l.breakables, &breakable{label: label, brk: end, cont: step, isLoop: true})
		l.stmts(s.Body.List)
		l.breakables = l.breakables[:len(l.breakables)-1]
		if l.cur != nil {
			l.jump(step, s.Body.Rbrace)
		}
		l.start(end)
	case *types.Slice, *types.Array:
		var seq ast.Expr
		var n ast.Expr
		if _, ok := u.(*types.Array); ok && s.Value == nil && !l.hasCall(s.X) && !l.hasAwait(s.X) {
			// Only the index, and len(x) is a constant: Go does not
			// evaluate x. len(x) keeps the variables x names referenced.
			n = call("len", s.X)
		} else {
			seq = l.evalOnce(s.X, xt, "seq")
			ln := l.temp(intT, s.Pos(), "n")
			l.assign(ln, call("len", l.reuse(seq)))
			n = l.use(ln)
		}
		i := l.temp(intT, s.Pos(), "i")
		l.assign(i, &ast.UnaryExpr{Op: token.SUB, X: &ast.BasicLit{Kind: token.INT, Value: "1"}})
		l.start(next)
		l.emit(&opStmt{s: &ast.IncDecStmt{X: l.use(i), Tok: token.INC, TokPos: s.Pos()}})
		l.jumpIf(&ast.BinaryExpr{X: l.use(i), Op: token.LSS, Y: l.reuse(n)}, true, end)
		var value ast.Expr
		if s.Value != nil {
			value = &ast.IndexExpr{X: l.reuse(seq), Index: l.use(i)}
		}
		body(l.use(i), value)
	case *types.Map:
		m := l.evalOnce(s.X, xt, "m")
		keys := l.temp(types.NewSlice(u.Key()), s.Pos(), "keys")
		l.assign(keys, &ast.CallExpr{Fun: rtMapKeys, Args: []ast.Expr{l.reuse(m)}})
		i := l.temp(intT, s.Pos(), "i")
		l.assign(i, zeroInt())
		k := l.temp(u.Key(), s.Pos(), "k")
		var v ast.Expr = &ast.Ident{Name: "_"}
		if s.Value != nil && !isBlank(s.Value) {
			v = l.temp(u.Elem(), s.Pos(), "v")
		}
		ok := l.temp(types.Typ[types.Bool], s.Pos(), "ok")
		l.start(next)
		l.jumpIf(&ast.BinaryExpr{X: l.use(i), Op: token.LSS, Y: call("len", l.use(keys))}, true, end)
		l.assign(l.use(k), &ast.IndexExpr{X: l.use(keys), Index: l.use(i)})
		l.emit(&opStmt{s: &ast.IncDecStmt{X: l.use(i), Tok: token.INC, TokPos: s.Pos()}})
		// A key deleted before it is reached is not produced.
		l.emit(&opStmt{s: &ast.AssignStmt{Lhs: []ast.Expr{l.reuse(v), l.use(ok)}, Tok: token.ASSIGN, TokPos: s.Pos(),
			Rhs: []ast.Expr{&ast.IndexExpr{X: l.reuse(m), Index: l.use(k)}}}})
		l.jumpIf(l.use(ok), true, next)
		body(l.use(k), l.reuse(v))
	case *types.Chan:
		ch := l.evalOnce(s.X, xt, "ch")
		var v ast.Expr = &ast.Ident{Name: "_"}
		if s.Key != nil && !isBlank(s.Key) {
			v = l.temp(u.Elem(), s.Pos(), "v")
		}
		ok := l.temp(types.Typ[types.Bool], s.Pos(), "ok")
		l.start(next)
		l.emit(&opStmt{s: &ast.AssignStmt{Lhs: []ast.Expr{l.reuse(v), l.use(ok)}, Tok: token.ASSIGN, TokPos: s.Pos(),
			Rhs: []ast.Expr{&ast.UnaryExpr{Op: token.ARROW, X: l.reuse(ch)}}}})
		l.jumpIf(l.use(ok), true, end)
		body(l.reuse(v), nil)
	case *types.Signature:
		l.g.errorf(s.Pos(), "await inside the body of a range-over-func loop is not supported")
	default:
		l.g.errorf(s.Pos(), "corogen cannot lower a range over %s with an await in the body", xt)
	}
}

// evalOnce evaluates the range expression into a temporary.
func (l *lowering) evalOnce(x ast.Expr, t types.Type, hint string) ast.Expr {
	tmp := l.temp(t, x.Pos(), hint)
	l.assign(tmp, l.expr(x))
	return l.use(tmp)
}

// bindIteration assigns an iteration's key and value to the loop's
// variables: new ones for :=, existing ones (any assignable) for =.
func (l *lowering) bindIteration(s *ast.RangeStmt, key, value ast.Expr) {
	var lhs, rhs []ast.Expr
	if s.Key != nil && !isBlank(s.Key) && key != nil {
		lhs, rhs = append(lhs, s.Key), append(rhs, key)
	}
	if s.Value != nil && !isBlank(s.Value) && value != nil {
		lhs, rhs = append(lhs, s.Value), append(rhs, value)
	}
	if len(lhs) == 0 {
		return
	}
	if s.Tok == token.DEFINE {
		for _, e := range lhs {
			id, _ := e.(*ast.Ident)
			l.declare(id)
		}
	}
	l.emit(&opStmt{s: &ast.AssignStmt{Lhs: lhs, Tok: s.Tok, TokPos: s.TokPos, Rhs: rhs}})
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

func zeroInt() ast.Expr { return &ast.BasicLit{Kind: token.INT, Value: "0"} }

// utf8Path is the one package the lowering imports by itself (for a range
// over a string); verify imports it from the standard library.
const utf8Path = "unicode/utf8"

// builtin calls and runtime helpers the lowering writes; the converter
// recognises these identifiers.
var (
	utf8Decode = &ast.Ident{Name: "utf8.DecodeRuneInString"}
	rtMapKeys  = &ast.Ident{Name: "rt.MapKeys"}
	builtinLen = &ast.Ident{Name: "len"}
)

func call(name string, args ...ast.Expr) *ast.CallExpr {
	if name != "len" {
		panic("unknown builtin " + name)
	}
	return &ast.CallExpr{Fun: builtinLen, Args: args}
}

// coreType returns the single underlying type of a type parameter's type
// set, or nil.
func coreType(tp *types.TypeParam) types.Type {
	iface, ok := tp.Constraint().Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	var core types.Type
	for i := 0; i < iface.NumEmbeddeds(); i++ {
		var terms []types.Type
		switch e := iface.EmbeddedType(i).(type) {
		case *types.Union:
			for j := 0; j < e.Len(); j++ {
				terms = append(terms, e.Term(j).Type())
			}
		default:
			terms = append(terms, e)
		}
		for _, t := range terms {
			u := t.Underlying()
			if core == nil {
				core = u
			} else if !types.Identical(core, u) {
				return nil
			}
		}
	}
	return core
}
