package transform

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/dave/jennifer/jen"

	"github.com/corogen/corogen/internal/asyncfn"
)

// The emitter is the converter's rewriter: it knows where each variable
// moved, and what return, defer and branch statements become.

func (e *emitter) ident(c *conv, id *ast.Ident) jen.Code {
	switch id {
	case utf8Decode:
		return jen.Qual(utf8Path, "DecodeRuneInString")
	case rtMapKeys:
		return rtq("MapKeys")
	case builtinLen:
		return jen.Id("len")
	}
	v := e.l.varOf(id)
	if v == nil {
		return nil
	}
	return e.ref(c, v)
}

// ref is the code that denotes variable v.
func (e *emitter) ref(c *conv, v *variable) jen.Code {
	switch v.storage {
	case stLocal:
		e.useLocal(v)
		return jen.Id(v.name)
	case stField:
		return jen.Id(e.m).Dot(v.name)
	case stBoxed, stCapture:
		return jen.Parens(jen.Op("*").Add(e.ptr(c, v)))
	}
	return nil
}

// ptr is the code for the pointer a boxed or captured variable lives behind.
func (e *emitter) ptr(c *conv, v *variable) jen.Code {
	if a, ok := e.aliases[v]; ok && c != nil && c.closure > 0 {
		return jen.Id(a)
	}
	return jen.Id(e.m).Dot(v.name)
}

// addr is the code for &v.
func (e *emitter) addr(c *conv, v *variable) jen.Code {
	switch v.storage {
	case stBoxed, stCapture:
		return e.ptr(c, v)
	case stLocal:
		e.useLocal(v)
		return jen.Op("&").Id(v.name)
	}
	return jen.Op("&").Id(e.m).Dot(v.name)
}

func (e *emitter) useLocal(v *variable) {
	if v.used {
		return
	}
	v.used = true
}

func (e *emitter) expr(c *conv, x ast.Expr) jen.Code {
	switch x := x.(type) {
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			if id, ok := ast.Unparen(x.X).(*ast.Ident); ok {
				if v := e.l.varOf(id); v != nil && (v.storage == stBoxed || v.storage == stCapture) {
					return e.ptr(c, v)
				}
			}
		}
	case *ast.CallExpr:
		if lit, _ := asyncfn.BodyLit(e.g.info, x); lit != nil {
			if il := e.l.inline[lit]; il != nil {
				return e.inlineCall(c, il, nil)
			}
		}
		if c.closure > 0 {
			break
		}
		switch name := asyncfn.RTFunc(e.g.info, x); name {
		case "Spawn":
			return rtq("SpawnOn").Add(e.typeArgs(c, x.Fun)).Call(append([]jen.Code{e.loop()}, c.exprs(x.Args)...)...)
		case "Gather", "GatherAll":
			args := c.exprs(x.Args)
			if x.Ellipsis.IsValid() && len(args) > 0 {
				args[len(args)-1] = jen.Add(args[len(args)-1]).Op("...")
			}
			return rtq(name + "On").Add(e.typeArgs(c, x.Fun)).Call(append([]jen.Code{e.loop()}, args...)...)
		case "Now":
			return jen.Add(e.loop()).Dot("Now").Call()
		case "CurrentTask":
			return jen.Add(e.loop()).Dot("CurrentTask").Call()
		case "RunningLoop":
			return e.loop()
		case "Shield":
			// Shield spawns a coroutine argument at once on the running
			// loop: spawn it here, on the task's, as Spawn is.
			if len(x.Args) == 1 {
				if _, ok := asyncfn.CoroArg(e.g.info.TypeOf(x.Args[0])); ok {
					return rtq("Shield").Add(e.typeArgs(c, x.Fun)).Call(rtq("SpawnOn").Call(e.loop(), c.expr(x.Args[0])))
				}
			}
		}
		if e.l.defers != nil && isRecover(e.g.info, x) {
			return jen.Id(e.m).Dot(e.l.defers.name).Dot("Recover").Call()
		}
	}
	return nil
}

func (e *emitter) loop() jen.Code { return jen.Id(e.cx).Dot("Loop").Call() }

// typeArgs keeps the explicit type arguments of a call (rt.Gather[int]()).
func (e *emitter) typeArgs(c *conv, fun ast.Expr) jen.Code {
	switch f := ast.Unparen(fun).(type) {
	case *ast.IndexExpr:
		return jen.Types(c.expr(f.Index))
	case *ast.IndexListExpr:
		return jen.Types(c.exprs(f.Indices)...)
	}
	return jen.Null()
}

func isRecover(info *types.Info, call *ast.CallExpr) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == "recover"
}

// inlineCall creates an inline (or deferred) coroutine: its constructor gets
// pointers to the variables it shares with this code.
func (e *emitter) inlineCall(c *conv, il *lowering, args []jen.Code) jen.Code {
	var out []jen.Code
	ai := 0
	for _, p := range il.params {
		switch {
		case p == il.defers:
			out = append(out, jen.Op("&").Id(e.m).Dot("Defers"))
		case p.kind == vkCapture:
			if ov := e.l.byObj[p.obj]; ov != nil {
				out = append(out, e.addr(c, ov))
			} else {
				out = append(out, jen.Op("&").Id(p.obj.Name()))
			}
		case p.kind == vkParam:
			if p.name == "_" {
				ai++
				continue
			}
			out = append(out, args[ai])
			ai++
		}
	}
	return jen.Id(il.ctorName).Add(e.tparamArgs()).Call(out...)
}

func (e *emitter) stmt(c *conv, s ast.Stmt) jen.Code {
	switch x := s.(type) {
	case *ast.ReturnStmt:
		return joinLines(e.returnCode(x.Results, x.Pos()))
	case *ast.BranchStmt:
		if to, ok := e.l.escapes[x]; ok {
			return jen.Goto().Id(to.label)
		}
	case *ast.DeferStmt:
		return e.deferCode(c, x)
	case *ast.AssignStmt:
		if s == e.flat && x.Tok == token.DEFINE {
			var out []jen.Code
			for _, lhs := range x.Lhs {
				if id, ok := lhs.(*ast.Ident); ok && e.g.info.Defs[id] != nil {
					if v := e.l.varOf(id); v != nil && v.storage == stBoxed {
						out = append(out, jen.Id(e.m).Dot(v.name).Op("=").New(e.g.typeCode(v.typ, v.pos)))
					}
				}
			}
			out = append(out, jen.List(c.exprs(x.Lhs)...).Op("=").List(c.exprs(x.Rhs)...))
			return joinLines(out)
		}
	case *ast.DeclStmt:
		gd, ok := x.Decl.(*ast.GenDecl)
		if s != e.flat || !ok || gd.Tok != token.VAR {
			break
		}
		var out []jen.Code
		for _, sp := range gd.Specs {
			vs := sp.(*ast.ValueSpec)
			var lhs, rhs []jen.Code
			for i, id := range vs.Names {
				v := e.l.varOf(id)
				if v == nil {
					continue
				}
				if v.storage == stBoxed {
					out = append(out, jen.Id(e.m).Dot(v.name).Op("=").New(e.g.typeCode(v.typ, v.pos)))
				}
				lhs = append(lhs, c.ident(id))
				if len(vs.Values) == 0 {
					rhs = append(rhs, e.zero(v.typ, v.pos))
				} else if len(vs.Values) == len(vs.Names) {
					rhs = append(rhs, c.expr(vs.Values[i]))
				}
			}
			if len(vs.Values) == 1 && len(vs.Names) > 1 {
				rhs = []jen.Code{c.expr(vs.Values[0])}
			}
			if len(lhs) > 0 {
				out = append(out, jen.List(lhs...).Op("=").List(rhs...))
			}
		}
		return joinLines(out)
	}
	return nil
}

// joinLines makes one statement of several lines.
func joinLines(codes []jen.Code) jen.Code {
	if len(codes) == 1 {
		return codes[0]
	}
	s := jen.Null()
	for i, c := range codes {
		if i > 0 {
			s.Line()
		}
		s.Add(c)
	}
	return s
}

// deferCode pushes a deferred call on the machine's defer stack. The
// function value and arguments are evaluated now, as Go does; the call runs
// deferred inside the pushed function so that recover() in it works.
func (e *emitter) deferCode(c *conv, d *ast.DeferStmt) jen.Code {
	call := d.Call
	defers := jen.Op("&").Id(e.m).Dot("Defers")
	if asyncfn.IsAwait(e.g.info, call) {
		return rtq("DeferAwait").Call(defers, c.expr(call.Args[0]))
	}
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		if il := e.l.inline[lit]; il != nil {
			return rtq("DeferAwait").Call(defers, e.inlineCall(c, il, c.exprs(call.Args)))
		}
	}
	var bind []jen.Code
	var names []jen.Code
	bindExpr := func(x ast.Expr, hint string) jen.Code {
		if isStatic(e.g.info, x) {
			return c.expr(x)
		}
		n := e.vars.fresh(hint)
		bind = append(bind, jen.Id(n))
		names = append(names, c.expr(x))
		return jen.Id(n)
	}
	var fun jen.Code
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.FuncLit:
		fun = c.expr(f)
	case *ast.Ident:
		if _, isVar := e.g.objOf(f).(*types.Var); isVar {
			fun = bindExpr(f, "f")
		} else {
			fun = c.expr(f)
		}
	case *ast.SelectorExpr:
		if _, isPkg := e.g.info.Uses[identOf(f.X)].(*types.PkgName); isPkg {
			fun = c.expr(f)
		} else if sel := e.g.info.Selections[f]; sel != nil && sel.Kind() == types.MethodExpr {
			fun = c.expr(f)
		} else {
			fun = bindExpr(f, "f")
		}
	case *ast.IndexExpr, *ast.IndexListExpr:
		fun = c.expr(f)
	default:
		fun = bindExpr(f, "f")
	}
	args := make([]jen.Code, len(call.Args))
	for i, a := range call.Args {
		args[i] = bindExpr(a, "arg")
	}
	if call.Ellipsis.IsValid() && len(args) > 0 {
		args[len(args)-1] = jen.Add(args[len(args)-1]).Op("...")
	}
	raise := e.vars.fresh("raise")
	push := jen.Id(e.m).Dot("Defers").Dot("Push").Call(jen.Func().Params(jen.Id(raise).Func().Params()).Block(
		jen.Defer().Add(fun).Call(args...),
		jen.Id(raise).Call(),
	))
	if len(bind) == 0 {
		return push
	}
	return jen.Block(jen.List(bind...).Op(":=").List(names...), push)
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := e.(*ast.Ident)
	return id
}

// isStatic reports whether evaluating x later gives the same value: a
// constant, or a function declared at package level.
func isStatic(info *types.Info, x ast.Expr) bool {
	if tv, ok := info.Types[x]; ok && tv.Value != nil {
		return true
	}
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		switch info.Uses[x].(type) {
		case *types.Func, *types.Nil, *types.Const:
			return true
		}
	case *ast.SelectorExpr:
		if _, isPkg := info.Uses[identOf(x.X)].(*types.PkgName); isPkg {
			_, isFunc := info.Uses[x.Sel].(*types.Func)
			return isFunc
		}
	}
	return false
}

// ---- awaits, returns, unwinding ----

// failCode is what a failed await does: fail now, or unwind the defers.
func (e *emitter) failCode(err jen.Code) []jen.Code {
	if !e.l.hasDefers {
		return []jen.Code{jen.Return(jen.Id(e.m).Dot("Fail").Call(err))}
	}
	e.unwindUsed = true
	return []jen.Code{jen.Id(e.m).Dot("Defers").Dot("Unwind").Call(err), jen.Goto().Id(e.unwind)}
}

func (e *emitter) local(hint string, t types.Type, pos token.Pos) string {
	n := e.vars.fresh(hint)
	e.locals = append(e.locals, jen.Id(n).Add(e.g.typeCode(t, pos)))
	return n
}

// retype changes the type of the last local declared.
func (e *emitter) retype(name string, t jen.Code) {
	e.locals[len(e.locals)-1] = jen.Id(name).Add(t)
}

func (e *emitter) errLocal() string {
	if !e.errDeclared {
		e.errDeclared = true
		e.locals = append(e.locals, jen.Id(e.errName).Error())
	}
	return e.errName
}

func (e *emitter) awaitCode(o *opAwait) []jen.Code {
	c := e.c
	var out []jen.Code
	slot := jen.Id(e.m).Dot(o.slot.name)
	if o.slot.local {
		slot = jen.Id(o.slot.name)
	}
	line := c.lineDirective(o.call.Pos())
	var result jen.Code
	var got string // label after the suspension, for a child that completed on the stack
	if o.child != nil {
		var args []jen.Code
		if o.child.recv != nil {
			args = append(args, c.expr(o.child.recv))
		}
		args = append(args, c.exprs(o.child.args)...)
		switch {
		case o.slot.ptr && e.g.movable(o.child.callee.obj):
			// A recursive child runs on Poll's stack first; only if it
			// suspends is it moved to the heap (kept for later calls), so a
			// recursion that completes at once allocates nothing.
			done := e.local(o.slot.name+"Done", types.NewPointer(types.NewStruct(nil, nil)), o.call.Pos())
			e.retype(done, jen.Op("*").Add(e.childType(o)))
			got = e.labels.fresh(fmt.Sprintf("completed%d", o.state))
			child := e.vars.fresh("child")
			out = append(out, userLine{line.Add(jen.If(jen.Id(e.m).Dot(o.slot.name).Op("==").Nil()).Block(
				jen.Var().Id(child).Add(e.childType(o)),
				jen.Id(child).Dot("start").Call(args...),
				jen.If(jen.Id(child).Dot("Poll").Call(jen.Id(e.cx))).Block(
					jen.Id(done).Op("=").Op("&").Id(child),
					jen.Goto().Id(got),
				),
				// It suspended: it moves to the heap, and this machine waits too.
				jen.Id(e.m).Dot(o.slot.name).Op("=").New(e.childType(o)),
				jen.Op("*").Id(e.m).Dot(o.slot.name).Op("=").Id(child),
				jen.Id(e.m).Dot("State").Op("=").Lit(o.state),
				jen.Return(jen.False()),
			))})
			out = append(out,
				jen.Id(e.m).Dot(o.slot.name).Dot("start").Call(args...),
				jen.Id(e.m).Dot("State").Op("=").Lit(o.state),
				labelLine{jen.Id(e.resume[o]).Op(":")},
				userLine{c.lineDirective(o.call.Pos()).If(jen.Op("!").Add(slot.Clone()).Dot("Poll").Call(jen.Id(e.cx))).Block(jen.Return(jen.False()))},
				jen.Id(done).Op("=").Add(slot.Clone()),
				labelLine{jen.Id(got).Op(":")},
			)
			result = jen.Id(done).Dot("Result").Call()
		case o.slot.ptr:
			out = append(out, jen.If(jen.Id(e.m).Dot(o.slot.name).Op("==").Nil()).Block(
				jen.Id(e.m).Dot(o.slot.name).Op("=").New(e.childType(o)),
			))
			fallthrough
		default:
			out = append(out, userLine{line.Add(jen.Id(e.m).Dot(o.slot.name).Dot("start").Call(args...))})
		}
	} else {
		out = append(out, userLine{line.Add(slot.Clone().Op("=").Add(c.expr(o.arg)))})
	}
	if got == "" {
		out = append(out,
			jen.Id(e.m).Dot("State").Op("=").Lit(o.state),
			labelLine{jen.Id(e.resume[o]).Op(":")},
			userLine{c.lineDirective(o.call.Pos()).If(jen.Op("!").Add(slot.Clone()).Dot("Poll").Call(jen.Id(e.cx))).Block(jen.Return(jen.False()))},
		)
		if o.child != nil {
			result = jen.Add(slot.Clone()).Dot("Result").Call()
		} else {
			result = jen.Add(slot.Clone()).Dot("Outcome").Call(jen.Id(e.cx))
		}
	}
	callType := e.g.info.TypeOf(o.call)
	valType := callType
	if tuple, ok := callType.(*types.Tuple); ok {
		valType = tuple.At(0).Type()
	}
	failed := func(err jen.Code) jen.Code {
		if o.try {
			return rtq("IsPanic").Call(err)
		}
		return jen.Add(err).Op("!=").Nil()
	}
	switch {
	case len(o.lhs) == 0:
		errName := e.errLocal()
		out = append(out, jen.If(jen.List(jen.Id("_"), jen.Id(errName)).Op("=").Add(result), failed(jen.Id(errName))).Block(e.failCode(jen.Id(errName))...))
	case e.directTargets(o):
		// Targets nothing else can observe before the check: assign at once.
		lhs := []jen.Code{c.expr(o.lhs[0])}
		if o.try {
			lhs = append(lhs, c.expr(o.lhs[1]))
			out = append(out, jen.List(lhs...).Op("=").Add(result))
			out = append(out, jen.If(failed(c.expr(o.lhs[1]))).Block(e.failCode(c.expr(o.lhs[1]))...))
		} else {
			errName := e.errLocal()
			out = append(out, jen.List(append(lhs, jen.Id(errName))...).Op("=").Add(result))
			out = append(out, jen.If(failed(jen.Id(errName))).Block(e.failCode(jen.Id(errName))...))
		}
	default:
		errName := e.errLocal()
		v := e.local("v", valType, o.call.Pos())
		out = append(out, jen.List(jen.Id(v), jen.Id(errName)).Op("=").Add(result))
		out = append(out, jen.If(failed(jen.Id(errName))).Block(e.failCode(jen.Id(errName))...))
		vals := []jen.Code{jen.Id(v)}
		if o.try {
			vals = append(vals, jen.Id(errName))
		}
		out = append(out, e.assignTargets(o, vals)...)
	}
	return out
}

// directTargets reports whether an await's results can be assigned before
// its failure is checked: plain variables that no closure sees.
func (e *emitter) directTargets(o *opAwait) bool {
	for _, x := range o.lhs {
		id, ok := x.(*ast.Ident)
		if !ok || id.Name == "_" {
			return false
		}
		v := e.l.varOf(id)
		if v == nil || v.captured || v.storage == stBoxed || v.storage == stCapture {
			return false
		}
	}
	return true
}

// assignTargets stores an await's results in its targets (declaring new
// boxed variables).
func (e *emitter) assignTargets(o *opAwait, vals []jen.Code) []jen.Code {
	var out []jen.Code
	var lhs []jen.Code
	for _, x := range o.lhs {
		if id, ok := x.(*ast.Ident); ok && o.define && e.g.info.Defs[id] != nil {
			if v := e.l.varOf(id); v != nil && v.storage == stBoxed {
				out = append(out, jen.Id(e.m).Dot(v.name).Op("=").New(e.g.typeCode(v.typ, v.pos)))
			}
		}
		lhs = append(lhs, e.c.expr(x))
	}
	return append(out, jen.List(lhs...).Op("=").List(vals...))
}

func (e *emitter) childType(o *opAwait) jen.Code {
	t := jen.Id(o.slot.child.machine)
	if len(o.slot.targs) > 0 {
		args := make([]jen.Code, len(o.slot.targs))
		for i, ta := range o.slot.targs {
			args[i] = e.g.typeCode(ta, o.call.Pos())
		}
		t = t.Types(args...)
	}
	return t
}

// declareTo assigns a value to a variable the dispatch declares.
func (e *emitter) declareTo(v *variable, val jen.Code) []jen.Code {
	var out []jen.Code
	if v.storage == stBoxed {
		out = append(out, jen.Id(e.m).Dot(v.name).Op("=").New(e.g.typeCode(v.typ, v.pos)))
	}
	return append(out, jen.Add(e.ref(e.c, v)).Op("=").Add(val))
}

// returnCode ends the body with results (nil: the named results).
func (e *emitter) returnCode(results []ast.Expr, pos token.Pos) []jen.Code {
	l, c := e.l, e.c
	if len(results) == 1 {
		if m, ok := results[0].(*multi); ok {
			results = m.vals
		}
	}
	var vals []jen.Code
	if results == nil {
		for _, r := range l.results {
			vals = append(vals, e.ref(c, r))
		}
	} else {
		vals = c.exprs(results)
	}
	m := jen.Id(e.m)
	if l.hasDefers {
		var out []jen.Code
		if results != nil && len(l.results) > 0 {
			// Assign the results, leaving out a result returned as itself
			// (return data, nil with data a named result).
			var lhs, rhs []jen.Code
			multiValue := len(results) == 1 && len(l.results) > 1
			for i, r := range l.results {
				if !multiValue && i < len(results) {
					if id, ok := ast.Unparen(results[i]).(*ast.Ident); ok && l.varOf(id) == r {
						continue
					}
				}
				lhs = append(lhs, e.ref(c, r))
				if !multiValue {
					rhs = append(rhs, vals[i])
				}
			}
			if multiValue {
				rhs = vals
				lhs = lhs[:0]
				for _, r := range l.results {
					lhs = append(lhs, e.ref(c, r))
				}
			}
			if len(lhs) > 0 {
				out = append(out, jen.List(lhs...).Op("=").List(rhs...))
			}
		}
		e.unwindUsed = true
		return append(out, jen.Goto().Id(e.unwind))
	}
	switch l.kind {
	case asyncfn.Async:
		return []jen.Code{jen.Return(m.Dot("Complete").Call(vals...))}
	case asyncfn.AsyncErr:
		return []jen.Code{jen.Return(m.Dot("Return").Call(vals...))}
	case asyncfn.Do:
		return []jen.Code{jen.Return(m.Dot("Complete").Call(rtq("Void").Values()))}
	default: // DoErr
		return []jen.Code{jen.Return(m.Dot("Return").Call(append([]jen.Code{rtq("Void").Values()}, vals...)...))}
	}
}

// unwindCode runs the deferred calls, then completes with the results.
func (e *emitter) unwindCode() []jen.Code {
	l, c := e.l, e.c
	m := jen.Id(e.m)
	res := func(i int) jen.Code { return e.ref(c, l.results[i]) }
	var finish jen.Code
	switch l.kind {
	case asyncfn.Async:
		finish = m.Clone().Dot("Return").Call(res(0), m.Clone().Dot("Defers").Dot("FinalErr").Call(jen.Nil()))
	case asyncfn.AsyncErr:
		finish = m.Clone().Dot("Return").Call(res(0), m.Clone().Dot("Defers").Dot("FinalErr").Call(res(1)))
	case asyncfn.Do:
		finish = m.Clone().Dot("Return").Call(rtq("Void").Values(), m.Clone().Dot("Defers").Dot("FinalErr").Call(jen.Nil()))
	default:
		finish = m.Clone().Dot("Return").Call(rtq("Void").Values(), m.Clone().Dot("Defers").Dot("FinalErr").Call(res(0)))
	}
	var out []jen.Code
	if e.unwindUsed {
		out = append(out, labelLine{jen.Id(e.unwind).Op(":")})
	}
	out = append(out,
		m.Clone().Dot("State").Op("=").Lit(e.unwindK),
		labelLine{jen.Id(e.unwindResume).Op(":")},
		jen.If(jen.Op("!").Add(m.Clone()).Dot("Defers").Dot("Run").Call(jen.Id(e.cx))).Block(jen.Return(jen.False())),
		jen.Return(finish),
	)
	return out
}
