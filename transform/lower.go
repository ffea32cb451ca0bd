package transform

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/corogen/corogen/internal/asyncfn"
)

// lowering is the lowering of one coroutine body: an async function, or an
// inline or deferred coroutine literal inside one (outer is then set).
type lowering struct {
	g     *gen
	outer *lowering
	fn    *asyncfn.Func // the async function this body belongs to
	kind  asyncfn.Kind
	lit   *ast.FuncLit // the body literal
	sig   *types.Signature
	// typeParams of the machine type: the async function's.
	typeParams *ast.FieldList

	typeName string // machine type
	ctorName string // constructor of an inline coroutine
	coroName string // printed name

	vars    []*variable
	byObj   map[types.Object]*variable
	temps   map[*ast.Ident]*variable
	results []*variable // where return values go
	params  []*variable // start arguments, in order (receiver first)
	defers  *variable   // for a deferred literal: the Defers it recovers from

	blocks []*block
	cur    *block

	hasDefers bool
	unwind    *block
	awaits    []*opAwait
	slots     []*slot

	// Branch targets.
	breakables []*breakable
	labels     map[string]*block
	escapes    map[*ast.BranchStmt]*block // branches of kept statements that leave them
	fallTo     *block                     // the next case body, for fallthrough

	inline   map[*ast.FuncLit]*lowering // inline and deferred coroutines
	inlineOf []*lowering
	names    *namer
	m, cx    string // receiver and task parameter of Poll
}

// breakable is a lowered loop, switch or select that break (and for loops
// continue) can leave.
type breakable struct {
	label  string
	brk    *block
	cont   *block // nil for switch and select
	isLoop bool
}

func (l *lowering) newBlock(hint string) *block {
	return &block{hint: hint}
}

// start makes b the current block, appending it to the body.
func (l *lowering) start(b *block) {
	b.id = len(l.blocks)
	l.blocks = append(l.blocks, b)
	l.cur = b
}

func (l *lowering) emit(o op) {
	if l.cur == nil {
		l.start(l.newBlock("dead"))
	}
	l.cur.ops = append(l.cur.ops, o)
}

func (l *lowering) jump(to *block, pos token.Pos) {
	to.targeted = true
	l.emit(&opJump{to: to, pos: pos})
}

func (l *lowering) jumpIf(cond ast.Expr, negate bool, to *block) {
	to.targeted = true
	l.emit(&opJump{cond: cond, negate: negate, to: to, pos: cond.Pos()})
}

// ---- variables ----

func (l *lowering) varOf(id *ast.Ident) *variable {
	if v, ok := l.temps[id]; ok {
		return v
	}
	if obj := l.g.objOf(id); obj != nil {
		return l.byObj[obj]
	}
	return nil
}

func (l *lowering) addVar(v *variable) *variable {
	l.vars = append(l.vars, v)
	if v.obj != nil {
		l.byObj[v.obj] = v
	}
	return v
}

// declare registers the variables a top-level statement declares.
func (l *lowering) declare(ids ...*ast.Ident) {
	for _, id := range ids {
		if id == nil || id.Name == "_" {
			continue
		}
		obj, ok := l.g.info.Defs[id].(*types.Var)
		if !ok || l.byObj[obj] != nil {
			continue
		}
		l.addVar(&variable{obj: obj, typ: obj.Type(), pos: id.Pos(), kind: vkFlat, decl: l.cur})
	}
}

// declareObj registers a variable that has no defining identifier (a type
// switch clause's variable).
func (l *lowering) declareObj(obj *types.Var, pos token.Pos) *variable {
	if v := l.byObj[obj]; v != nil {
		return v
	}
	return l.addVar(&variable{obj: obj, typ: obj.Type(), pos: pos, kind: vkFlat, decl: l.cur})
}

// temp returns a new temporary of type t, as an identifier.
func (l *lowering) temp(t types.Type, pos token.Pos, hint string) *ast.Ident {
	t = defaultType(t)
	id := &ast.Ident{Name: hint, NamePos: pos}
	v := l.addVar(&variable{typ: t, pos: pos, kind: vkTemp, decl: l.cur, name: hint})
	l.temps[id] = v
	return id
}

// use returns another identifier for the same temporary.
func (l *lowering) use(id *ast.Ident) *ast.Ident {
	nid := &ast.Ident{Name: id.Name, NamePos: id.NamePos}
	l.temps[nid] = l.temps[id]
	return nid
}

// assign emits lhs = rhs.
func (l *lowering) assign(lhs ast.Expr, rhs ast.Expr) {
	l.emit(&opStmt{s: &ast.AssignStmt{Lhs: []ast.Expr{lhs}, TokPos: rhs.Pos(), Tok: token.ASSIGN, Rhs: []ast.Expr{rhs}}})
}

func defaultType(t types.Type) types.Type {
	if b, ok := t.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		return types.Default(t)
	}
	return t
}

// ---- statements ----

func (l *lowering) hasAwait(n ast.Node) bool { return asyncfn.ContainsAwait(l.g.info, n) }

func (l *lowering) stmts(list []ast.Stmt) {
	for _, s := range list {
		l.stmt(s)
	}
}

// stmt lowers one statement of the body's top level.
func (l *lowering) stmt(s ast.Stmt) {
	if ls, ok := s.(*ast.LabeledStmt); ok {
		l.labeled(ls)
		return
	}
	if !l.hasAwait(s) {
		l.keep(s)
		return
	}
	switch s := s.(type) {
	case *ast.ExprStmt:
		if call, ok := l.awaitCall(s.X); ok {
			l.await(call, nil, false)
			return
		}
		l.emit(&opStmt{s: &ast.ExprStmt{X: l.expr(s.X)}})
	case *ast.AssignStmt:
		l.assignStmt(s)
	case *ast.DeclStmt:
		l.declStmt(s)
	case *ast.IncDecStmt:
		x := l.lvalues([]ast.Expr{s.X})
		l.emit(&opStmt{s: &ast.IncDecStmt{X: x[0], TokPos: s.TokPos, Tok: s.Tok}})
	case *ast.SendStmt:
		ops := l.operands([]ast.Expr{s.Chan, s.Value})
		l.emit(&opStmt{s: &ast.SendStmt{Chan: ops[0], Arrow: s.Arrow, Value: ops[1]}})
	case *ast.GoStmt:
		call := l.expr(s.Call).(*ast.CallExpr)
		l.emit(&opStmt{s: &ast.GoStmt{Go: s.Go, Call: call}})
	case *ast.DeferStmt:
		l.hasDefers = true
		call := l.deferCall(s.Call)
		l.emit(&opStmt{s: &ast.DeferStmt{Defer: s.Defer, Call: call}})
	case *ast.ReturnStmt:
		results := l.operands(s.Results)
		if len(results) == 1 {
			if m, ok := results[0].(*multi); ok {
				results = m.vals // return rt.Try(x): both results
			}
		}
		l.emit(&opReturn{results: results, pos: s.Pos()})
		l.cur = nil
	case *ast.BlockStmt:
		l.stmts(s.List)
	case *ast.IfStmt:
		l.ifStmt(s)
	case *ast.ForStmt:
		l.forStmt(s, "")
	case *ast.RangeStmt:
		l.rangeStmt(s, "")
	case *ast.SwitchStmt:
		l.switchStmt(s, "")
	case *ast.TypeSwitchStmt:
		l.typeSwitchStmt(s, "")
	case *ast.SelectStmt:
		l.selectStmt(s, "")
	default:
		l.g.errorf(s.Pos(), "corogen cannot lower a %T that contains an await", s)
	}
}

// keep emits a statement without awaits as it is, recording the branches
// in it that leave it for lowered code, and the variables a top-level
// declaration declares.
func (l *lowering) keep(s ast.Stmt) {
	if _, ok := s.(*ast.EmptyStmt); ok {
		return
	}
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE {
			for _, e := range s.Lhs {
				id, _ := e.(*ast.Ident)
				l.declare(id)
			}
		}
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
			for _, sp := range gd.Specs {
				l.declare(sp.(*ast.ValueSpec).Names...)
			}
		}
		if gd, ok := s.Decl.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			// A type declared at the top level of the body moves to package
			// level: the machine's fields and Poll's locals may be of it.
			for _, sp := range gd.Specs {
				l.g.hoistType(sp.(*ast.TypeSpec), l.lit)
			}
			return
		}
	case *ast.BranchStmt:
		l.branch(s)
		return
	case *ast.ReturnStmt:
		l.emit(&opReturn{results: s.Results, pos: s.Pos()})
		l.cur = nil
		return
	case *ast.DeferStmt:
		l.hasDefers = true
	}
	l.emit(&opStmt{s: s, exits: l.scanKept(s)})
	if containsDefer(s) {
		l.hasDefers = true
	}
	if l.isPanic(s) {
		l.cur = nil // control never falls out of a panic
	}
}

// isPanic reports whether s is a call of the builtin panic.
func (l *lowering) isPanic(s ast.Stmt) bool {
	es, ok := s.(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := l.g.info.Uses[id].(*types.Builtin)
	return ok && b.Name() == "panic"
}

func containsDefer(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			found = true
		}
		return !found
	})
	return found
}

// scanKept finds the branch statements of a kept statement whose target
// lies outside it, in lowered code, and returns their targets.
func (l *lowering) scanKept(s ast.Stmt) []*block {
	var exits []*block
	var inner []ast.Stmt // enclosing breakable statements inside s
	labels := map[string]bool{}
	ast.Inspect(s, func(n ast.Node) bool {
		if ls, ok := n.(*ast.LabeledStmt); ok {
			labels[ls.Label.Name] = true
		}
		return true
	})
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if n == ast.Node(s) && false {
					return true
				}
				inner = append(inner, n.(ast.Stmt))
				for _, c := range children(n) {
					walk(c)
				}
				inner = inner[:len(inner)-1]
				return false
			case *ast.BranchStmt:
				if to := l.escape(n, inner, labels); to != nil {
					exits = append(exits, to)
				}
			}
			return true
		})
	}
	walk(s)
	return exits
}

// children returns the direct sub-nodes of a breakable statement.
func children(n ast.Node) []ast.Node {
	switch n := n.(type) {
	case *ast.ForStmt:
		return []ast.Node{optStmt(n.Init), optExpr(n.Cond), optStmt(n.Post), n.Body}
	case *ast.RangeStmt:
		return []ast.Node{optExpr(n.Key), optExpr(n.Value), n.X, n.Body}
	case *ast.SwitchStmt:
		return []ast.Node{optStmt(n.Init), optExpr(n.Tag), n.Body}
	case *ast.TypeSwitchStmt:
		return []ast.Node{optStmt(n.Init), n.Assign, n.Body}
	case *ast.SelectStmt:
		return []ast.Node{n.Body}
	}
	return nil
}

func optStmt(s ast.Stmt) ast.Node {
	if s == nil {
		return &ast.EmptyStmt{}
	}
	return s
}

func optExpr(e ast.Expr) ast.Node {
	if e == nil {
		return &ast.EmptyStmt{}
	}
	return e
}

// escape records the lowered target of a branch in a kept statement, if it
// leaves the statement.
func (l *lowering) escape(b *ast.BranchStmt, inner []ast.Stmt, labels map[string]bool) *block {
	if b.Label != nil && labels[b.Label.Name] {
		return nil // its target is inside the kept statement
	}
	switch b.Tok {
	case token.BREAK, token.CONTINUE:
		if b.Label == nil {
			for i := len(inner) - 1; i >= 0; i-- {
				switch inner[i].(type) {
				case *ast.ForStmt, *ast.RangeStmt:
					return nil
				}
				if b.Tok == token.BREAK {
					return nil
				}
			}
		}
		if t := l.target(b); t != nil {
			l.escapes[b] = t
			return t
		}
	case token.GOTO:
		t := l.labelBlock(b.Label.Name)
		l.escapes[b] = t
		return t
	case token.FALLTHROUGH:
		if len(inner) == 0 && l.fallTo != nil {
			l.escapes[b] = l.fallTo
			l.fallTo.targeted = true
			return l.fallTo
		}
	}
	return nil
}

// target returns the block a break or continue of lowered code goes to.
func (l *lowering) target(b *ast.BranchStmt) *block {
	for i := len(l.breakables) - 1; i >= 0; i-- {
		br := l.breakables[i]
		if b.Label != nil && br.label != b.Label.Name {
			continue
		}
		if b.Tok == token.CONTINUE {
			if !br.isLoop {
				continue
			}
			br.cont.targeted = true
			return br.cont
		}
		br.brk.targeted = true
		return br.brk
	}
	l.g.errorf(b.Pos(), "corogen found no target for %s", b.Tok)
	return nil
}

func (l *lowering) labelBlock(name string) *block {
	b := l.labels[name]
	if b == nil {
		b = l.newBlock("label")
		l.labels[name] = b
	}
	b.targeted = true
	return b
}

// branch lowers a branch statement at the top level.
func (l *lowering) branch(s *ast.BranchStmt) {
	var to *block
	switch s.Tok {
	case token.BREAK, token.CONTINUE:
		to = l.target(s)
	case token.GOTO:
		to = l.labelBlock(s.Label.Name)
	case token.FALLTHROUGH:
		to = l.fallTo
	}
	if to != nil {
		l.jump(to, s.Pos())
	}
	l.cur = nil
}

// labeled gives a labeled statement its own block, which gotos reach.
func (l *lowering) labeled(s *ast.LabeledStmt) {
	b := l.labels[s.Label.Name]
	if b == nil {
		b = l.newBlock("label")
		l.labels[s.Label.Name] = b
	}
	b.hint = s.Label.Name
	l.start(b)
	name := s.Label.Name
	switch inner := s.Stmt.(type) {
	case *ast.ForStmt:
		if l.hasAwait(inner) {
			l.forStmt(inner, name)
			return
		}
	case *ast.RangeStmt:
		if l.hasAwait(inner) {
			l.rangeStmt(inner, name)
			return
		}
	case *ast.SwitchStmt:
		if l.hasAwait(inner) {
			l.switchStmt(inner, name)
			return
		}
	case *ast.TypeSwitchStmt:
		if l.hasAwait(inner) {
			l.typeSwitchStmt(inner, name)
			return
		}
	case *ast.SelectStmt:
		if l.hasAwait(inner) {
			l.selectStmt(inner, name)
			return
		}
	}
	if !l.hasAwait(s.Stmt) && usesLabel(s.Stmt, name) {
		l.keep(s) // break/continue inside still name the label
		return
	}
	l.stmt(s.Stmt)
}

// usesObj reports whether n refers to obj.
func usesObj(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}

func usesLabel(n ast.Node, name string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if b, ok := n.(*ast.BranchStmt); ok && b.Label != nil && b.Label.Name == name && b.Tok != token.GOTO {
			found = true
		}
		return !found
	})
	return found
}

func (l *lowering) assignStmt(s *ast.AssignStmt) {
	if len(s.Rhs) == 1 && (s.Tok == token.ASSIGN || s.Tok == token.DEFINE) {
		if call, ok := l.awaitCall(s.Rhs[0]); ok {
			lhs := l.lvalues(s.Lhs)
			if s.Tok == token.DEFINE {
				for _, e := range s.Lhs {
					id, _ := e.(*ast.Ident)
					l.declare(id)
				}
			}
			l.await(call, lhs, s.Tok == token.DEFINE)
			return
		}
	}
	// lhs operands and right-hand sides are evaluated in one left-to-right order.
	n := len(s.Lhs)
	parts, rebuild := l.lvalueParts(s.Lhs)
	all := l.operands(append(parts, s.Rhs...))
	lhs := rebuild(all[:len(parts)])
	rhs := all[len(parts):]
	_ = n
	if s.Tok == token.DEFINE {
		for _, e := range s.Lhs {
			id, _ := e.(*ast.Ident)
			l.declare(id)
		}
	}
	l.emit(&opStmt{s: &ast.AssignStmt{Lhs: lhs, TokPos: s.TokPos, Tok: s.Tok, Rhs: rhs}})
}

func (l *lowering) declStmt(s *ast.DeclStmt) {
	gd := s.Decl.(*ast.GenDecl)
	for _, sp := range gd.Specs {
		vs := sp.(*ast.ValueSpec)
		if !l.hasAwait(vs) {
			l.keep(&ast.DeclStmt{Decl: &ast.GenDecl{TokPos: gd.TokPos, Tok: gd.Tok, Specs: []ast.Spec{vs}}})
			continue
		}
		if len(vs.Values) == 1 {
			if call, ok := l.awaitCall(vs.Values[0]); ok {
				l.declare(vs.Names...)
				lhs := make([]ast.Expr, len(vs.Names))
				for i, id := range vs.Names {
					lhs[i] = id
				}
				l.await(call, lhs, true)
				continue
			}
		}
		vals := l.operands(vs.Values)
		l.declare(vs.Names...)
		lhs := make([]ast.Expr, len(vs.Names))
		for i, id := range vs.Names {
			lhs[i] = id
		}
		l.emit(&opStmt{s: &ast.AssignStmt{Lhs: lhs, TokPos: vs.Pos(), Tok: token.DEFINE, Rhs: vals}})
	}
}

func (l *lowering) ifStmt(s *ast.IfStmt) {
	if s.Init != nil {
		l.stmt(s.Init)
	}
	cond := l.expr(s.Cond)
	if !l.hasAwait(s.Body) && (s.Else == nil || !l.hasAwait(s.Else)) {
		l.keep(&ast.IfStmt{If: s.If, Cond: cond, Body: s.Body, Else: s.Else})
		return
	}
	end := l.newBlock("endif")
	next := end
	if s.Else != nil {
		next = l.newBlock("else")
	}
	l.jumpIf(cond, true, next)
	l.stmts(s.Body.List)
	if s.Else != nil {
		if l.cur != nil {
			l.jump(end, s.Body.Rbrace)
		}
		l.start(next)
		l.stmt(s.Else)
	}
	l.start(end)
}

func (l *lowering) forStmt(s *ast.ForStmt, label string) {
	var perIter []*variable
	if s.Init != nil {
		before := len(l.vars)
		l.stmt(s.Init)
		for _, v := range l.vars[before:] {
			if v.kind == vkFlat {
				v.perIter = true
				perIter = append(perIter, v)
			}
		}
	}
	cond, post, end := l.newBlock("loop"), l.newBlock("post"), l.newBlock("endloop")
	l.start(cond)
	if s.Cond != nil {
		c := l.expr(s.Cond)
		l.jumpIf(c, true, end)
	}
	l.breakables = append(l.breakables, &breakable{label: label, brk: end, cont: post, isLoop: true})
	l.stmts(s.Body.List)
	l.breakables = l.breakables[:len(l.breakables)-1]
	l.start(post)
	if len(perIter) > 0 {
		l.emit(&opNewIteration{vars: perIter, pos: s.Pos()})
	}
	if s.Post != nil {
		l.stmt(s.Post)
	}
	l.jump(cond, s.Pos())
	l.start(end)
}

func (l *lowering) switchStmt(s *ast.SwitchStmt, label string) {
	if s.Init != nil {
		l.stmt(s.Init)
	}
	var tag ast.Expr
	if s.Tag != nil {
		tag = l.expr(s.Tag)
		if !isIdent(tag) && l.casesAwait(s) {
			tmp := l.temp(l.g.info.TypeOf(s.Tag), s.Tag.Pos(), "tag")
			l.assign(tmp, tag)
			tag = l.use(tmp)
		}
	}
	end := l.newBlock("endswitch")
	bodies := make([]*block, len(s.Body.List))
	for i := range bodies {
		bodies[i] = l.newBlock("case")
		bodies[i].targeted = true
	}
	if !l.casesAwait(s) {
		op := &opSwitch{s: s, tag: tag, end: end}
		hasDefault := false
		for i, c := range s.Body.List {
			cc := c.(*ast.CaseClause)
			op.clauses = append(op.clauses, switchClause{list: cc.List, to: bodies[i]})
			hasDefault = hasDefault || cc.List == nil
		}
		if hasDefault {
			op.end = nil
		} else {
			end.targeted = true
		}
		l.emit(op)
	} else {
		// Case expressions await: test them one by one, in order.
		def := -1
		for i, c := range s.Body.List {
			cc := c.(*ast.CaseClause)
			if cc.List == nil {
				def = i
				continue
			}
			for _, e := range cc.List {
				v := l.expr(e)
				var cond ast.Expr = v
				if tag != nil {
					cond = &ast.BinaryExpr{X: l.reuse(tag), OpPos: e.Pos(), Op: token.EQL, Y: v}
				}
				l.jumpIf(cond, false, bodies[i])
			}
		}
		if def >= 0 {
			l.jump(bodies[def], s.Pos())
		} else {
			l.jump(end, s.Pos())
		}
	}
	l.breakables = append(l.breakables, &breakable{label: label, brk: end})
	saved := l.fallTo
	for i, c := range s.Body.List {
		cc := c.(*ast.CaseClause)
		l.start(bodies[i])
		l.fallTo = nil
		if i+1 < len(bodies) {
			l.fallTo = bodies[i+1]
		}
		l.stmts(cc.Body)
		if l.cur != nil {
			l.jump(end, cc.End())
		}
	}
	l.fallTo = saved
	l.breakables = l.breakables[:len(l.breakables)-1]
	l.start(end)
}

// selectOperands evaluates a select case's channel and value into
// temporaries and returns the case rewritten to use them.
func (l *lowering) selectOperands(comm ast.Stmt) ast.Stmt {
	eval := func(e ast.Expr) ast.Expr {
		tmp := l.temp(l.g.info.TypeOf(e), e.Pos(), "sel")
		l.assign(tmp, l.expr(e))
		return l.use(tmp)
	}
	recv := func(e ast.Expr) ast.Expr {
		u := ast.Unparen(e).(*ast.UnaryExpr)
		return &ast.UnaryExpr{OpPos: u.OpPos, Op: token.ARROW, X: eval(u.X)}
	}
	switch c := comm.(type) {
	case *ast.SendStmt:
		ch := eval(c.Chan)
		return &ast.SendStmt{Chan: ch, Arrow: c.Arrow, Value: eval(c.Value)}
	case *ast.ExprStmt:
		return &ast.ExprStmt{X: recv(c.X)}
	case *ast.AssignStmt:
		return &ast.AssignStmt{Lhs: c.Lhs, TokPos: c.TokPos, Tok: c.Tok, Rhs: []ast.Expr{recv(c.Rhs[0])}}
	}
	return comm
}

func (l *lowering) casesAwait(s *ast.SwitchStmt) bool {
	for _, c := range s.Body.List {
		for _, e := range c.(*ast.CaseClause).List {
			if l.hasAwait(e) {
				return true
			}
		}
	}
	return false
}

func isIdent(e ast.Expr) bool {
	_, ok := e.(*ast.Ident)
	return ok
}

// reuse returns an expression that reads the same temporary (or variable) again.
func (l *lowering) reuse(e ast.Expr) ast.Expr {
	if id, ok := e.(*ast.Ident); ok {
		if _, isTemp := l.temps[id]; isTemp {
			return l.use(id)
		}
	}
	return e
}

func (l *lowering) typeSwitchStmt(s *ast.TypeSwitchStmt, label string) {
	if s.Init != nil {
		l.stmt(s.Init)
	}
	var x ast.Expr
	switch a := s.Assign.(type) {
	case *ast.AssignStmt:
		x = a.Rhs[0].(*ast.TypeAssertExpr).X
	case *ast.ExprStmt:
		x = a.X.(*ast.TypeAssertExpr).X
	}
	x = l.expr(x)
	end := l.newBlock("endswitch")
	op := &opTypeSwitch{s: s, x: x, end: end}
	end.targeted = true
	bodies := make([]*block, len(s.Body.List))
	for i, c := range s.Body.List {
		cc := c.(*ast.CaseClause)
		bodies[i] = l.newBlock("case")
		bodies[i].targeted = true
		tc := typeClause{types: cc.List, to: bodies[i]}
		if obj, ok := l.g.info.Implicits[cc].(*types.Var); ok && usesObj(l.g.info, cc, obj) {
			tc.v = l.declareObj(obj, cc.Pos())
		}
		if cc.List == nil {
			op.end = nil
		}
		op.clauses = append(op.clauses, tc)
	}
	l.emit(op)
	l.breakables = append(l.breakables, &breakable{label: label, brk: end})
	for i, c := range s.Body.List {
		l.start(bodies[i])
		l.stmts(c.(*ast.CaseClause).Body)
		if l.cur != nil {
			l.jump(end, c.End())
		}
	}
	l.breakables = l.breakables[:len(l.breakables)-1]
	l.start(end)
}

func (l *lowering) selectStmt(s *ast.SelectStmt, label string) {
	end := l.newBlock("endselect")
	op := &opSelect{s: s}
	bodies := make([]*block, len(s.Body.List))
	comms := make([]ast.Stmt, len(s.Body.List))
	commsAwait := false
	for i, c := range s.Body.List {
		comms[i] = c.(*ast.CommClause).Comm
		commsAwait = commsAwait || comms[i] != nil && l.hasAwait(comms[i])
	}
	if commsAwait {
		// Go evaluates every channel and sent value once, in source order,
		// when it enters the select: do so into temporaries first.
		for i, comm := range comms {
			comms[i] = l.selectOperands(comm)
		}
	}
	for i, c := range s.Body.List {
		cc := c.(*ast.CommClause)
		cc = &ast.CommClause{Case: cc.Case, Comm: comms[i], Colon: cc.Colon, Body: cc.Body}
		bodies[i] = l.newBlock("case")
		bodies[i].targeted = true
		if as, ok := cc.Comm.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, e := range as.Lhs {
				id, _ := e.(*ast.Ident)
				l.declare(id)
			}
		}
		op.clauses = append(op.clauses, selectClause{comm: cc.Comm, to: bodies[i]})
	}
	l.emit(op)
	l.breakables = append(l.breakables, &breakable{label: label, brk: end})
	for i, c := range s.Body.List {
		l.start(bodies[i])
		l.stmts(c.(*ast.CommClause).Body)
		if l.cur != nil {
			l.jump(end, c.End())
		}
	}
	l.breakables = l.breakables[:len(l.breakables)-1]
	l.start(end)
}
