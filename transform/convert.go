package transform

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"

	"github.com/dave/jennifer/jen"
)

// conv converts Go syntax into jennifer code node by node. Package
// references become jen.Qual, so the generated file's imports are right
// whatever the source file called the packages. A rewriter, when set,
// replaces what the lowering of an async function changes: references to
// variables that moved into the machine, return, defer and branch
// statements, inline coroutines.
type conv struct {
	g  *gen
	rw rewriter
	// closure counts the function literals around the node being
	// converted: inside one, return/defer/branch statements are its own.
	closure int
}

// rewriter is the hook the lowering of an async function installs.
type rewriter interface {
	// ident returns the code for a variable reference, or nil.
	ident(c *conv, id *ast.Ident) jen.Code
	// expr returns the code for an expression it rewrites, or nil.
	expr(c *conv, e ast.Expr) jen.Code
	// stmt returns the code for a statement it rewrites, or nil. It is only
	// asked about statements of the coroutine itself, not of closures in it.
	stmt(c *conv, s ast.Stmt) jen.Code
}

func raw(s string) *jen.Statement { return jen.Op(s) }

// lineDirective positions the code that follows it at pos in the user's
// source, for stack traces and coverage.
func (c *conv) lineDirective(pos token.Pos) *jen.Statement {
	if !pos.IsValid() || c.g.noLines {
		return jen.Null()
	}
	p := c.g.fset.Position(pos)
	return jen.Comment(fmt.Sprintf("/*line %s:%d:%d*/", filepath.Base(p.Filename), p.Line, p.Column))
}

// ---- expressions ----

func (c *conv) exprs(es []ast.Expr) []jen.Code {
	out := make([]jen.Code, len(es))
	for i, e := range es {
		out[i] = c.expr(e)
	}
	return out
}

func (c *conv) expr(e ast.Expr) jen.Code {
	if e == nil {
		return jen.Null()
	}
	if c.rw != nil {
		if code := c.rw.expr(c, e); code != nil {
			return code
		}
	}
	switch e := e.(type) {
	case *ast.Ident:
		return c.ident(e)
	case *ast.BasicLit:
		return raw(e.Value)
	case *ast.CompositeLit:
		elts := c.exprs(e.Elts)
		var s *jen.Statement
		if e.Type != nil {
			s = jen.Add(c.expr(e.Type))
		} else {
			s = jen.Null()
		}
		if len(e.Elts) > 0 && c.multiline(e.Lbrace, e.Rbrace) {
			return s.Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, elts...)
		}
		return s.Values(elts...)
	case *ast.FuncLit:
		c.closure++
		defer func() { c.closure-- }()
		return jen.Func().Add(c.signature(e.Type)).Add(c.block(e.Body))
	case *ast.ParenExpr:
		return jen.Parens(c.expr(e.X))
	case *ast.SelectorExpr:
		if id, ok := e.X.(*ast.Ident); ok {
			if pn, ok := c.g.info.Uses[id].(*types.PkgName); ok {
				return jen.Qual(pn.Imported().Path(), e.Sel.Name)
			}
		}
		return jen.Add(c.expr(e.X)).Dot(e.Sel.Name)
	case *ast.IndexExpr:
		if c.isTypeArgs(e.X) {
			return jen.Add(c.expr(e.X)).Types(c.expr(e.Index))
		}
		return jen.Add(c.expr(e.X)).Index(c.expr(e.Index))
	case *ast.IndexListExpr:
		return jen.Add(c.expr(e.X)).Types(c.exprs(e.Indices)...)
	case *ast.SliceExpr:
		parts := []jen.Code{c.optExpr(e.Low), c.optExpr(e.High)}
		if e.Slice3 {
			parts = append(parts, c.optExpr(e.Max))
		}
		return jen.Add(c.expr(e.X)).Index(parts...)
	case *ast.TypeAssertExpr:
		if e.Type == nil {
			return jen.Add(c.expr(e.X)).Assert(jen.Type())
		}
		return jen.Add(c.expr(e.X)).Assert(c.expr(e.Type))
	case *ast.CallExpr:
		args := c.exprs(e.Args)
		if e.Ellipsis.IsValid() && len(args) > 0 {
			args[len(args)-1] = jen.Add(args[len(args)-1]).Op("...")
		}
		if len(e.Args) > 1 && c.multiline(e.Lparen, e.Rparen) {
			return jen.Add(c.expr(e.Fun)).Custom(jen.Options{Open: "(", Close: ")", Separator: ",", Multi: true}, args...)
		}
		return jen.Add(c.expr(e.Fun)).Call(args...)
	case *ast.StarExpr:
		return jen.Op("*").Add(c.expr(e.X))
	case *ast.UnaryExpr:
		return jen.Op(e.Op.String()).Add(c.expr(e.X))
	case *ast.BinaryExpr:
		return jen.Add(c.expr(e.X)).Op(e.Op.String()).Add(c.expr(e.Y))
	case *ast.KeyValueExpr:
		return jen.Add(c.expr(e.Key)).Op(":").Add(c.expr(e.Value))
	case *ast.ArrayType:
		if e.Len == nil {
			return jen.Index().Add(c.expr(e.Elt))
		}
		return jen.Index(c.expr(e.Len)).Add(c.expr(e.Elt))
	case *ast.Ellipsis:
		return jen.Op("...").Add(c.expr(e.Elt))
	case *ast.MapType:
		return jen.Map(c.expr(e.Key)).Add(c.expr(e.Value))
	case *ast.ChanType:
		switch e.Dir {
		case ast.SEND:
			return jen.Chan().Op("<-").Add(c.expr(e.Value))
		case ast.RECV:
			return jen.Op("<-").Chan().Add(c.expr(e.Value))
		}
		return jen.Chan().Add(c.expr(e.Value))
	case *ast.FuncType:
		return jen.Func().Add(c.signature(e))
	case *ast.StructType:
		return jen.Struct(c.fields(e.Fields, true)...)
	case *ast.InterfaceType:
		var items []jen.Code
		for _, f := range e.Methods.List {
			if ft, ok := f.Type.(*ast.FuncType); ok && len(f.Names) == 1 {
				items = append(items, jen.Id(f.Names[0].Name).Add(c.signature(ft)))
			} else {
				items = append(items, c.expr(f.Type))
			}
		}
		return jen.Interface(items...)
	}
	c.g.errorf(e.Pos(), "corogen cannot convert expression %T", e)
	return jen.Null()
}

func (c *conv) optExpr(e ast.Expr) jen.Code {
	if e == nil {
		return jen.Empty()
	}
	return c.expr(e)
}

// multiline reports whether the source spread a list over several lines;
// the generated code keeps it so.
func (c *conv) multiline(open, close token.Pos) bool {
	return open.IsValid() && close.IsValid() && c.g.fset.Position(open).Line != c.g.fset.Position(close).Line
}

// isTypeArgs reports whether x[...] instantiates a generic function or type.
func (c *conv) isTypeArgs(x ast.Expr) bool {
	if tv, ok := c.g.info.Types[x]; ok {
		if tv.IsType() {
			return true
		}
		if sig, ok := tv.Type.(*types.Signature); ok && sig.TypeParams().Len() > 0 {
			return true
		}
	}
	var id *ast.Ident
	switch x := x.(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	}
	if id != nil {
		if _, ok := c.g.info.Instances[id]; ok {
			return true
		}
	}
	return false
}

func (c *conv) ident(id *ast.Ident) jen.Code {
	if c.rw != nil {
		if code := c.rw.ident(c, id); code != nil {
			return code
		}
	}
	obj := c.g.info.Uses[id]
	if obj == nil {
		obj = c.g.info.Defs[id]
	}
	if tn, ok := obj.(*types.TypeName); ok {
		if name, ok := c.g.hoisted[tn]; ok {
			return jen.Id(name)
		}
	}
	// A name of another package used without qualifier comes from a dot
	// import: qualify it, so the generated file needs no dot import.
	if obj != nil && obj.Pkg() != nil && obj.Pkg() != c.g.pkg && obj.Parent() == obj.Pkg().Scope() {
		return jen.Qual(obj.Pkg().Path(), id.Name)
	}
	return jen.Id(id.Name)
}

// signature converts a function type's parameters and results.
func (c *conv) signature(ft *ast.FuncType) *jen.Statement {
	s := jen.Null()
	if ft.TypeParams != nil && len(ft.TypeParams.List) > 0 {
		s.Types(c.fields(ft.TypeParams, false)...)
	}
	s.Params(c.fields(ft.Params, false)...)
	if ft.Results != nil && len(ft.Results.List) > 0 {
		rs := c.fields(ft.Results, false)
		if len(ft.Results.List) == 1 && len(ft.Results.List[0].Names) == 0 {
			s.Add(rs[0])
		} else {
			s.Params(rs...)
		}
	}
	return s
}

// fields converts a field list: parameters, results, struct fields,
// interface methods and type parameters.
func (c *conv) fields(fl *ast.FieldList, structFields bool) []jen.Code {
	if fl == nil {
		return nil
	}
	var out []jen.Code
	for _, f := range fl.List {
		var item *jen.Statement
		if structFields && f.Doc != nil {
			for _, cm := range f.Doc.List {
				out = append(out, jen.Comment(cm.Text))
			}
		}
		switch {
		case len(f.Names) == 0:
			item = jen.Add(c.expr(f.Type))
		default:
			names := make([]jen.Code, len(f.Names))
			for i, n := range f.Names {
				names[i] = c.ident(n)
			}
			item = jen.List(names...).Add(c.expr(f.Type))
		}
		if f.Tag != nil {
			item.Op(f.Tag.Value)
		}
		if structFields && f.Comment != nil {
			for _, cm := range f.Comment.List {
				item.Comment(cm.Text)
			}
		}
		out = append(out, item)
	}
	return out
}

// ---- statements ----

func (c *conv) block(b *ast.BlockStmt) *jen.Statement {
	return jen.BlockFunc(func(g *jen.Group) {
		saved := c.g.blockEnd
		c.g.blockEnd = b.Rbrace
		defer func() { c.g.blockEnd = saved }()
		for _, s := range b.List {
			if c.commentsBefore(g, s.Pos()) {
				// The comments carried the position: the statement follows them.
				for _, code := range c.stmtCodesAt(s, false) {
					g.Add(code)
				}
				continue
			}
			c.stmtTo(g, s)
		}
		c.commentsBefore(g, token.NoPos)
	})
}

// commentsBefore keeps the comments of the source that stand before pos
// and have not been written yet (a function body's comments, an Example's
// "// Output:"). It reports whether it wrote comments that end on the line
// just before pos, positioned so that the line after them is pos's line: a
// /*line*/ directive of their own would be grouped with them by gofmt and
// put on a line of its own.
func (c *conv) commentsBefore(g *jen.Group, pos token.Pos) bool {
	if c.g.comments == nil {
		return false
	}
	// A block's end: the comments before the closing brace, unpositioned
	// (nothing follows them; an Example's "// Output:" stays a plain comment).
	end := pos == token.NoPos
	var groups []*ast.CommentGroup
	for len(*c.g.comments) > 0 {
		cg := (*c.g.comments)[0]
		if !end && cg.Pos() >= pos || end && cg.Pos() >= c.g.blockEnd {
			break
		}
		*c.g.comments = (*c.g.comments)[1:]
		if cg.Pos() >= c.g.commentsFrom {
			groups = append(groups, cg)
		}
	}
	if len(groups) == 0 {
		return false
	}
	fset := c.g.fset
	adjacent := !end && fset.Position(groups[len(groups)-1].End()).Line+1 == fset.Position(pos).Line
	for gi, cg := range groups {
		for i, cm := range cg.List {
			code := jen.Comment(cm.Text)
			if gi == 0 && i == 0 && adjacent && !c.g.noLines {
				code = c.lineDirective(cm.Pos()).Comment(cm.Text)
			}
			g.Add(code)
		}
	}
	if !adjacent && !end {
		g.Line()
	}
	return adjacent && !c.g.noLines && contiguous(fset, groups)
}

// contiguous reports whether comment groups follow each other without
// blank lines.
func contiguous(fset *token.FileSet, groups []*ast.CommentGroup) bool {
	for i := 1; i < len(groups); i++ {
		if fset.Position(groups[i-1].End()).Line+1 != fset.Position(groups[i].Pos()).Line {
			return false
		}
	}
	for _, g := range groups {
		for i := 1; i < len(g.List); i++ {
			if fset.Position(g.List[i-1].End()).Line+1 != fset.Position(g.List[i].Pos()).Line {
				return false
			}
		}
	}
	return true
}

// stmtTo adds s to a block, positioned at its source line.
func (c *conv) stmtTo(g *jen.Group, s ast.Stmt) {
	for _, code := range c.stmtCodes(s) {
		g.Add(code)
	}
}

// stmtCodes converts s into the lines of a block, each positioned at its
// source line.
func (c *conv) stmtCodes(s ast.Stmt) []jen.Code { return c.stmtCodesAt(s, true) }

// stmtCodesAt converts s, with or without its position.
func (c *conv) stmtCodesAt(s ast.Stmt, positioned bool) []jen.Code {
	if ls, ok := s.(*ast.LabeledStmt); ok {
		return append([]jen.Code{jen.Id(ls.Label.Name).Op(":")}, c.stmtCodesAt(ls.Stmt, positioned)...)
	}
	if _, empty := s.(*ast.EmptyStmt); empty {
		return nil
	}
	code := c.stmt(s)
	if code == nil {
		return nil
	}
	if !positioned {
		return []jen.Code{code}
	}
	return []jen.Code{c.lineDirective(s.Pos()).Add(code)}
}

func (c *conv) stmts(list []ast.Stmt) []jen.Code {
	var out []jen.Code
	for _, s := range list {
		code := c.stmt(s)
		if code != nil {
			out = append(out, code)
		}
	}
	return out
}

// simple converts the statement of an if/for/switch header (no directive).
func (c *conv) simple(s ast.Stmt) jen.Code {
	if s == nil {
		return jen.Null()
	}
	return c.stmt(s)
}

func (c *conv) stmt(s ast.Stmt) jen.Code {
	if c.rw != nil && c.closure == 0 {
		if code := c.rw.stmt(c, s); code != nil {
			return code
		}
	}
	switch s := s.(type) {
	case *ast.DeclStmt:
		return c.genDecl(s.Decl.(*ast.GenDecl), false)
	case *ast.EmptyStmt:
		return jen.Null()
	case *ast.LabeledStmt:
		return jen.Id(s.Label.Name).Op(":").Line().Add(c.stmt(s.Stmt))
	case *ast.ExprStmt:
		return c.expr(s.X)
	case *ast.SendStmt:
		return jen.Add(c.expr(s.Chan)).Op("<-").Add(c.expr(s.Value))
	case *ast.IncDecStmt:
		return jen.Add(c.expr(s.X)).Op(s.Tok.String())
	case *ast.AssignStmt:
		return jen.List(c.exprs(s.Lhs)...).Op(s.Tok.String()).List(c.exprs(s.Rhs)...)
	case *ast.GoStmt:
		return jen.Go().Add(c.expr(s.Call))
	case *ast.DeferStmt:
		return jen.Defer().Add(c.expr(s.Call))
	case *ast.ReturnStmt:
		return jen.Return(c.exprs(s.Results)...)
	case *ast.BranchStmt:
		var st *jen.Statement
		switch s.Tok {
		case token.BREAK:
			st = jen.Break()
		case token.CONTINUE:
			st = jen.Continue()
		case token.GOTO:
			st = jen.Goto()
		case token.FALLTHROUGH:
			return jen.Fallthrough()
		}
		if s.Label != nil {
			st.Id(s.Label.Name)
		}
		return st
	case *ast.BlockStmt:
		return c.block(s)
	case *ast.IfStmt:
		st := jen.If(c.simple(s.Init), c.expr(s.Cond)).Add(c.block(s.Body))
		if s.Else != nil {
			st.Else().Add(c.stmt(s.Else))
		}
		return st
	case *ast.SwitchStmt:
		if s.Init != nil && s.Tag == nil {
			// switch init; { ... }: the semicolon must stay.
			return jen.Switch(c.simple(s.Init), jen.Empty()).Add(c.clauses(s.Body))
		}
		return jen.Switch(c.simple(s.Init), c.optTag(s.Tag)).Add(c.clauses(s.Body))
	case *ast.TypeSwitchStmt:
		return jen.Switch(c.simple(s.Init), c.stmt(s.Assign)).Add(c.clauses(s.Body))
	case *ast.SelectStmt:
		return jen.Select().Add(c.clauses(s.Body))
	case *ast.ForStmt:
		if s.Init == nil && s.Post == nil {
			return jen.For(c.optCond(s.Cond)).Add(c.block(s.Body))
		}
		return jen.For(c.forPart(s.Init), c.optCond(s.Cond), c.forPart(s.Post)).Add(c.block(s.Body))
	case *ast.RangeStmt:
		var head *jen.Statement
		switch {
		case s.Key == nil:
			head = jen.Range().Add(c.expr(s.X))
		case s.Value == nil:
			head = jen.Add(c.expr(s.Key)).Op(s.Tok.String()).Range().Add(c.expr(s.X))
		default:
			head = jen.List(c.expr(s.Key), c.expr(s.Value)).Op(s.Tok.String()).Range().Add(c.expr(s.X))
		}
		return jen.For(head).Add(c.block(s.Body))
	}
	c.g.errorf(s.Pos(), "corogen cannot convert statement %T", s)
	return jen.Null()
}

func (c *conv) optTag(e ast.Expr) jen.Code {
	if e == nil {
		return jen.Null()
	}
	return c.expr(e)
}

func (c *conv) optCond(e ast.Expr) jen.Code {
	if e == nil {
		return jen.Null()
	}
	return c.expr(e)
}

func (c *conv) forPart(s ast.Stmt) jen.Code {
	if s == nil {
		return jen.Empty()
	}
	return c.stmt(s)
}

// clauses converts the body of a switch, type switch or select.
func (c *conv) clauses(b *ast.BlockStmt) *jen.Statement {
	return jen.BlockFunc(func(g *jen.Group) {
		for _, cl := range b.List {
			switch cl := cl.(type) {
			case *ast.CaseClause:
				var head *jen.Statement
				if cl.List == nil {
					head = jen.Default()
				} else {
					head = jen.Case(c.exprs(cl.List)...)
				}
				g.Add(head.BlockFunc(func(g *jen.Group) {
					for _, s := range cl.Body {
						c.stmtTo(g, s)
					}
				}))
			case *ast.CommClause:
				var head *jen.Statement
				if cl.Comm == nil {
					head = jen.Default()
				} else {
					head = jen.Case(c.stmt(cl.Comm))
				}
				g.Add(head.BlockFunc(func(g *jen.Group) {
					for _, s := range cl.Body {
						c.stmtTo(g, s)
					}
				}))
			}
		}
	})
}

// ---- declarations ----

// genDecl converts a const, var, type or import declaration.
func (c *conv) genDecl(d *ast.GenDecl, doc bool) *jen.Statement {
	s := jen.Null()
	if doc {
		s.Add(c.docComments(d.Doc))
	}
	var kw func() *jen.Statement
	switch d.Tok {
	case token.CONST:
		kw = jen.Const
	case token.VAR:
		kw = jen.Var
	case token.TYPE:
		kw = jen.Type
	default:
		return nil
	}
	specs := make([]jen.Code, len(d.Specs))
	for i, sp := range d.Specs {
		specs[i] = c.spec(sp, doc && d.Lparen.IsValid())
	}
	if d.Lparen.IsValid() {
		return s.Add(kw()).Defs(specs...)
	}
	return s.Add(kw()).Add(specs[0])
}

func (c *conv) spec(sp ast.Spec, doc bool) jen.Code {
	s := jen.Null()
	switch sp := sp.(type) {
	case *ast.ValueSpec:
		if doc {
			s.Add(c.docComments(sp.Doc))
		}
		names := make([]jen.Code, len(sp.Names))
		for i, n := range sp.Names {
			names[i] = c.ident(n)
		}
		s.List(names...)
		if sp.Type != nil {
			s.Add(c.expr(sp.Type))
		}
		if len(sp.Values) > 0 {
			s.Op("=").List(c.exprs(sp.Values)...)
		}
		if doc && sp.Comment != nil {
			for _, cm := range sp.Comment.List {
				s.Comment(cm.Text)
			}
		}
	case *ast.TypeSpec:
		if doc {
			s.Add(c.docComments(sp.Doc))
		}
		s.Add(c.ident(sp.Name))
		if sp.TypeParams != nil && len(sp.TypeParams.List) > 0 {
			s.Types(c.fields(sp.TypeParams, false)...)
		}
		if sp.Assign.IsValid() {
			s.Op("=")
		}
		s.Add(c.expr(sp.Type))
	}
	return s
}

// docComments reproduces a doc comment, directives included, line by line.
func (c *conv) docComments(g *ast.CommentGroup) *jen.Statement {
	s := jen.Null()
	if g == nil {
		return s
	}
	for _, cm := range g.List {
		s.Comment(cm.Text).Line()
	}
	return s
}

// funcDecl converts a function or method declaration as it is.
func (c *conv) funcDecl(d *ast.FuncDecl) *jen.Statement {
	s := c.docComments(d.Doc)
	s.Func()
	if d.Recv != nil {
		s.Params(c.fields(d.Recv, false)...)
	}
	s.Id(d.Name.Name).Add(c.signature(d.Type))
	if d.Body != nil {
		s.Add(c.block(d.Body))
	}
	return s
}
