package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/corogen/corogen/internal/asyncfn"
)

// checkFile runs the checks of code on the syntax of one source file.
func (a *pass) checkFile(fc inspector.Cursor) {
	f := fc.Node().(*ast.File)
	for cur := range fc.Preorder(
		(*ast.CallExpr)(nil),
		(*ast.ExprStmt)(nil),
		(*ast.GoStmt)(nil),
		(*ast.DeferStmt)(nil),
		(*ast.AssignStmt)(nil),
		(*ast.SendStmt)(nil),
		(*ast.UnaryExpr)(nil),
		(*ast.SelectStmt)(nil),
		(*ast.RangeStmt)(nil),
		(*ast.ForStmt)(nil),
	) {
		switch n := cur.Node().(type) {
		case *ast.CallExpr:
			a.checkCall(f, cur, n)
		case *ast.ExprStmt:
			a.checkDropped(f, cur, n)
		case *ast.GoStmt:
			a.checkDroppedCall(f, cur, n.Call, "go")
		case *ast.DeferStmt:
			a.checkDroppedCall(f, cur, n.Call, "defer")
			a.checkDeferredEnd(cur, n.Call)
		case *ast.AssignStmt:
			a.checkOverwrittenTask(cur, n)
		case *ast.SendStmt:
			if k, _ := cur.ParentEdge(); k != edge.CommClause_Comm {
				a.checkBlockingOp(cur, n, "a channel send", "use an awaitable queue or future from rt, or a select with a default case")
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && !inSelectCase(cur) {
				a.checkBlockingOp(cur, n, "a channel receive", "await an rt future (rt.NewFuture) or queue that the sender completes, or use a select with a default case")
			}
		case *ast.SelectStmt:
			if !hasDefault(n) {
				a.checkBlockingOp(cur, n, "a select without a default case", "add a default case and await something else (rt.Await(rt.Sleep(d))) before trying again, or await rt futures instead of channels")
			}
		case *ast.RangeStmt:
			if t := a.TypesInfo.TypeOf(n.X); t != nil {
				if _, ok := t.Underlying().(*types.Chan); ok {
					a.checkBlockingOp(cur, n, "a range over a channel", "receive with a select that has a default case, or await values from an rt queue")
				}
			}
		case *ast.ForStmt:
			a.checkLoopHog(f, cur, n)
		}
	}
}

func (a *pass) checkCall(f *ast.File, cur inspector.Cursor, call *ast.CallExpr) {
	switch name := asyncfn.RTFunc(a.TypesInfo, call); name {
	case "Await", "Try":
		ctx := a.ctxAt(cur)
		if ctx.async || ctx.coro {
			// Inside an async function asyncfn.Check decides; inside a
			// coroutine body outside one, that body is reported.
			return
		}
		a.report(analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(), Category: CatAwaitOutside,
			Message: fmt.Sprintf("rt.%s outside an async function: only a coroutine can suspend; "+
				"make the function async (//coro:async, body return rt.Async(func() T {...})), or run the awaitable from plain code with rt.Run or rt.RunUntilComplete", name),
		})
	case "Async", "AsyncErr", "Do", "DoErr":
		ctx := a.ctxAt(cur)
		if ctx.async || ctx.coro {
			return
		}
		d := analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(), Category: CatBodyOutside,
			Message: fmt.Sprintf("rt.%s outside an async function is not transformed by corogen (a default build panics here): "+
				"declare an async function, //coro:async func name(...) rt.Coro[T] { return rt.%s(func() ... {...}) }, and call it", name, name),
		}
		if decl := a.returnedBody(cur); decl != nil {
			// The shape of an async function without the directive.
			d.Message = fmt.Sprintf("rt.%s outside an async function is not transformed by corogen (a default build panics here): "+
				"%s has the shape of an async function; mark it with the directive %s", name, decl.Name.Name, asyncfn.Directive)
			edit := analysis.TextEdit{Pos: decl.Pos(), End: decl.Pos(), NewText: []byte(asyncfn.Directive + "\n")}
			if decl.Doc != nil {
				edit = analysis.TextEdit{Pos: decl.Doc.End(), End: decl.Doc.End(), NewText: []byte("\n//\n" + asyncfn.Directive)}
				for _, c := range decl.Doc.List {
					// A misspelled directive ("// coro:async") is corrected
					// rather than doubled.
					if strings.TrimSpace(strings.TrimPrefix(c.Text, "//")) == strings.TrimPrefix(asyncfn.Directive, "//") {
						edit = analysis.TextEdit{Pos: c.Pos(), End: c.End(), NewText: []byte(asyncfn.Directive)}
					}
				}
			}
			d.SuggestedFixes = []analysis.SuggestedFix{{Message: "Add " + asyncfn.Directive, TextEdits: []analysis.TextEdit{edit}}}
		}
		a.report(d)
	case "Spawn", "Gather", "GatherAll", "Now", "CurrentTask":
		a.checkOffLoop(cur, call, name)
	default:
		a.checkBlockingCall(f, cur, call)
	}
}

// checkOffLoop reports rt functions that need the running loop, called
// where none can be running.
func (a *pass) checkOffLoop(cur inspector.Cursor, call *ast.CallExpr, name string) {
	ctx := a.ctxAt(cur)
	if k, _ := cur.ParentEdge(); k == edge.GoStmt_Call {
		ctx = fnCtx{loop: loopOff, where: "a goroutine (go rt." + name + "(...))"}
	}
	if ctx.loop != loopOff || ((name == "Gather" || name == "GatherAll") && !a.gatherNeedsLoop(call, name == "GatherAll")) {
		return
	}
	loop, haveLoop := a.loopVar(call.Pos())
	var instead string
	var edits []analysis.TextEdit
	switch name {
	case "Spawn", "Gather", "GatherAll":
		instead = fmt.Sprintf("rt.%sOn(loop, ...)", name)
		if haveLoop {
			id := funcIdent(call.Fun)
			sep := ", "
			if len(call.Args) == 0 {
				sep = ""
			}
			edits = []analysis.TextEdit{
				{Pos: id.Pos(), End: id.End(), NewText: []byte(id.Name + "On")},
				{Pos: call.Lparen + 1, End: call.Lparen + 1, NewText: []byte(loop + sep)},
			}
		}
	default:
		instead = "loop." + name + "()"
		if haveLoop {
			edits = []analysis.TextEdit{{Pos: call.Fun.Pos(), End: call.Fun.End(), NewText: []byte(loop + "." + name)}}
		}
	}
	d := analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(), Category: CatOffLoop,
		Message: fmt.Sprintf("rt.%s needs a running event loop, and %s never runs on one (it panics): name the loop, %s", name, ctx.where, instead),
	}
	if edits != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{{Message: "Use " + loop + " explicitly", TextEdits: edits}}
	}
	a.report(d)
}

// gatherNeedsLoop reports whether rt.Gather (rt.GatherAll, with all set:
// its argument is a slice) needs the running loop for its arguments: it
// does unless all of them are tasks or futures (or of an interface type
// that may hold one, which the analyzer cannot tell).
func (a *pass) gatherNeedsLoop(call *ast.CallExpr, all bool) bool {
	for i, arg := range call.Args {
		t := a.TypesInfo.TypeOf(arg)
		if t == nil {
			continue
		}
		if (all || call.Ellipsis.IsValid()) && i == len(call.Args)-1 {
			s, ok := t.Underlying().(*types.Slice)
			if !ok {
				continue
			}
			t = s.Elem()
		}
		if types.IsInterface(t) || isRTPointer(t, "Task") || isRTPointer(t, "Future") {
			continue
		}
		return true
	}
	return false
}

// loopVar returns the name of the one variable of type *rt.Loop visible at
// pos, if there is exactly one.
func (a *pass) loopVar(pos token.Pos) (string, bool) {
	inner := a.Pkg.Scope().Innermost(pos)
	if inner == nil {
		return "", false
	}
	seen := map[string]bool{}
	var found []string
	for s := inner; s != nil && s != types.Universe; s = s.Parent() {
		for _, name := range s.Names() {
			if seen[name] {
				continue
			}
			seen[name] = true
			if _, obj := inner.LookupParent(name, pos); obj != nil {
				if v, ok := obj.(*types.Var); ok && isRTPointer(v.Type(), "Loop") {
					found = append(found, name)
				}
			}
		}
	}
	if len(found) != 1 {
		return "", false
	}
	return found[0], true
}

// funcIdent returns the identifier naming the function of a call's Fun.
func funcIdent(fun ast.Expr) *ast.Ident {
	fun = ast.Unparen(fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		return f.Sel
	case *ast.Ident:
		return f
	}
	return nil
}

// isRTPointer reports whether t is *rt.<name> (of any instantiation).
func isRTPointer(t types.Type, name string) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && isRTNamed(p.Elem(), name)
}

func isRTNamed(t types.Type, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == asyncfn.RTPath && n.Obj().Name() == name
}

// isCoroutine reports whether t is a coroutine object or another awaitable
// that does nothing until awaited: rt.Coro[T] or rt.Sleeper.
func isCoroutine(t types.Type) bool {
	_, ok := asyncfn.CoroArg(t)
	return ok || isRTNamed(t, "Sleeper")
}

// checkDropped reports an expression statement that drops a coroutine
// object or a spawned task.
func (a *pass) checkDropped(f *ast.File, cur inspector.Cursor, stmt *ast.ExprStmt) {
	call, _ := ast.Unparen(stmt.X).(*ast.CallExpr)
	if call != nil {
		if a.checkEndDropped(stmt, call) {
			return
		}
		if name := asyncfn.RTFunc(a.TypesInfo, call); name == "Spawn" || name == "SpawnOn" {
			a.report(analysis.Diagnostic{
				Pos: call.Pos(), End: call.End(), Category: CatDroppedTask,
				Message: fmt.Sprintf("the result and error of the task started by rt.%s are dropped, so a failure goes unnoticed: "+
					"keep the task and await it (t := %s; ...; rt.Await(t)) or gather it; if dropping them is intended, write _ = rt.%s(...)", name, spawnExample(name), name),
			})
			return
		}
	}
	if !isCoroutine(a.TypesInfo.TypeOf(stmt.X)) {
		return
	}
	ctx := a.ctxAt(cur)
	what := a.describeCoroutine(stmt.X)
	sleeper := isRTNamed(a.TypesInfo.TypeOf(stmt.X), "Sleeper")
	d := analysis.Diagnostic{Pos: stmt.X.Pos(), End: stmt.X.End(), Category: CatNeverAwaited}
	switch {
	case ctx.coro && ctx.async:
		d.Message = what + " is never awaited, so it never runs: write rt.Await(...)"
		if sleeper {
			d.Message = what + " is never awaited, so it does not sleep: write rt.Await(rt.Sleep(d))"
		}
		if rt, ok := a.rtName(f); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   "Await it",
				TextEdits: wrap(stmt.X, rt+"Await(", ")"),
			}}
		}
	case sleeper:
		d.Message = what + " is never awaited, so it does not sleep: await it in an async function, rt.Await(rt.Sleep(d))"
	case ctx.loop == loopOff:
		d.Message = what + " is never awaited or spawned, so it never runs: run it with rt.Run(c), or spawn it on a loop with rt.SpawnOn(loop, c)"
	default:
		d.Message = what + " is never awaited or spawned, so it never runs: await it in an async function, rt.Await(c), or spawn it, rt.Spawn(c)"
	}
	a.report(d)
}

// checkDroppedCall reports go and defer statements whose call returns a
// coroutine object, which nothing then runs.
func (a *pass) checkDroppedCall(f *ast.File, cur inspector.Cursor, call *ast.CallExpr, keyword string) {
	if name := asyncfn.RTFunc(a.TypesInfo, call); name == "SpawnOn" || name == "Spawn" && keyword == "defer" {
		// go and defer discard the results of the call: the task. (go
		// rt.Spawn(c) is off the loop, which checkOffLoop reports; its
		// fix, go rt.SpawnOn(loop, c), is reported here.)
		a.report(analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(), Category: CatDroppedTask,
			Message: fmt.Sprintf("%s rt.%s(...) drops the task it starts, so its result and error are lost and a failure goes unnoticed: "+
				"spawning does not block, so spawn it without %s, keep the task and await it (t := %s; ...; rt.Await(t)) or gather it; if dropping them is intended, write _ = rt.%s(...)",
				keyword, name, keyword, spawnExample(name), name),
		})
		return
	}
	if !isCoroutine(a.TypesInfo.TypeOf(call)) {
		return
	}
	what := a.describeCoroutine(call)
	d := analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Category: CatNeverAwaited}
	if keyword == "go" {
		d.Message = fmt.Sprintf("go drops %s: the new goroutine only creates it, so it never runs; spawn it as a task instead, rt.Spawn(c) (rt.SpawnOn(loop, c) off the loop)", what)
		a.report(d)
		return
	}
	ctx := a.ctxAt(cur)
	d.Message = fmt.Sprintf("defer drops %s, so it never runs: write defer rt.Await(...) in an async function", what)
	if ctx.coro && ctx.async {
		if rt, ok := a.rtName(f); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{{Message: "Await it when deferred", TextEdits: wrap(call, rt+"Await(", ")")}}
		}
	}
	a.report(d)
}

// spawnExample shows how rt.Spawn or rt.SpawnOn is called.
func spawnExample(name string) string {
	if name == "SpawnOn" {
		return "rt.SpawnOn(loop, c)"
	}
	return "rt." + name + "(c)"
}

// describeCoroutine names the coroutine object e evaluates to.
func (a *pass) describeCoroutine(e ast.Expr) string {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return "the coroutine object"
	}
	if fn, ok := typeutil.Callee(a.TypesInfo, call).(*types.Func); ok {
		if name, ok := a.asyncName(fn); ok {
			return "the coroutine of async function " + name
		}
		if fn.Pkg() != nil && fn.Pkg().Path() == asyncfn.RTPath {
			if fn.Name() == "Sleep" {
				return "rt.Sleep(...)"
			}
			return "the coroutine returned by rt." + fn.Name()
		}
	}
	return "the coroutine object (" + types.TypeString(a.TypesInfo.TypeOf(e), a.qualifier) + ")"
}

// wrap returns the edits that put prefix before e and suffix after it.
func wrap(e ast.Node, prefix, suffix string) []analysis.TextEdit {
	return []analysis.TextEdit{
		{Pos: e.Pos(), End: e.Pos(), NewText: []byte(prefix)},
		{Pos: e.End(), End: e.End(), NewText: []byte(suffix)},
	}
}

// checkOverwrittenTask reports t := rt.Spawn(c) when the next mention of t
// in the same block assigns it again: the first task's outcome is lost.
func (a *pass) checkOverwrittenTask(cur inspector.Cursor, as *ast.AssignStmt) {
	if len(as.Lhs) != len(as.Rhs) || (as.Tok != token.DEFINE && as.Tok != token.ASSIGN) {
		return
	}
	for i, rhs := range as.Rhs {
		call, ok := ast.Unparen(rhs).(*ast.CallExpr)
		if !ok {
			continue
		}
		name := asyncfn.RTFunc(a.TypesInfo, call)
		if name != "Spawn" && name != "SpawnOn" {
			continue
		}
		id, ok := as.Lhs[i].(*ast.Ident)
		if !ok || id.Name == "_" {
			continue
		}
		v, ok := a.TypesInfo.ObjectOf(id).(*types.Var)
		if !ok || v.Parent() == nil || v.Parent() == a.Pkg.Scope() || !a.overwritten(cur, v, as.Tok == token.DEFINE) {
			continue
		}
		a.report(analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(), Category: CatDroppedTask,
			Message: fmt.Sprintf("%s is assigned again before it is used, so the result and error of the task started here by rt.%s are dropped: await or gather the task before reusing the variable", id.Name, name),
		})
	}
}

// overwritten reports whether the statement at cur is followed, in its
// block, by a plain assignment to v with no mention of v in between, and
// nothing that could jump past that assignment to a later use of v.
func (a *pass) overwritten(cur inspector.Cursor, v *types.Var, defined bool) bool {
	if k, _ := cur.ParentEdge(); k != edge.BlockStmt_List && k != edge.CaseClause_Body && k != edge.CommClause_Body {
		return false
	}
	if a.escapes(cur, v) {
		return false
	}
	for next, ok := cur.NextSibling(); ok; next, ok = next.NextSibling() {
		stmt := next.Node().(ast.Stmt)
		if as, ok := stmt.(*ast.AssignStmt); ok && as.Tok == token.ASSIGN && len(as.Lhs) == 1 {
			if id, ok := as.Lhs[0].(*ast.Ident); ok && a.TypesInfo.Uses[id] == v && !a.mentions(as.Rhs[0], v) {
				return true
			}
		}
		if a.mentions(stmt, v) || jumps(stmt, defined) {
			return false
		}
	}
	return false
}

// escapes reports whether v may be read other than in its function's
// straight-line code: captured by a function literal, addressed, or a
// named result.
func (a *pass) escapes(cur inspector.Cursor, v *types.Var) bool {
	fn := enclosingFunc(cur)
	if !fn.Valid() {
		return true
	}
	var sig *types.Signature
	switch n := fn.Node().(type) {
	case *ast.FuncDecl:
		if obj, ok := a.TypesInfo.Defs[n.Name].(*types.Func); ok {
			sig = obj.Signature()
		}
	case *ast.FuncLit:
		sig, _ = a.TypesInfo.TypeOf(n).(*types.Signature)
	}
	if sig != nil {
		for r := range sig.Results().Variables() {
			if r == v {
				return true
			}
		}
	}
	escaped := false
	for c := range fn.Preorder((*ast.FuncLit)(nil), (*ast.UnaryExpr)(nil), (*ast.BranchStmt)(nil)) {
		switch n := c.Node().(type) {
		case *ast.FuncLit:
			if c != fn && a.mentions(n, v) {
				escaped = true
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && a.TypesInfo.Uses[id] == v {
				escaped = true
			}
		case *ast.BranchStmt:
			if n.Tok == token.GOTO {
				escaped = true // a goto may jump past the reassignment
			}
		}
	}
	return escaped
}

// enclosingFunc returns the innermost function declaration or literal
// around cur (an invalid cursor at package level).
func enclosingFunc(cur inspector.Cursor) inspector.Cursor {
	for c := range cur.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		return c
	}
	return inspector.Cursor{}
}

func (a *pass) mentions(n ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && a.TypesInfo.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// jumps reports whether stmt may leave its block other than by ending it or
// returning: then a variable declared outside the block may be read after.
func jumps(stmt ast.Stmt, defined bool) bool {
	if defined {
		return false // the variable is dead once its block is left
	}
	found := false
	ast.Inspect(stmt, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			found = true
		}
		return !found
	})
	return found
}

func inSelectCase(cur inspector.Cursor) bool {
	k, _ := cur.ParentEdge()
	if k != edge.ExprStmt_X && k != edge.AssignStmt_Rhs {
		return false
	}
	pk, _ := cur.Parent().ParentEdge()
	return pk == edge.CommClause_Comm
}

func hasDefault(s *ast.SelectStmt) bool {
	for _, c := range s.Body.List {
		if c.(*ast.CommClause).Comm == nil {
			return true
		}
	}
	return false
}

// onLoopInAsync reports whether the code at cur belongs to an async
// function and runs on the loop.
func (a *pass) onLoopInAsync(cur inspector.Cursor) bool {
	ctx := a.ctxAt(cur)
	return ctx.async && ctx.loop == loopOn
}

func (a *pass) checkBlockingOp(cur inspector.Cursor, n ast.Node, what, instead string) {
	if !a.onLoopInAsync(cur) {
		return
	}
	pos, end := n.Pos(), n.End()
	switch n := n.(type) {
	case *ast.SelectStmt:
		end = n.Body.Lbrace
	case *ast.RangeStmt:
		end = n.Body.Lbrace
	}
	a.report(analysis.Diagnostic{
		Pos: pos, End: end, Category: CatBlocking,
		Message: fmt.Sprintf("%s blocks the event loop, so no other task runs until it completes: %s", what, instead),
	})
}

func (a *pass) checkBlockingCall(f *ast.File, cur inspector.Cursor, call *ast.CallExpr) {
	fn, ok := typeutil.Callee(a.TypesInfo, call).(*types.Func)
	if !ok {
		return
	}
	key, name := funcKey(fn), displayName(fn)
	b, ok := lookupBlocking(key)
	if !ok {
		// A method promoted from an unexported type, such as Read of
		// *net.TCPConn (declared by net.conn), by the type it is called on.
		if key, name = a.recvKey(call, fn); key != "" {
			b, ok = lookupBlocking(key)
		}
		if !ok {
			return
		}
	}
	if k, _ := cur.ParentEdge(); k == edge.GoStmt_Call || !a.onLoopInAsync(cur) {
		return
	}
	d := analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(), Category: CatBlocking,
		Message: fmt.Sprintf("%s blocks the event loop, so no other task runs until it returns: %s", name, b.instead),
	}
	if key == "time.Sleep" && len(call.Args) == 1 && a.ctxAt(cur).coro {
		if rt, ok := a.rtName(f); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message: "Sleep on the loop",
				TextEdits: []analysis.TextEdit{
					{Pos: call.Pos(), End: call.Lparen + 1, NewText: []byte(rt + "Await(" + rt + "Sleep(")},
					{Pos: call.End(), End: call.End(), NewText: []byte(")")},
				},
			}}
		}
	}
	a.report(d)
}

// lookupBlocking finds a function key in the built-in list and in the
// functions added with -blocking.
func lookupBlocking(key string) (blocking, bool) {
	if b, ok := blockingFuncs[key]; ok {
		return b, true
	}
	if extraBlocking[key] {
		return blocking{instead: "run it in a function passed to rt.ToThread (it is listed by -blocking)"}, true
	}
	return blocking{}, false
}

// recvKey returns the key and printed name of a method call by the named
// type of its receiver expression, when that type is not the one that
// declares the method (which funcKey names): "net.TCPConn.Read" for c.Read()
// with c a *net.TCPConn. It returns "" otherwise.
func (a *pass) recvKey(call *ast.CallExpr, fn *types.Func) (string, string) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return "", ""
	}
	s, ok := a.TypesInfo.Selections[sel]
	if !ok || s.Kind() != types.MethodVal {
		return "", ""
	}
	n, ok := types.Unalias(deref(s.Recv())).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return "", ""
	}
	p := n.Obj().Pkg()
	key := p.Path() + "." + n.Obj().Name() + "." + fn.Name()
	if key == funcKey(fn) {
		return "", ""
	}
	return key, p.Name() + "." + n.Obj().Name() + "." + fn.Name()
}

// checkLoopHog reports a loop of a coroutine that never awaits and never
// ends: once entered, no other task, timer or callback of the loop runs.
func (a *pass) checkLoopHog(f *ast.File, cur inspector.Cursor, loop *ast.ForStmt) {
	if loop.Cond != nil && !a.isTrue(loop.Cond) {
		return
	}
	if ctx := a.ctxAt(cur); !ctx.coro || !ctx.async {
		return
	}
	if asyncfn.ContainsAwait(a.TypesInfo, loop.Body) || (loop.Post != nil && asyncfn.ContainsAwait(a.TypesInfo, loop.Post)) {
		return
	}
	var label string
	if k, _ := cur.ParentEdge(); k == edge.LabeledStmt_Stmt {
		label = cur.Parent().Node().(*ast.LabeledStmt).Label.Name
	}
	if a.exits(loop.Body, label) {
		return
	}
	d := analysis.Diagnostic{
		Pos: loop.For, End: loop.Body.Lbrace, Category: CatLoopHog,
		Message: "this loop never awaits and never ends, so it hogs the event loop: no other task or timer runs again; " +
			"await in it (rt.Await(rt.Sleep(0)) yields to the loop once) or give it a way out",
	}
	if rt, ok := a.rtName(f); ok {
		if indent, ok := a.indentOf(loop.For); ok {
			// A new first line of the body, after a comment that
			// follows the brace.
			text := "\n" + indent + "\t" + rt + "Await(" + rt + "Sleep(0))"
			at := loop.Body.Lbrace + 1
			tf := a.Fset.File(at)
			if line := tf.Line(loop.Body.Lbrace); line == tf.Line(loop.Body.Rbrace) {
				text += "\n" + indent
			} else {
				at = tf.LineStart(line+1) - 1
			}
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   "Yield to the loop once per iteration",
				TextEdits: []analysis.TextEdit{{Pos: at, End: at, NewText: []byte(text)}},
			}}
		}
	}
	a.report(d)
}

func (a *pass) isTrue(e ast.Expr) bool {
	tv, ok := a.TypesInfo.Types[e]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.Bool && constant.BoolVal(tv.Value)
}

// indentOf returns the white space that starts the line of pos.
func (a *pass) indentOf(pos token.Pos) (string, bool) {
	tf := a.Fset.File(pos)
	if tf == nil {
		return "", false
	}
	content, err := a.ReadFile(tf.Name())
	if err != nil {
		return "", false
	}
	start := tf.Offset(tf.LineStart(tf.Line(pos)))
	end := start
	for end < len(content) && (content[end] == ' ' || content[end] == '\t') {
		end++
	}
	return string(content[start:end]), true
}

// exits reports whether the body of a loop labeled label ("" if none) can
// leave it: a return, a break of it or of an outer statement, a goto, or a
// call that does not return.
func (a *pass) exits(body *ast.BlockStmt, label string) bool {
	inner := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.LabeledStmt:
			inner[n.Label.Name] = true
		}
		return true
	})
	exit := false
	var visit func(root ast.Node, nested bool)
	visit = func(root ast.Node, nested bool) {
		ast.Inspect(root, func(n ast.Node) bool {
			if exit {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				exit = true
			case *ast.BranchStmt:
				switch {
				case n.Tok == token.GOTO:
					exit = true
				case n.Label != nil && inner[n.Label.Name]:
				case n.Label != nil && n.Label.Name == label:
					exit = n.Tok == token.BREAK
				case n.Label != nil:
					exit = true // to a statement enclosing the loop
				case n.Tok == token.BREAK && !nested:
					exit = true
				}
			case *ast.CallExpr:
				exit = a.noReturn(n)
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if n != root {
					visit(n, true)
					return false
				}
			}
			return true
		})
	}
	visit(body, false)
	return exit
}

// noReturn reports whether call never returns normally.
func (a *pass) noReturn(call *ast.CallExpr) bool {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := a.TypesInfo.Uses[id].(*types.Builtin); ok {
			return b.Name() == "panic"
		}
	}
	fn, ok := typeutil.Callee(a.TypesInfo, call).(*types.Func)
	return ok && noReturnFuncs[funcKey(fn)]
}

var noReturnFuncs = map[string]bool{
	"os.Exit":        true,
	"runtime.Goexit": true,
}

func init() {
	for _, m := range []string{"Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln"} {
		noReturnFuncs["log."+m] = true
		noReturnFuncs["log.Logger."+m] = true
	}
	for _, m := range []string{"Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow"} {
		noReturnFuncs["testing.common."+m] = true
		noReturnFuncs["testing.TB."+m] = true
	}
}

// returnedBody returns the function declaration whose whole body is
// return <the call at cur>, if it returns rt.Coro[T]: an async function
// missing its directive.
func (a *pass) returnedBody(cur inspector.Cursor) *ast.FuncDecl {
	if k, _ := cur.ParentEdge(); k != edge.ReturnStmt_Results {
		return nil
	}
	ret := cur.Parent()
	if k, _ := ret.ParentEdge(); k != edge.BlockStmt_List {
		return nil
	}
	block := ret.Parent()
	if k, _ := block.ParentEdge(); k != edge.FuncDecl_Body {
		return nil
	}
	decl := block.Parent().Node().(*ast.FuncDecl)
	if len(decl.Body.List) != 1 || decl.Type.Results == nil || len(decl.Type.Results.List) != 1 {
		return nil
	}
	if _, ok := asyncfn.CoroArg(a.TypesInfo.TypeOf(decl.Type.Results.List[0].Type)); !ok {
		return nil
	}
	return decl
}

// qualifier writes types as the package's code does: other packages by
// name, its own unqualified.
func (a *pass) qualifier(p *types.Package) string {
	if p == a.Pkg {
		return ""
	}
	return p.Name()
}
