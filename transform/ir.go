package transform

import (
	"go/ast"
	"go/token"
	"go/types"
)

// The lowering turns a coroutine body into blocks of straight-line code
// joined by jumps: the body's statements that contain no await are kept as
// they are (with the references that moved rewritten at emission); the
// ones that do are broken up so that every await sits at the top level of
// the generated Poll method, where a label lets the machine resume it.

// block is a basic block of the lowered body. Blocks are emitted in order;
// control falls from one to the next unless the last op jumps or returns.
type block struct {
	id       int
	hint     string // what the block is, for its label: "cond", "end", ...
	ops      []op
	label    string // assigned at emission when something jumps here
	targeted bool
}

// terminates reports whether control cannot fall out of the block's end.
func (b *block) terminates() bool {
	if len(b.ops) == 0 {
		return false
	}
	switch o := b.ops[len(b.ops)-1].(type) {
	case *opJump:
		return o.cond == nil
	case *opReturn, *opSwitch, *opTypeSwitch, *opSelect:
		return true
	}
	return false
}

type op interface{ opPos() token.Pos }

// opStmt is a statement without awaits: the user's, or one the lowering
// made (assigning a temporary). flat is true for statements at the top
// level of the body, whose declarations become assignments.
type opStmt struct {
	s     ast.Stmt
	exits []*block // blocks its branch statements jump to, outside it
}

// opAwait suspends until arg completes: rt.Await (or rt.Try) at the top
// level. lhs receives the value (and, for Try, the error); nil discards.
type opAwait struct {
	call   *ast.CallExpr // the original rt.Await / rt.Try call
	arg    ast.Expr      // the lowered awaitable, when not a child
	child  *childCall    // a same-package async function awaited in place
	try    bool
	lhs    []ast.Expr
	define bool
	state  int
	slot   *slot
	hint   string // what the state waits for, for its comment
}

// childCall is a direct await of a same-package async function, whose
// machine is embedded in the caller's and started in place.
type childCall struct {
	callee *callee
	recv   ast.Expr   // the receiver of an async method, lowered
	args   []ast.Expr // lowered arguments
	targs  []types.Type
}

// opJump jumps to to, if cond (negated when negate) holds, or always.
type opJump struct {
	cond   ast.Expr
	negate bool
	to     *block
	pos    token.Pos
}

// opReturn ends the body: return results (lowered), or a naked return.
type opReturn struct {
	results []ast.Expr
	pos     token.Pos
	implied bool // the end of a body that has no final return
}

// opSwitch dispatches on a tag whose cases hold no await: Go's own switch
// picks the clause, whose body the lowering moved to block to.
type opSwitch struct {
	s       *ast.SwitchStmt
	tag     ast.Expr // lowered tag, or nil
	clauses []switchClause
	end     *block // where control goes when no clause matches
}

type switchClause struct {
	list []ast.Expr // nil for default
	to   *block
}

// opTypeSwitch dispatches a type switch whose bodies await.
type opTypeSwitch struct {
	s       *ast.TypeSwitchStmt
	x       ast.Expr // the lowered operand of .(type)
	clauses []typeClause
	end     *block
}

type typeClause struct {
	types []ast.Expr // nil for default
	v     *variable  // the clause's variable, or nil
	to    *block
}

// opSelect dispatches a select whose bodies await.
type opSelect struct {
	s       *ast.SelectStmt
	clauses []selectClause
}

type selectClause struct {
	comm ast.Stmt // nil for default
	to   *block
}

// opNewIteration gives a captured loop variable of a lowered three-clause
// for loop its fresh copy for the next iteration (Go 1.22 semantics).
type opNewIteration struct {
	vars []*variable
	pos  token.Pos
}

func (o *opStmt) opPos() token.Pos         { return o.s.Pos() }
func (o *opAwait) opPos() token.Pos        { return o.call.Pos() }
func (o *opJump) opPos() token.Pos         { return o.pos }
func (o *opReturn) opPos() token.Pos       { return o.pos }
func (o *opSwitch) opPos() token.Pos       { return o.s.Pos() }
func (o *opTypeSwitch) opPos() token.Pos   { return o.s.Pos() }
func (o *opSelect) opPos() token.Pos       { return o.s.Pos() }
func (o *opNewIteration) opPos() token.Pos { return o.pos }

// slot is a field of the machine that holds what an await waits for. Awaits
// of the same type share one: a machine waits for one thing at a time.
type slot struct {
	name  string
	typ   types.Type // the awaitable's type, for plain awaits
	child *callee    // or the embedded machine
	targs []types.Type
	ptr   bool // the embedded machine is behind a pointer (recursion)
	local bool // a local of Poll: the awaitable needs nothing of itself to resume (rt.Sleeper)
}

// callee is a same-package async function (or method) as a child.
type callee struct {
	obj     *types.Func
	machine string // its machine type
}
