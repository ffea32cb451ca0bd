// Package asyncfn finds the async functions of a package (//coro:async) and
// decides, from their syntax and types, whether they can be transformed: a
// malformed declaration, a missing build tag, an await the lowering cannot
// honour. It is the first half of corogen's one validation path; the second
// is the transform's own lowering (transform.GeneratePackage), which also
// refuses what it cannot express in generated code (a type it cannot name,
// for instance). corogen runs both; the coroasync analyzer runs both too, so
// the two never disagree.
package asyncfn

import (
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// RTPath is the import path of the runtime.
const RTPath = "github.com/corogen/corogen/rt"

// Directive marks an async function.
const Directive = "//coro:async"

// BuildTag is the build tag of files that hold async functions.
const BuildTag = "corosrc"

// Kind is the body form of an async function.
type Kind int

const (
	Async    Kind = iota // rt.Async(func() T {...})
	AsyncErr             // rt.AsyncErr(func() (T, error) {...})
	Do                   // rt.Do(func() {...})
	DoErr                // rt.DoErr(func() error {...})
)

var kindNames = [...]string{"Async", "AsyncErr", "Do", "DoErr"}

func (k Kind) String() string { return kindNames[k] }

// HasErr reports whether the body returns an error.
func (k Kind) HasErr() bool { return k == AsyncErr || k == DoErr }

// HasValue reports whether the body returns a value.
func (k Kind) HasValue() bool { return k == Async || k == AsyncErr }

// KindOf returns the body form named by an rt function, if it is one.
func KindOf(name string) (Kind, bool) {
	for i, n := range kindNames {
		if n == name {
			return Kind(i), true
		}
	}
	return 0, false
}

// Func is a well-formed async function.
type Func struct {
	Decl   *ast.FuncDecl
	Obj    *types.Func
	File   *ast.File
	Kind   Kind
	Call   *ast.CallExpr // rt.Async(...) and friends
	Lit    *ast.FuncLit  // the body literal
	Result types.Type    // T of rt.Coro[T]
}

// Diagnostic is a positioned finding. Category is the stable name of the
// check; Message says what is wrong and what to write instead.
type Diagnostic struct {
	Pos, End token.Pos
	Category string
	Message  string
}

// Categories of the checks made here.
const (
	CatMalformed   = "malformed"   // directive or body not of an accepted shape
	CatBuildTag    = "buildtag"    // file lacks //go:build corosrc
	CatUnsupported = "unsupported" // an await where the transform cannot honour it
)

func diag(n ast.Node, cat, format string, args ...any) Diagnostic {
	return Diagnostic{Pos: n.Pos(), End: n.End(), Category: cat, Message: fmt.Sprintf(format, args...)}
}

// IsDirective reports whether a comment is the async directive.
func IsDirective(c *ast.Comment) bool { return strings.TrimSpace(c.Text) == Directive }

// looksLikeDirective catches near misses such as "// coro:async".
func looksLikeDirective(c *ast.Comment) bool {
	t := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
	return !IsDirective(c) && strings.HasPrefix(t, "coro:async")
}

func hasDirective(g *ast.CommentGroup) (*ast.Comment, bool) {
	if g == nil {
		return nil, false
	}
	for _, c := range g.List {
		if IsDirective(c) {
			return c, true
		}
	}
	return nil, false
}

// Find returns the package's well-formed async functions, in source order,
// and a diagnostic for every malformed one, for a misplaced or misspelled
// directive, and for a file with async functions but no corosrc build tag.
func Find(fset *token.FileSet, files []*ast.File, info *types.Info) ([]*Func, []Diagnostic) {
	var funcs []*Func
	var diags []Diagnostic
	for _, f := range files {
		if IsGenerated(f) {
			continue // corogen's output: its constructors keep the directive
		}
		async := false
		for _, g := range f.Comments {
			for _, c := range g.List {
				if looksLikeDirective(c) {
					diags = append(diags, diag(c, CatMalformed, "malformed directive %q: write %s with no space after //", c.Text, Directive))
				}
			}
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				if c, ok := hasDirective(d.Doc); ok {
					diags = append(diags, diag(c, CatMalformed, "%s marks a %s declaration; it belongs on a function whose body is return rt.Async(func() T {...})", Directive, d.Tok))
				}
				for _, s := range d.Specs {
					var doc *ast.CommentGroup
					switch s := s.(type) {
					case *ast.TypeSpec:
						doc = s.Doc
					case *ast.ValueSpec:
						doc = s.Doc
					}
					if c, ok := hasDirective(doc); ok {
						diags = append(diags, diag(c, CatMalformed, "%s marks a %s declaration; it belongs on a function whose body is return rt.Async(func() T {...})", Directive, d.Tok))
					}
				}
			case *ast.FuncDecl:
				if _, ok := hasDirective(d.Doc); !ok {
					continue
				}
				async = true
				fn, ds := check(f, d, info)
				diags = append(diags, ds...)
				if fn != nil {
					funcs = append(funcs, fn)
				}
			}
		}
		if async && !HasBuildTag(f) {
			diags = append(diags, Diagnostic{Pos: f.Package, End: f.Name.End(), Category: CatBuildTag,
				Message: fmt.Sprintf("file with async functions lacks the build constraint: add the line //go:build %s before the package clause (corogen -fix adds it)", BuildTag)})
		}
	}
	return funcs, diags
}

// GeneratedHeader is the first line of every file corogen writes.
const GeneratedHeader = "// Code generated by corogen. DO NOT EDIT."

// IsGenerated reports whether f was written by corogen.
func IsGenerated(f *ast.File) bool {
	return len(f.Comments) > 0 && f.Comments[0].Pos() < f.Package && len(f.Comments[0].List) > 0 && f.Comments[0].List[0].Text == GeneratedHeader
}

// HasBuildTag reports whether the file's //go:build line requires corosrc.
func HasBuildTag(f *ast.File) bool {
	expr := BuildConstraint(f)
	if expr == nil {
		return false
	}
	// Required means: false whenever corosrc is false, whatever the other tags.
	return !expr.Eval(func(tag string) bool { return tag != BuildTag })
}

// BuildConstraint returns the file's //go:build expression, or nil.
func BuildConstraint(f *ast.File) constraint.Expr {
	for _, g := range f.Comments {
		if g.Pos() >= f.Package {
			break
		}
		for _, c := range g.List {
			if constraint.IsGoBuild(c.Text) {
				if e, err := constraint.Parse(c.Text); err == nil {
					return e
				}
			}
		}
	}
	return nil
}

// RTFunc returns the name of the rt function a call calls (Await, Async,
// ...), or "" if it calls something else.
func RTFunc(info *types.Info, call *ast.CallExpr) string {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != RTPath {
		return ""
	}
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
		return ""
	}
	return fn.Name()
}

// IsAwait reports whether call is rt.Await or rt.Try.
func IsAwait(info *types.Info, call *ast.CallExpr) bool {
	n := RTFunc(info, call)
	return n == "Await" || n == "Try"
}

// BodyLit returns the function literal of an inline coroutine
// (rt.Async(func...) and friends), or nil.
func BodyLit(info *types.Info, call *ast.CallExpr) (*ast.FuncLit, Kind) {
	k, ok := KindOf(RTFunc(info, call))
	if !ok || len(call.Args) != 1 {
		return nil, 0
	}
	lit, _ := ast.Unparen(call.Args[0]).(*ast.FuncLit)
	return lit, k
}

// CoroArg returns T if t is rt.Coro[T].
func CoroArg(t types.Type) (types.Type, bool) {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != RTPath || n.Obj().Name() != "Coro" {
		return nil, false
	}
	return n.TypeArgs().At(0), true
}

const shape = "the body of an async function must be a single statement: return rt.Async(func() T {...}), rt.AsyncErr(func() (T, error) {...}), rt.Do(func() {...}) or rt.DoErr(func() error {...})"

func check(f *ast.File, d *ast.FuncDecl, info *types.Info) (*Func, []Diagnostic) {
	bad := func(n ast.Node, format string, args ...any) (*Func, []Diagnostic) {
		return nil, []Diagnostic{diag(n, CatMalformed, format, args...)}
	}
	obj, _ := info.Defs[d.Name].(*types.Func)
	if obj == nil {
		return nil, nil // type errors are reported by the type checker
	}
	sig := obj.Type().(*types.Signature)
	res, ok := types.Type(nil), false
	if sig.Results().Len() == 1 {
		res, ok = CoroArg(sig.Results().At(0).Type())
	}
	if !ok {
		return bad(d.Type, "async function %s must return rt.Coro[T] (rt.Coro[rt.Void] for rt.Do and rt.DoErr)", d.Name.Name)
	}
	if d.Body == nil {
		return bad(d, "async function %s has no body; %s", d.Name.Name, shape)
	}
	if len(d.Body.List) != 1 {
		at := ast.Node(d.Body)
		for _, st := range d.Body.List {
			if _, isRet := st.(*ast.ReturnStmt); !isRet {
				at = st
				break
			}
		}
		return bad(at, "%s", shape)
	}
	ret, ok := d.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return bad(d.Body.List[0], "%s", shape)
	}
	call, ok := ast.Unparen(ret.Results[0]).(*ast.CallExpr)
	if !ok {
		return bad(ret.Results[0], "%s", shape)
	}
	lit, kind := BodyLit(info, call)
	if lit == nil {
		return bad(ret.Results[0], "%s", shape)
	}
	litSig, _ := info.TypeOf(lit).(*types.Signature)
	if litSig == nil {
		return nil, nil
	}
	var want types.Type
	switch kind {
	case Async:
		if litSig.Results().Len() == 1 {
			want = litSig.Results().At(0).Type()
		}
	case AsyncErr:
		if litSig.Results().Len() == 2 {
			want = litSig.Results().At(0).Type()
		}
	case Do, DoErr:
		want = types.NewStruct(nil, nil)
	}
	if want == nil || !types.Identical(want, res) {
		return bad(d.Type, "async function %s returns rt.Coro[%s] but its rt.%s body yields %s; make them agree", d.Name.Name, types.TypeString(res, nil), kind, typeString(want))
	}
	return &Func{Decl: d, Obj: obj, File: f, Kind: kind, Call: call, Lit: lit, Result: res}, nil
}

func typeString(t types.Type) string {
	if t == nil {
		return "no single value"
	}
	return types.TypeString(t, nil)
}
