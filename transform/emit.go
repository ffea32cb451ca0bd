package transform

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/corogen/corogen/internal/asyncfn"
)

const rtPath = asyncfn.RTPath

func rtq(name string) *jen.Statement { return jen.Qual(rtPath, name) }

// emitter writes one lowered coroutine as Go code: the machine type, its
// constructor, and its Poll method.
type emitter struct {
	l       *lowering
	g       *gen
	c       *conv
	m, cx   string
	errName string
	labels  *namer
	locals  []jen.Code // declarations of Poll's locals
	aliases map[*variable]string
	flat    ast.Stmt // the top-level statement being converted
	unwind  string   // label of the unwinding code
	unwindK int      // its state
	resume  map[*opAwait]string
	emitted map[*block]bool
	next    *block // the block emitted after the current one
	vars    *namer
	// unwinding code
	unwindUsed   bool
	unwindResume string
	errDeclared  bool
	tparams      []*types.TypeParam
}

// emitMachine adds everything generated for l (and its inline coroutines) to f.
func (g *gen) emitMachine(f *jen.File, l *lowering, decl *ast.FuncDecl, imports []string) {
	e := &emitter{l: l, g: g, aliases: map[*variable]string{}, resume: map[*opAwait]string{}, emitted: map[*block]bool{}}
	e.c = &conv{g: g, rw: e}
	e.tparams = l.typeParamList()
	e.name(imports)
	e.assignSlots()

	f.Comment(resetMark)
	f.Line()
	f.Commentf("%s is the state machine of %s.", l.typeName, e.describe())
	f.Type().Id(l.typeName).Add(e.tparamDecl()).Struct(e.fields()...)
	f.Line()
	if decl != nil {
		f.Add(e.constructor(decl))
	} else {
		f.Add(e.inlineCtor())
	}
	f.Line()
	f.Add(e.startMethod())
	f.Line()
	f.Func().Params(jen.Op("*").Add(e.selfType())).Id("CoroName").Params().String().Block(jen.Return(jen.Lit(l.coroName)))
	f.Line()
	f.Add(e.pollMethods())
	f.Line()
	f.Comment(resetMark)
	f.Line()
	f.Add(e.whereMethod())
	f.Line()
	for _, il := range l.inlineOf {
		if il.outer != nil {
			g.emitMachine(f, il, nil, imports)
		}
	}
}

func (e *emitter) describe() string {
	l := e.l
	switch {
	case l.outer == nil:
		return l.coroName[strings.LastIndex(l.coroName, ".")+1:]
	case l.defers != nil:
		p := e.g.fset.Position(l.lit.Pos())
		return fmt.Sprintf("the deferred function literal at %s:%d", filepath.Base(p.Filename), p.Line)
	}
	p := e.g.fset.Position(l.lit.Pos())
	return fmt.Sprintf("the coroutine literal at %s:%d", filepath.Base(p.Filename), p.Line)
}

// typeParamList returns the type parameters of the async function (its
// receiver's first), which every machine of it carries.
func (l *lowering) typeParamList() []*types.TypeParam {
	sig := l.root().fn.Obj.Type().(*types.Signature)
	var out []*types.TypeParam
	for i := 0; i < sig.RecvTypeParams().Len(); i++ {
		out = append(out, sig.RecvTypeParams().At(i))
	}
	for i := 0; i < sig.TypeParams().Len(); i++ {
		out = append(out, sig.TypeParams().At(i))
	}
	return out
}

func (e *emitter) tparamDecl() jen.Code {
	if len(e.tparams) == 0 {
		return jen.Null()
	}
	ps := make([]jen.Code, len(e.tparams))
	for i, tp := range e.tparams {
		ps[i] = jen.Id(tp.Obj().Name()).Add(e.g.typeCode(tp.Constraint(), e.l.lit.Pos()))
	}
	return jen.Types(ps...)
}

func (e *emitter) tparamArgs() jen.Code {
	if len(e.tparams) == 0 {
		return jen.Null()
	}
	ps := make([]jen.Code, len(e.tparams))
	for i, tp := range e.tparams {
		ps[i] = jen.Id(tp.Obj().Name())
	}
	return jen.Types(ps...)
}

func (e *emitter) selfType() *jen.Statement { return jen.Id(e.l.typeName).Add(e.tparamArgs()) }

// resultType is T of the coroutine's rt.Coro[T].
func (l *lowering) resultType() types.Type {
	if l.kind.HasValue() {
		return l.sig.Results().At(0).Type()
	}
	return types.NewStruct(nil, nil)
}

func (e *emitter) resultCode() jen.Code {
	if !e.l.kind.HasValue() {
		return rtq("Void")
	}
	return e.g.typeCode(e.l.resultType(), e.l.lit.Pos())
}

// ---- names ----

func (e *emitter) name(imports []string) {
	l := e.l
	names, objs := bodyNames(e.g.info, l.lit)
	if l.fn != nil && l.outer == nil {
		n2, o2 := bodyNames(e.g.info, l.fn.Decl)
		for k := range n2 {
			names[k] = true
		}
		for k, v := range o2 {
			if objs[k] == nil {
				objs[k] = v
			}
			for o := range v {
				objs[k][o] = true
			}
		}
	}
	avoid := newNamer()
	for n := range names {
		avoid.reserve(n)
	}
	avoid.reserve(imports...)
	avoid.reserve("rt", "utf8")
	e.m = avoid.fresh("m")
	e.cx = avoid.fresh("cx")
	e.errName = avoid.fresh("err")

	vars := newNamer()
	vars.reserve(imports...)
	vars.reserve("rt", "utf8", e.m, e.cx, e.errName, "_")
	vars.reserve(reservedFields...)
	for _, v := range l.vars {
		if v.name == "_" {
			continue
		}
		base := v.name
		if v.obj != nil {
			base = v.obj.Name()
		}
		if base == "" {
			base = "r"
			if v.kind == vkResult {
				base = "result"
			}
		}
		// A name other objects of the body also use would capture or hide
		// their references: number it.
		if others := objs[base]; len(others) > 1 || len(others) == 1 && !others[v.obj] {
			base += "_"
		}
		v.name = vars.fresh(base)
	}
	e.labels = newNamer()
	ast.Inspect(l.lit.Body, func(n ast.Node) bool {
		if ls, ok := n.(*ast.LabeledStmt); ok {
			e.labels.reserve(ls.Label.Name)
		}
		return true
	})
	e.vars = vars
}

// ---- slots ----

// assignSlots gives every await the field that holds what it waits for.
func (e *emitter) assignSlots() {
	l := e.l
	byKey := map[string]*slot{}
	for _, a := range l.awaits {
		var key string
		var s *slot
		if a.child != nil {
			key = "child:" + a.child.callee.machine + typeListString(a.child.targs)
			s = &slot{child: a.child.callee, targs: a.child.targs, ptr: l.outer == nil && e.g.recursive(l.fn.Obj, a.child.callee.obj)}
		} else {
			t := e.g.info.TypeOf(a.call.Args[0])
			key = types.TypeString(t, nil)
			// A sleep needs its duration only to begin: once suspended, the
			// task's timer holds the rest, so the machine need not keep it.
			s = &slot{typ: t, local: isRTType(t, "Sleeper")}
		}
		if old, ok := byKey[key]; ok {
			a.slot = old
			continue
		}
		s.name = e.vars.fresh(e.slotBase(a))
		byKey[key] = s
		l.slots = append(l.slots, s)
		a.slot = s
	}
}

func (e *emitter) slotBase(a *opAwait) string {
	if a.child != nil {
		return lowerFirst(a.child.callee.obj.Name())
	}
	t := types.Unalias(e.g.info.TypeOf(a.call.Args[0]))
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	if n, ok := t.(*types.Named); ok {
		switch n.Obj().Name() {
		case "Sleeper":
			return "sleep"
		case "Coro":
			return "coro"
		case "Task":
			return "task"
		case "Future":
			return "future"
		}
		return lowerFirst(n.Obj().Name())
	}
	return "awaited"
}

func typeListString(ts []types.Type) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString("," + types.TypeString(t, nil))
	}
	return b.String()
}

// ---- declarations ----

func (e *emitter) varType(v *variable) jen.Code {
	if v.typ == deferPtrType {
		return jen.Op("*").Add(rtq("Defers"))
	}
	t := e.g.typeCode(v.typ, v.pos)
	if v.storage == stBoxed || v.storage == stCapture {
		return jen.Op("*").Add(t)
	}
	return t
}

func (e *emitter) fields() []jen.Code {
	l := e.l
	out := []jen.Code{rtq("Frame").Types(e.resultCode())}
	if l.hasDefers {
		out = append(out, rtq("Defers"))
	}
	for _, v := range l.vars {
		if !v.field() || v.name == "_" {
			continue
		}
		out = append(out, jen.Id(v.name).Add(e.varType(v)))
	}
	for _, s := range l.slots {
		if s.local {
			continue
		}
		var t jen.Code
		if s.child != nil {
			ct := jen.Id(s.child.machine)
			if len(s.targs) > 0 {
				args := make([]jen.Code, len(s.targs))
				for i, ta := range s.targs {
					args[i] = e.g.typeCode(ta, l.lit.Pos())
				}
				ct = jen.Id(s.child.machine).Types(args...)
			}
			if s.ptr {
				t = jen.Op("*").Add(ct)
			} else {
				t = ct
			}
		} else {
			t = e.g.typeCode(s.typ, l.lit.Pos())
		}
		out = append(out, jen.Id(s.name).Add(t))
	}
	return out
}

// constructor is the async function itself: it creates the coroutine object.
func (e *emitter) constructor(d *ast.FuncDecl) jen.Code {
	plain := &conv{g: e.g}
	s := plain.docComments(d.Doc)
	s.Func()
	if d.Recv != nil {
		s.Params(plain.fields(d.Recv, false)...)
	}
	s.Id(d.Name.Name).Add(plain.signature(d.Type))
	names, _ := bodyNames(e.g.info, d)
	avoid := newNamer()
	for n := range names {
		avoid.reserve(n)
	}
	c := avoid.fresh("c")
	var args []jen.Code
	if d.Recv != nil {
		args = append(args, paramArgs(d.Recv)...)
	}
	args = append(args, paramArgs(d.Type.Params)...)
	return s.Block(e.newCoro(c, args)...)
}

func paramArgs(fl *ast.FieldList) []jen.Code {
	var out []jen.Code
	for _, f := range fl.List {
		for _, id := range f.Names {
			if id.Name != "_" {
				out = append(out, jen.Id(id.Name))
			}
		}
	}
	return out
}

// newCoro allocates the machine together with its task slot and starts it.
func (e *emitter) newCoro(c string, args []jen.Code) []jen.Code {
	return []jen.Code{
		jen.Id(c).Op(":=").New(rtq("WithTask").Types(e.resultCode(), e.selfType())),
		jen.Id(c).Dot("M").Dot("start").Call(args...),
		jen.Return(rtq("NewCoro").Types(e.resultCode()).Call(jen.Op("&").Id(c).Dot("M"), jen.Op("&").Id(c).Dot("Task"))),
	}
}

// inlineCtor creates an inline coroutine from pointers to the variables it
// shares with the enclosing code.
func (e *emitter) inlineCtor() jen.Code {
	var params, args []jen.Code
	for _, v := range e.l.params {
		if v.name == "_" {
			continue
		}
		params = append(params, jen.Id(v.name).Add(e.varType(v)))
		args = append(args, jen.Id(v.name))
	}
	c := "c"
	for _, v := range e.l.params {
		if v.name == c {
			c = "c_"
		}
	}
	return jen.Commentf("%s creates %s.", e.l.ctorName, e.describe()).Line().
		Func().Id(e.l.ctorName).Add(e.tparamDecl()).Params(params...).Add(rtq("Coro").Types(e.resultCode())).
		Block(e.newCoro(c, args)...)
}

func (e *emitter) startMethod() jen.Code {
	l := e.l
	var params, body []jen.Code
	body = append(body, jen.Id(e.m).Dot("Restart").Call())
	if l.hasDefers {
		body = append(body, jen.Id(e.m).Dot("Defers").Dot("Reset").Call())
	}
	var lhs, rhs []jen.Code
	for _, v := range l.params {
		if v.name == "_" {
			continue
		}
		params = append(params, jen.Id(v.name).Add(e.varType(v)))
		if v.field() {
			lhs = append(lhs, jen.Id(e.m).Dot(v.name))
			rhs = append(rhs, jen.Id(v.name))
		}
	}
	if len(lhs) > 0 {
		body = append(body, jen.List(lhs...).Op("=").List(rhs...))
	}
	for _, v := range l.results {
		if v.field() && v.storage == stField {
			body = append(body, jen.Id(e.m).Dot(v.name).Op("=").Add(e.zero(v.typ, v.pos)))
		}
	}
	return jen.Func().Params(jen.Id(e.m).Op("*").Add(e.selfType())).Id("start").Params(params...).Block(body...)
}

// zero is the zero value of t.
func (e *emitter) zero(t types.Type, pos token.Pos) jen.Code {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return jen.False()
		case u.Info()&types.IsString != 0:
			return jen.Lit("")
		case u.Info()&types.IsNumeric != 0:
			return jen.Lit(0)
		case u.Kind() == types.UnsafePointer:
			return jen.Nil()
		}
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		if _, isTP := t.(*types.TypeParam); !isTP {
			return jen.Nil()
		}
	case *types.Struct, *types.Array:
		if _, isTP := t.(*types.TypeParam); !isTP {
			return jen.Add(e.g.typeCode(t, pos)).Values()
		}
	}
	return jen.Op("*").New(e.g.typeCode(t, pos))
}

// whereMethod reports the source position of the await the machine is
// suspended at (for task dumps), asking an awaited coroutine first.
func (e *emitter) whereMethod() jen.Code {
	var cases []jen.Code
	for _, a := range e.l.awaits {
		p := e.g.fset.Position(a.call.Pos())
		site := jen.Lit(fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line))
		var body []jen.Code
		if a.slot != nil && (a.slot.child != nil || isCoroType(a.slot.typ)) {
			body = append(body, jen.If(jen.Id("w").Op(":=").Id(e.m).Dot(a.slot.name).Dot("Where").Call(), jen.Id("w").Op("!=").Lit("")).Block(jen.Return(jen.Id("w"))))
		}
		body = append(body, jen.Return(site))
		cases = append(cases, jen.Case(jen.Lit(a.state)).Block(body...))
	}
	var body []jen.Code
	if len(cases) > 0 {
		body = append(body, jen.Switch(jen.Id(e.m).Dot("State")).Block(cases...))
	}
	body = append(body, jen.Return(jen.Lit("")))
	return jen.Comment("Where returns the source position of the await the machine is suspended at.").Line().
		Func().Params(jen.Id(e.m).Op("*").Add(e.selfType())).Id("Where").Params().String().Block(body...)
}

func isCoroType(t types.Type) bool { return isRTType(t, "Coro") }

// isRTType reports whether t is the rt type of that name.
func isRTType(t types.Type, name string) bool {
	if t == nil {
		return false
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == rtPath && n.Obj().Name() == name
}

// ---- Poll ----

func (e *emitter) pollMethods() jen.Code {
	l := e.l
	recv := jen.Id(e.m).Op("*").Add(e.selfType())
	cxParam := jen.Id(e.cx).Op("*").Add(rtq("Ctx"))
	body := e.pollBody()
	// Poll (and Step) are the user's function: position them at its
	// declaration, so that coverage counts their statements in the source.
	at := e.funcLine()
	if !l.hasDefers {
		return at.Func().Params(recv).Id("Poll").Params(cxParam).Bool().Block(body...)
	}
	poll := e.funcLine().Func().Params(jen.Id(e.m).Op("*").Add(e.selfType())).Id("Poll").Params(jen.Id(e.cx).Op("*").Add(rtq("Ctx"))).Bool().Block(
		jen.Return(rtq("PollCatching").Call(jen.Id(e.cx), jen.Id(e.m), jen.Op("&").Id(e.m).Dot("Defers"), jen.Op("&").Id(e.m).Dot("State"), jen.Lit(e.unwindK))),
	)
	step := jen.Comment("Step is the body of Poll; PollCatching runs it with the deferred calls' panic handling.").Line().
		Add(e.funcLine()).Func().Params(recv).Id("Step").Params(cxParam).Bool().Block(body...)
	return jen.Add(poll).Line().Line().Add(step)
}

// funcLine is a directive, on a line of its own, that positions the next
// line at the user's function (or literal) declaration.
func (e *emitter) funcLine() *jen.Statement {
	pos := e.l.lit.Pos()
	if e.l.outer == nil && e.l.fn != nil {
		pos = e.l.fn.Decl.Pos()
	}
	if e.g.noLines || !pos.IsValid() {
		return jen.Null()
	}
	p := e.g.fset.Position(pos)
	return jen.Comment(fmt.Sprintf("/*line %s:%d:%d*/", filepath.Base(p.Filename), p.Line-1, 1)).Line()
}

func (e *emitter) pollBody() []jen.Code {
	l := e.l
	for _, a := range l.awaits {
		e.resume[a] = e.labels.fresh(fmt.Sprintf("resume%d", a.state))
	}
	if l.hasDefers {
		e.unwind = e.labels.fresh("unwind")
		e.unwindResume = e.labels.fresh("unwinding")
		e.unwindK = len(l.awaits) + 1
	}
	for _, b := range l.blocks {
		if b.targeted {
			b.label = e.labels.fresh(b.hint + itoa(b.id))
		}
	}
	reach := e.reachable()
	// The blocks emitted, in order, and which labels a goto really uses (a
	// jump to the block that follows is left out).
	var emitted []*block
	for _, b := range l.blocks {
		if reach[b.id] || hasUserCode(b) {
			emitted = append(emitted, b)
		}
	}
	next := map[*block]*block{}
	for i, b := range emitted {
		if i+1 < len(emitted) {
			next[b] = emitted[i+1]
		}
	}
	needed := map[*block]bool{}
	for _, b := range emitted {
		for k, o := range b.ops {
			switch o := o.(type) {
			case *opJump:
				if o.cond != nil || k != len(b.ops)-1 || o.to != next[b] {
					needed[o.to] = true
				}
			case *opStmt:
				for _, x := range o.exits {
					needed[x] = true
				}
			default:
				for _, t := range opTargets(o) {
					needed[t] = true
				}
			}
		}
	}
	var code []jen.Code
	for _, b := range emitted {
		e.next = next[b]
		if needed[b] {
			code = append(code, labelLine{jen.Id(b.label).Op(":")})
		}
		code = append(code, e.blockCode(b)...)
	}
	if l.hasDefers {
		code = append(code, e.unwindCode()...)
	}

	var locals []jen.Code
	for _, v := range l.vars {
		if v.storage == stLocal && v.used && v.name != "_" {
			locals = append(locals, jen.Id(v.name).Add(e.varType(v)))
		}
	}
	for _, s := range l.slots {
		if s.local {
			locals = append(locals, jen.Id(s.name).Add(e.g.typeCode(s.typ, l.lit.Pos())))
		}
	}
	locals = append(locals, e.locals...)
	var head []jen.Code
	if len(locals) > 0 {
		head = append(head, jen.Var().Defs(locals...))
	}
	head = append(head, e.dispatch())
	return position(append(head, code...))
}

// opTargets returns the blocks a dispatching op jumps to.
func opTargets(o op) []*block {
	var out []*block
	switch o := o.(type) {
	case *opSwitch:
		for _, c := range o.clauses {
			out = append(out, c.to)
		}
		if o.end != nil {
			out = append(out, o.end)
		}
	case *opTypeSwitch:
		for _, c := range o.clauses {
			out = append(out, c.to)
		}
		if o.end != nil {
			out = append(out, o.end)
		}
	case *opSelect:
		for _, c := range o.clauses {
			out = append(out, c.to)
		}
	}
	return out
}

func hasUserCode(b *block) bool {
	for _, o := range b.ops {
		switch o := o.(type) {
		case *opStmt, *opAwait, *opSwitch, *opTypeSwitch, *opSelect:
			return true
		case *opReturn:
			if !o.implied {
				return true
			}
		}
	}
	return false
}

// reachable marks the blocks control can reach from the entry.
func (e *emitter) reachable() []bool {
	l := e.l
	seen := make([]bool, len(l.blocks))
	var visit func(b *block)
	visit = func(b *block) {
		if seen[b.id] {
			return
		}
		seen[b.id] = true
		for _, s := range l.successors(b) {
			visit(s)
		}
	}
	visit(l.blocks[0])
	return seen
}

// dispatch is the switch on State that resumes the machine where it left.
func (e *emitter) dispatch() jen.Code {
	l := e.l
	cases := []jen.Code{jen.Case(jen.Lit(0))}
	for _, a := range l.awaits {
		p := e.g.fset.Position(a.call.Pos())
		cases = append(cases, jen.Case(jen.Lit(a.state)).Comment(fmt.Sprintf("%s:%d: %s", filepath.Base(p.Filename), p.Line, e.awaitText(a))).Line().Goto().Id(e.resume[a]))
	}
	if l.hasDefers {
		cases = append(cases, jen.Case(jen.Lit(e.unwindK)).Comment("running deferred calls").Line().Goto().Id(e.unwindResume))
	}
	cases = append(cases, jen.Default().Line().Return(rtq("PolledAfterDone").Call(jen.Id(e.m).Dot("CoroName").Call())))
	return jen.Switch(jen.Id(e.m).Dot("State")).Block(cases...)
}

// awaitText is the source of an await, shortened, for comments.
func (e *emitter) awaitText(a *opAwait) string {
	src := types.ExprString(a.call)
	src = strings.Join(strings.Fields(src), " ")
	if len(src) > 60 {
		src = src[:57] + "..."
	}
	return src
}

func (e *emitter) blockCode(b *block) []jen.Code {
	var out []jen.Code
	for i, o := range b.ops {
		last := i == len(b.ops)-1
		out = append(out, e.opCode(o, last)...)
	}
	return out
}

// ---- ops ----

func (e *emitter) opCode(o op, last bool) []jen.Code {
	switch o := o.(type) {
	case *opStmt:
		return e.stmtCode(o.s)
	case *opAwait:
		return e.awaitCode(o)
	case *opJump:
		if o.cond == nil {
			if last && o.to == e.next {
				return nil // falls through
			}
			return []jen.Code{jen.Goto().Id(o.to.label)}
		}
		cond := e.c.expr(o.cond)
		if o.negate {
			cond = jen.Op("!").Add(parensIfNeeded(o.cond, cond))
		}
		return []jen.Code{userLine{e.c.lineDirective(o.pos).If(cond).Block(jen.Goto().Id(o.to.label))}}
	case *opReturn:
		codes := e.returnCode(o.results, o.pos)
		if !o.implied && len(codes) > 0 {
			codes[0] = userLine{e.c.lineDirective(o.pos).Add(codes[0])}
		}
		return codes
	case *opSwitch:
		var clauses []jen.Code
		for _, c := range o.clauses {
			var head *jen.Statement
			if c.list == nil {
				head = jen.Default()
			} else {
				head = jen.Case(e.c.exprs(c.list)...)
			}
			clauses = append(clauses, head.Block(jen.Goto().Id(c.to.label)))
		}
		out := []jen.Code{userLine{e.c.lineDirective(o.s.Pos()).Switch(e.c.optTag(o.tag)).Block(clauses...)}}
		if o.end != nil {
			out = append(out, jen.Goto().Id(o.end.label))
		}
		return out
	case *opTypeSwitch:
		sym := ""
		for _, c := range o.clauses {
			if c.v != nil && c.v.name != "_" {
				sym = e.vars.fresh("x")
				break
			}
		}
		var clauses []jen.Code
		for _, c := range o.clauses {
			var head *jen.Statement
			if c.types == nil {
				head = jen.Default()
			} else {
				head = jen.Case(e.c.exprs(c.types)...)
			}
			var body []jen.Code
			if c.v != nil && sym != "" {
				body = append(body, e.declareTo(c.v, jen.Id(sym))...)
			}
			body = append(body, jen.Goto().Id(c.to.label))
			clauses = append(clauses, head.Block(body...))
		}
		guard := jen.Add(e.c.expr(o.x)).Assert(jen.Type())
		if sym != "" {
			guard = jen.Id(sym).Op(":=").Add(guard)
		}
		out := []jen.Code{userLine{e.c.lineDirective(o.s.Pos()).Switch(guard).Block(clauses...)}}
		if o.end != nil {
			out = append(out, jen.Goto().Id(o.end.label))
		}
		return out
	case *opSelect:
		var pre, clauses []jen.Code
		for _, c := range o.clauses {
			var head *jen.Statement
			switch comm := c.comm.(type) {
			case nil:
				head = jen.Default()
			case *ast.AssignStmt:
				if comm.Tok == token.DEFINE {
					// Receive into the (moved) variables directly.
					for _, lhs := range comm.Lhs {
						if v := e.l.varOf(lhs.(*ast.Ident)); v != nil && v.storage == stBoxed {
							pre = append(pre, jen.Id(e.m).Dot(v.name).Op("=").New(e.g.typeCode(v.typ, v.pos)))
						}
					}
					head = jen.Case(jen.List(e.c.exprs(comm.Lhs)...).Op("=").List(e.c.exprs(comm.Rhs)...))
				} else {
					head = jen.Case(e.c.stmt(comm))
				}
			default:
				head = jen.Case(e.c.stmt(comm))
			}
			clauses = append(clauses, head.Block(jen.Goto().Id(c.to.label)))
		}
		return append(pre, userLine{e.c.lineDirective(o.s.Pos()).Select().Block(clauses...)})
	case *opNewIteration:
		var out []jen.Code
		for _, v := range o.vars {
			if v.storage == stBoxed {
				out = append(out, jen.Id(e.m).Dot(v.name).Op("=").Add(rtq("NewIteration").Call(jen.Id(e.m).Dot(v.name))))
			}
		}
		return out
	}
	panic(fmt.Sprintf("unknown op %T", o))
}

func parensIfNeeded(e ast.Expr, code jen.Code) jen.Code {
	switch ast.Unparen(e).(type) {
	case *ast.Ident, *ast.CallExpr, *ast.SelectorExpr, *ast.IndexExpr, *ast.ParenExpr, *ast.BasicLit:
		return code
	}
	return jen.Parens(code)
}

// stmtCode converts a top-level statement, binding the pointers of the
// per-iteration variables its closures capture.
func (e *emitter) stmtCode(s ast.Stmt) []jen.Code {
	boxed := e.closureBoxes(s)
	e.flat = s
	defer func() { e.flat = nil }()
	if len(boxed) == 0 {
		codes := e.c.stmtCodes(s)
		for i, c := range codes {
			codes[i] = userLine{c}
		}
		return codes
	}
	var items []jen.Code
	for _, v := range boxed {
		a := e.vars.fresh(v.name + "Var")
		e.aliases[v] = a
		items = append(items, jen.Id(a).Op(":=").Id(e.m).Dot(v.name))
	}
	items = append(items, e.c.stmtCodes(s)...)
	for _, v := range boxed {
		delete(e.aliases, v)
	}
	return []jen.Code{userLine{jen.Block(items...)}}
}

// closureBoxes lists the boxed variables referenced inside function
// literals of s: the closures must keep this iteration's variable.
func (e *emitter) closureBoxes(s ast.Stmt) []*variable {
	var out []*variable
	seen := map[*variable]bool{}
	ast.Inspect(s, func(n ast.Node) bool {
		lit, ok := n.(*ast.FuncLit)
		if !ok {
			return true
		}
		if _, inline := e.l.inline[lit]; inline {
			return false
		}
		for _, v := range e.l.refs(lit.Body) {
			if v.storage == stBoxed && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
		return false
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].index < out[j].index })
	return out
}
