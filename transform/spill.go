package transform

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/corogen/corogen/internal/asyncfn"
)

// Expressions with awaits inside are lowered by spilling: every call (and
// receive) evaluated before an await is computed into a temporary first, so
// that calls keep Go's left-to-right order around the awaits, while plain
// operands (variables, constants, field and index reads) are read where the
// expression is finally evaluated, after the awaits, as gc reads them after
// the calls. && and || become jumps, so that an await on the right runs
// only when Go would evaluate the right side.

// awaitCall reports whether e is an await (rt.Await or rt.Try).
func (l *lowering) awaitCall(e ast.Expr) (*ast.CallExpr, bool) {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || !asyncfn.IsAwait(l.g.info, call) {
		return nil, false
	}
	return call, true
}

// await lowers an await at the top level: its awaitable is evaluated, then
// the machine suspends until it completes, then lhs receives the result.
func (l *lowering) await(call *ast.CallExpr, lhs []ast.Expr, define bool) {
	o := &opAwait{call: call, try: asyncfn.RTFunc(l.g.info, call) == "Try", lhs: lhs, define: define}
	arg := ast.Unparen(call.Args[0])
	if c := l.childCall(arg); c != nil {
		o.child = c
	} else {
		o.arg = l.expr(arg)
	}
	l.awaits = append(l.awaits, o)
	o.state = len(l.awaits)
	l.emit(o)
}

// childCall recognises an awaited call of a same-package async function
// and lowers its receiver and arguments.
func (l *lowering) childCall(e ast.Expr) *childCall {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return nil
	}
	id, sel := calleeIdent(call)
	var recv ast.Expr
	if sel != nil {
		s := l.g.info.Selections[sel]
		if s == nil || s.Kind() != types.MethodVal {
			return nil
		}
		recv = sel.X
	}
	if id == nil || call.Ellipsis.IsValid() {
		return nil
	}
	obj, ok := l.g.objOf(id).(*types.Func)
	if !ok {
		return nil
	}
	obj = obj.Origin()
	fn := l.g.funcs[obj]
	if fn == nil {
		return nil
	}
	c := &childCall{callee: &callee{obj: obj, machine: l.g.machines[obj].typ}}
	if inst, ok := l.g.info.Instances[id]; ok {
		for i := 0; i < inst.TypeArgs.Len(); i++ {
			c.targs = append(c.targs, inst.TypeArgs.At(i))
		}
	}
	exprs := call.Args
	if recv != nil {
		// A method of a generic type: the machine takes the receiver's type arguments.
		rt := l.g.info.TypeOf(recv)
		if p, ok := rt.(*types.Pointer); ok {
			rt = p.Elem()
		}
		if n, ok := types.Unalias(rt).(*types.Named); ok {
			for i := 0; i < n.TypeArgs().Len(); i++ {
				c.targs = append(c.targs, n.TypeArgs().At(i))
			}
		}
		// The receiver: take its address or dereference it to match the method.
		recvType := obj.Type().(*types.Signature).Recv().Type()
		_, wantPtr := recvType.(*types.Pointer)
		isPtr := isPointer(l.g.info.TypeOf(recv))
		switch {
		case wantPtr && !isPtr:
			recv = &ast.UnaryExpr{OpPos: recv.Pos(), Op: token.AND, X: recv}
		case !wantPtr && isPtr:
			recv = &ast.StarExpr{Star: recv.Pos(), X: recv}
		}
		exprs = append([]ast.Expr{recv}, exprs...)
	}
	ops := l.operands(exprs)
	if recv != nil {
		c.recv, ops = ops[0], ops[1:]
	}
	c.args = ops
	return c
}

// expr lowers an expression that may contain awaits into one that does not,
// emitting what must happen first.
func (l *lowering) expr(e ast.Expr) ast.Expr {
	if e == nil || !l.hasAwait(e) {
		return e
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		return &ast.ParenExpr{Lparen: x.Lparen, X: l.expr(x.X), Rparen: x.Rparen}
	case *ast.CallExpr:
		if call, ok := l.awaitCall(x); ok {
			return l.awaitValue(call)
		}
		return l.call(x)
	case *ast.BinaryExpr:
		if x.Op == token.LAND || x.Op == token.LOR {
			return l.logical(x)
		}
		ops := l.operands([]ast.Expr{x.X, x.Y})
		return &ast.BinaryExpr{X: ops[0], OpPos: x.OpPos, Op: x.Op, Y: ops[1]}
	case *ast.UnaryExpr:
		return &ast.UnaryExpr{OpPos: x.OpPos, Op: x.Op, X: l.expr(x.X)}
	case *ast.StarExpr:
		return &ast.StarExpr{Star: x.Star, X: l.expr(x.X)}
	case *ast.SelectorExpr:
		return &ast.SelectorExpr{X: l.expr(x.X), Sel: x.Sel}
	case *ast.IndexExpr:
		ops := l.operands([]ast.Expr{x.X, x.Index})
		return &ast.IndexExpr{X: ops[0], Lbrack: x.Lbrack, Index: ops[1], Rbrack: x.Rbrack}
	case *ast.SliceExpr:
		parts := []ast.Expr{x.X, x.Low, x.High, x.Max}
		ops := l.operands(parts)
		return &ast.SliceExpr{X: ops[0], Lbrack: x.Lbrack, Low: ops[1], High: ops[2], Max: ops[3], Slice3: x.Slice3, Rbrack: x.Rbrack}
	case *ast.TypeAssertExpr:
		return &ast.TypeAssertExpr{X: l.expr(x.X), Lparen: x.Lparen, Type: x.Type, Rparen: x.Rparen}
	case *ast.CompositeLit:
		var parts []ast.Expr
		for _, el := range x.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				if _, isField := kv.Key.(*ast.Ident); isField && l.isStruct(x) {
					parts = append(parts, nil, kv.Value)
				} else {
					parts = append(parts, kv.Key, kv.Value)
				}
			} else {
				parts = append(parts, el)
			}
		}
		ops := l.operands(parts)
		elts := make([]ast.Expr, 0, len(x.Elts))
		i := 0
		for _, el := range x.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				key := ops[i]
				if key == nil {
					key = kv.Key
				}
				elts = append(elts, &ast.KeyValueExpr{Key: key, Colon: kv.Colon, Value: ops[i+1]})
				i += 2
			} else {
				elts = append(elts, ops[i])
				i++
			}
		}
		return &ast.CompositeLit{Type: x.Type, Lbrace: x.Lbrace, Elts: elts, Rbrace: x.Rbrace, Incomplete: x.Incomplete}
	case *ast.KeyValueExpr:
		ops := l.operands([]ast.Expr{x.Key, x.Value})
		return &ast.KeyValueExpr{Key: ops[0], Colon: x.Colon, Value: ops[1]}
	}
	l.g.errorf(e.Pos(), "corogen cannot lower an await inside a %T", e)
	return e
}

func (l *lowering) isStruct(x *ast.CompositeLit) bool {
	t := l.g.info.TypeOf(x)
	if t == nil {
		return false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	_, ok := t.Underlying().(*types.Struct)
	return ok
}

// awaitValue lowers an await used as a value: the result goes to a temporary.
func (l *lowering) awaitValue(call *ast.CallExpr) ast.Expr {
	t := l.g.info.TypeOf(call)
	if tuple, ok := t.(*types.Tuple); ok {
		// rt.Try as the sole argument of a call or a return: two temporaries.
		v := l.temp(tuple.At(0).Type(), call.Pos(), "v")
		err := l.temp(tuple.At(1).Type(), call.Pos(), "err")
		l.await(call, []ast.Expr{v, err}, false)
		return &multi{vals: []ast.Expr{l.use(v), l.use(err)}, call: call}
	}
	v := l.temp(t, call.Pos(), "v")
	l.await(call, []ast.Expr{v}, false)
	return l.use(v)
}

// multi stands for the two results of rt.Try used as the arguments of a
// call or the results of a return.
type multi struct {
	ast.Expr
	vals []ast.Expr
	call *ast.CallExpr
}

func (m *multi) Pos() token.Pos { return m.call.Pos() }
func (m *multi) End() token.Pos { return m.call.End() }

// call lowers a call that is not an await.
func (l *lowering) call(x *ast.CallExpr) ast.Expr {
	var parts []ast.Expr
	fun := ast.Unparen(x.Fun)
	funIsOperand := false
	if tv, ok := l.g.info.Types[x.Fun]; ok && !tv.IsType() && !tv.IsBuiltin() {
		switch f := fun.(type) {
		case *ast.Ident:
			_, isVar := l.g.objOf(f).(*types.Var)
			funIsOperand = isVar
		case *ast.SelectorExpr:
			if _, isPkg := l.pkgSelector(f); !isPkg {
				funIsOperand = true
			}
		default:
			funIsOperand = true
		}
	}
	builtinType := l.builtinTypeArg(x)
	if funIsOperand {
		if sel, ok := fun.(*ast.SelectorExpr); ok && l.g.info.Selections[sel] != nil && l.g.info.Selections[sel].Kind() == types.MethodVal {
			// A method call: its receiver is the operand.
			parts = append(parts, l.receiverOperand(sel))
		} else {
			parts = append(parts, x.Fun)
		}
	}
	args := x.Args
	if builtinType {
		args = args[1:]
	}
	parts = append(parts, args...)
	ops := l.operands(parts)
	nfun := x.Fun
	if funIsOperand {
		if sel, ok := fun.(*ast.SelectorExpr); ok && l.g.info.Selections[sel] != nil && l.g.info.Selections[sel].Kind() == types.MethodVal {
			nfun = &ast.SelectorExpr{X: ops[0], Sel: sel.Sel}
		} else {
			nfun = ops[0]
		}
		ops = ops[1:]
	}
	if builtinType {
		ops = append([]ast.Expr{x.Args[0]}, ops...)
	}
	// rt.Try's two results as all the arguments.
	if len(ops) == 1 {
		if m, ok := ops[0].(*multi); ok {
			ops = m.vals
		}
	}
	return &ast.CallExpr{Fun: nfun, Lparen: x.Lparen, Args: ops, Ellipsis: x.Ellipsis, Rparen: x.Rparen}
}

// builtinTypeArg reports whether the call's first argument is a type
// (make, new).
func (l *lowering) builtinTypeArg(x *ast.CallExpr) bool {
	if len(x.Args) == 0 {
		return false
	}
	tv, ok := l.g.info.Types[x.Args[0]]
	return ok && tv.IsType()
}

func (l *lowering) pkgSelector(s *ast.SelectorExpr) (*types.PkgName, bool) {
	id, ok := s.X.(*ast.Ident)
	if !ok {
		return nil, false
	}
	pn, ok := l.g.info.Uses[id].(*types.PkgName)
	return pn, ok
}

// receiverOperand is the receiver of a method call as an operand: its
// address when the method wants a pointer to an addressable value.
func (l *lowering) receiverOperand(sel *ast.SelectorExpr) ast.Expr {
	s := l.g.info.Selections[sel]
	recvType := s.Obj().Type().(*types.Signature).Recv().Type()
	_, wantPtr := recvType.(*types.Pointer)
	if wantPtr && !isPointer(l.g.info.TypeOf(sel.X)) && l.hasCall(sel.X) {
		return &ast.UnaryExpr{OpPos: sel.X.Pos(), Op: token.AND, X: sel.X}
	}
	return sel.X
}

// logical lowers && and || whose right side awaits into jumps.
func (l *lowering) logical(x *ast.BinaryExpr) ast.Expr {
	if !l.hasAwait(x.Y) {
		ops := l.operands([]ast.Expr{x.X})
		return &ast.BinaryExpr{X: ops[0], OpPos: x.OpPos, Op: x.Op, Y: x.Y}
	}
	t := l.temp(l.g.info.TypeOf(x), x.Pos(), "cond")
	l.assign(t, l.expr(x.X))
	done := l.newBlock("shortcut")
	l.jumpIf(l.use(t), x.Op == token.LAND, done)
	l.assign(l.use(t), l.expr(x.Y))
	l.start(done)
	return l.use(t)
}

// operands lowers a list of operands evaluated left to right (arguments,
// both sides of a binary expression, an assignment's parts). Nil entries are
// kept as nil.
func (l *lowering) operands(list []ast.Expr) []ast.Expr {
	last := -1
	for i, e := range list {
		if e != nil && l.hasAwait(e) {
			last = i
		}
	}
	out := make([]ast.Expr, len(list))
	for i, e := range list {
		switch {
		case e == nil:
		case i < last && l.hasAwait(e):
			out[i] = l.spill(l.expr(e), e)
		case i < last && l.hasCall(e):
			out[i] = l.spill(e, e)
		case i == last:
			out[i] = l.expr(e)
		default:
			out[i] = e
		}
	}
	return out
}

// spill evaluates e now into a temporary, unless it is one already.
func (l *lowering) spill(e ast.Expr, orig ast.Expr) ast.Expr {
	if m, ok := e.(*multi); ok {
		return m
	}
	if id, ok := e.(*ast.Ident); ok {
		if _, isTemp := l.temps[id]; isTemp {
			return e
		}
	}
	if !l.hasCall(e) && !isTempExpr(l, e) {
		return e
	}
	t := l.g.info.TypeOf(orig)
	if t == nil {
		if id, ok := e.(*ast.Ident); ok {
			if v := l.varOf(id); v != nil {
				t = v.typ
			}
		}
	}
	tmp := l.temp(t, orig.Pos(), "t")
	l.assign(tmp, e)
	return l.use(tmp)
}

func isTempExpr(l *lowering, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if _, isTemp := l.temps[id]; isTemp {
				found = true
			}
		}
		return !found
	})
	return found
}

// hasCall reports whether evaluating e calls a function or receives from a
// channel: what Go orders left to right.
func (l *lowering) hasCall(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				found = true
			}
		case *ast.BinaryExpr:
			if n.Op == token.LAND || n.Op == token.LOR {
				found = found || l.hasCall(n.Y)
			}
		case *ast.CallExpr:
			tv := l.g.info.Types[n.Fun]
			switch {
			case tv.IsType():
			case tv.IsBuiltin():
				if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok {
					switch id.Name {
					case "len", "cap", "append", "make", "new", "complex", "real", "imag", "min", "max":
					default:
						found = true
					}
				}
			default:
				found = true
			}
		}
		return !found
	})
	return found
}

// lvalues lowers assignment targets whose right side is an await: the
// calls in the operands of their index and pointer expressions are
// evaluated (in order) before it.
func (l *lowering) lvalues(lhs []ast.Expr) []ast.Expr {
	parts, rebuild := l.lvalueParts(lhs)
	ops := l.operands(parts)
	for i, op := range ops {
		if op != nil && l.hasCall(op) {
			ops[i] = l.spill(op, parts[i])
		}
	}
	return rebuild(ops)
}

// lvalueParts splits assignment targets into the operands evaluated before
// the assignment, and a function that rebuilds the targets from them.
func (l *lowering) lvalueParts(lhs []ast.Expr) ([]ast.Expr, func([]ast.Expr) []ast.Expr) {
	var parts []ast.Expr
	var builders []func(ops []ast.Expr, i *int) ast.Expr
	var split func(e ast.Expr) func(ops []ast.Expr, i *int) ast.Expr
	split = func(e ast.Expr) func(ops []ast.Expr, i *int) ast.Expr {
		switch x := e.(type) {
		case *ast.ParenExpr:
			return split(x.X)
		case *ast.IndexExpr:
			if l.isArray(x.X) {
				inner := split(x.X)
				parts = append(parts, x.Index)
				return func(ops []ast.Expr, i *int) ast.Expr {
					base := inner(ops, i)
					idx := ops[*i]
					*i++
					return &ast.IndexExpr{X: base, Lbrack: x.Lbrack, Index: idx, Rbrack: x.Rbrack}
				}
			}
			parts = append(parts, x.X, x.Index)
			return func(ops []ast.Expr, i *int) ast.Expr {
				e := &ast.IndexExpr{X: ops[*i], Lbrack: x.Lbrack, Index: ops[*i+1], Rbrack: x.Rbrack}
				*i += 2
				return e
			}
		case *ast.StarExpr:
			parts = append(parts, x.X)
			return func(ops []ast.Expr, i *int) ast.Expr {
				e := &ast.StarExpr{Star: x.Star, X: ops[*i]}
				*i++
				return e
			}
		case *ast.SelectorExpr:
			if isPointer(l.g.info.TypeOf(x.X)) {
				parts = append(parts, x.X)
				return func(ops []ast.Expr, i *int) ast.Expr {
					e := &ast.SelectorExpr{X: ops[*i], Sel: x.Sel}
					*i++
					return e
				}
			}
			inner := split(x.X)
			return func(ops []ast.Expr, i *int) ast.Expr {
				return &ast.SelectorExpr{X: inner(ops, i), Sel: x.Sel}
			}
		}
		return func([]ast.Expr, *int) ast.Expr { return e }
	}
	for _, e := range lhs {
		builders = append(builders, split(e))
	}
	return parts, func(ops []ast.Expr) []ast.Expr {
		out := make([]ast.Expr, len(lhs))
		i := 0
		for k, b := range builders {
			out[k] = b(ops, &i)
		}
		return out
	}
}

func (l *lowering) isArray(e ast.Expr) bool {
	t := l.g.info.TypeOf(e)
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Array)
	return ok
}

// deferCall lowers the awaits in a deferred call's function value and
// arguments, which are evaluated at the defer statement.
func (l *lowering) deferCall(call *ast.CallExpr) *ast.CallExpr {
	if _, ok := l.awaitCall(call); ok {
		// defer rt.Await(x): x is evaluated now, awaited when unwinding.
		return &ast.CallExpr{Fun: call.Fun, Lparen: call.Lparen, Args: []ast.Expr{l.expr(call.Args[0])}, Rparen: call.Rparen}
	}
	if _, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		return &ast.CallExpr{Fun: call.Fun, Lparen: call.Lparen, Args: l.operands(call.Args), Ellipsis: call.Ellipsis, Rparen: call.Rparen}
	}
	return l.expr(call).(*ast.CallExpr)
}
