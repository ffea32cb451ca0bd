package transform

import (
	"go/ast"
	"go/token"
	"go/types"
	"math/big"
)

// storage is where a variable of a coroutine lives in the generated code.
type storage int

const (
	stInner   storage = iota // inside a statement kept as written: unchanged
	stLocal                  // a local of Poll: not live across any await
	stField                  // a field of the machine: live across an await
	stBoxed                  // a field pointing at the variable: captured, and declared anew per iteration
	stCapture                // a field pointing at a variable of the enclosing coroutine
)

type varKind int

const (
	vkFlat    varKind = iota // declared at the top level of the lowered body
	vkParam                  // a parameter (or the receiver) of the async function
	vkResult                 // a result of the body literal, named or not
	vkTemp                   // a temporary of the lowering
	vkCapture                // a variable of an enclosing coroutine used by an inline one
)

// variable is a variable the lowering moved: a parameter, result, local or
// temporary of the coroutine body.
type variable struct {
	obj      *types.Var // nil for temporaries and unnamed results
	name     string     // its name in generated code
	typ      types.Type
	pos      token.Pos
	kind     varKind
	captured bool // referenced by a closure or an inline coroutine, or its address taken
	perIter  bool // the variable of a lowered three-clause for loop
	inLoop   bool // declared inside a loop of the lowered body
	used     bool
	storage  storage
	index    int
	decl     *block
}

// field reports whether the variable is a field of the machine.
func (v *variable) field() bool {
	return v.storage == stField || v.storage == stBoxed || v.storage == stCapture
}

// bitset is a set of variables by index.
type bitset = big.Int

// refs returns the variables of the lowering referenced in n, including
// inside function literals and inline coroutines.
func (l *lowering) refs(n ast.Node) []*variable {
	if n == nil {
		return nil
	}
	var out []*variable
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v := l.varOf(id); v != nil {
				out = append(out, v)
			}
		}
		return true
	})
	return out
}

// markCaptures flags the variables n references from inside function
// literals, and those whose address it takes (explicitly, or implicitly by
// calling a pointer method on them).
func (l *lowering) markCaptures(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			for _, v := range l.refs(n.Body) {
				v.captured = true
			}
			return false
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if v := l.rootVar(n.X); v != nil {
					v.captured = true
				}
			}
		case *ast.SelectorExpr:
			if sel, ok := l.g.info.Selections[n]; ok && sel.Kind() == types.MethodVal {
				if _, ptrRecv := sel.Obj().Type().(*types.Signature).Recv().Type().(*types.Pointer); ptrRecv && !isPointer(l.g.info.TypeOf(n.X)) {
					if v := l.rootVar(n.X); v != nil {
						v.captured = true
					}
				}
			}
		case *ast.SliceExpr:
			// Slicing an array takes its address.
			if t := l.g.info.TypeOf(n.X); t != nil {
				if _, ok := t.Underlying().(*types.Array); ok {
					if v := l.rootVar(n.X); v != nil {
						v.captured = true
					}
				}
			}
		}
		return true
	})
}

// rootVar returns the variable whose storage an addressable expression
// denotes (x, x.f, x[i] of an array x), if it is one of ours.
func (l *lowering) rootVar(e ast.Expr) *variable {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return l.varOf(x)
		case *ast.ParenExpr:
			e = x.X
		case *ast.SelectorExpr:
			if isPointer(l.g.info.TypeOf(x.X)) {
				return nil
			}
			e = x.X
		case *ast.IndexExpr:
			t := l.g.info.TypeOf(x.X)
			if t == nil {
				return nil
			}
			if _, ok := t.Underlying().(*types.Array); !ok {
				return nil
			}
			e = x.X
		default:
			return nil
		}
	}
}

func isPointer(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

// ---- liveness ----

// assigned adds the targets of an assignment to uses and defs: a variable
// named alone is defined, any other target (an index, a field, a pointer)
// only reads the variables in it.
func (l *lowering) assigned(lhs []ast.Expr, uses, defs []*variable) ([]*variable, []*variable) {
	for _, e := range lhs {
		if id, ok := e.(*ast.Ident); ok {
			if v := l.varOf(id); v != nil {
				defs = append(defs, v)
			}
			continue
		}
		uses = append(uses, l.refs(e)...)
	}
	return uses, defs
}

// defsUses returns what an op reads (before it writes) and what it
// certainly writes, among the lowering's variables; across is what must
// survive the op's suspension, if it suspends.
func (l *lowering) defsUses(o op) (uses, defs []*variable) {
	switch o := o.(type) {
	case *opStmt:
		switch s := o.s.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.ASSIGN || s.Tok == token.DEFINE {
				for _, e := range s.Rhs {
					uses = append(uses, l.refs(e)...)
				}
				return l.assigned(s.Lhs, uses, nil)
			}
		case *ast.DeclStmt:
			if gd, ok := s.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
				for _, sp := range gd.Specs {
					vs := sp.(*ast.ValueSpec)
					for _, e := range vs.Values {
						uses = append(uses, l.refs(e)...)
					}
					for _, id := range vs.Names {
						if v := l.varOf(id); v != nil {
							defs = append(defs, v)
						}
					}
				}
				return uses, defs
			}
		}
		return l.refs(o.s), nil
	case *opAwait:
		if o.arg != nil {
			uses = append(uses, l.refs(o.arg)...)
		}
		if o.child != nil {
			uses = append(uses, l.refs(o.child.recv)...)
			for _, a := range o.child.args {
				uses = append(uses, l.refs(a)...)
			}
		}
		return l.assigned(o.lhs, uses, defs)
	case *opJump:
		return l.refs(o.cond), nil
	case *opReturn:
		for _, e := range o.results {
			uses = append(uses, l.refs(e)...)
		}
		if len(o.results) == 0 {
			uses = append(uses, l.results...)
		}
		return uses, nil
	case *opSwitch:
		uses = l.refs(o.tag)
		for _, c := range o.clauses {
			for _, e := range c.list {
				uses = append(uses, l.refs(e)...)
			}
		}
		return uses, nil
	case *opTypeSwitch:
		return l.refs(o.x), nil
	case *opSelect:
		for _, c := range o.clauses {
			if c.comm != nil {
				uses = append(uses, l.refs(c.comm)...)
			}
		}
		return uses, nil
	case *opNewIteration:
		return o.vars, nil
	}
	return nil, nil
}

// successors returns the blocks control can reach from the end of b.
func (l *lowering) successors(b *block) []*block {
	var out []*block
	for _, o := range b.ops {
		switch o := o.(type) {
		case *opStmt:
			out = append(out, o.exits...)
		case *opJump:
			out = append(out, o.to)
		default:
			out = append(out, opTargets(o)...)
		}
	}
	if !b.terminates() && b.id+1 < len(l.blocks) {
		out = append(out, l.blocks[b.id+1])
	}
	return out
}

// analyse decides where every variable lives: liveness across awaits on the
// lowered blocks, then the rules for captured and per-iteration variables.
func (l *lowering) analyse() {
	for i, v := range l.vars {
		v.index = i
	}
	succ := make([][]*block, len(l.blocks))
	for i, b := range l.blocks {
		succ[i] = l.successors(b)
	}
	// Loops: a block is in one if it can reach itself.
	inCycle := make([]bool, len(l.blocks))
	for i := range l.blocks {
		seen := make([]bool, len(l.blocks))
		stack := append([]*block(nil), succ[i]...)
		for len(stack) > 0 {
			b := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if b.id == i {
				inCycle[i] = true
				break
			}
			if seen[b.id] {
				continue
			}
			seen[b.id] = true
			stack = append(stack, succ[b.id]...)
		}
	}
	for _, v := range l.vars {
		if v.decl != nil && inCycle[v.decl.id] {
			v.inLoop = true
		}
	}
	// Backward liveness to a fixed point.
	liveIn := make([]bitset, len(l.blocks))
	across := new(bitset)
	for changed := true; changed; {
		changed = false
		for i := len(l.blocks) - 1; i >= 0; i-- {
			b := l.blocks[i]
			live := new(bitset)
			for _, s := range succ[i] {
				live.Or(live, &liveIn[s.id])
			}
			for k := len(b.ops) - 1; k >= 0; k-- {
				uses, defs := l.defsUses(b.ops[k])
				if a, ok := b.ops[k].(*opAwait); ok {
					// What is live after the await, but the values it
					// assigns, must survive the suspension.
					after := new(bitset).Set(live)
					for _, d := range defs {
						after.SetBit(after, d.index, 0)
					}
					for _, e := range a.lhs {
						if _, ok := e.(*ast.Ident); !ok {
							for _, v := range l.refs(e) {
								after.SetBit(after, v.index, 1)
							}
						}
					}
					across.Or(across, after)
				}
				for _, d := range defs {
					live.SetBit(live, d.index, 0)
				}
				for _, u := range uses {
					live.SetBit(live, u.index, 1)
				}
			}
			if live.Cmp(&liveIn[i]) != 0 {
				liveIn[i].Set(live)
				changed = true
			}
		}
	}
	for _, v := range l.vars {
		switch {
		case v.kind == vkCapture:
			v.storage = stCapture
		case v.kind == vkParam:
			v.storage = stField
		case v.captured && (v.inLoop || v.perIter):
			v.storage = stBoxed
		case v.captured:
			v.storage = stField
		case v.kind == vkResult && (l.hasDefers || v.obj != nil):
			// With defers, the results outlive the body; a named result is
			// a field too, as Go never reports it unused where Poll would.
			v.storage = stField
		case across.Bit(v.index) == 1:
			v.storage = stField
		default:
			v.storage = stLocal
		}
	}
}
