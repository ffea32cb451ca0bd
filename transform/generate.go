package transform

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/format"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"
	"golang.org/x/tools/go/packages"

	"github.com/corogen/corogen/internal/asyncfn"
)

// Header is the first line of every generated file (without its "// ").
const Header = asyncfn.GeneratedHeader[len("// "):]

// Config says what to load.
type Config struct {
	Dir     string   // where to run the build system; "" is the current directory
	Tags    []string // build tags besides corosrc
	NoLines bool     // omit //line directives (for golden tests that want short output)
	Tests   bool     // include _test.go files
}

// File is a generated file.
type File struct {
	Path    string // the generated file: <name>_coro.go next to its source
	Source  string // the source file it was generated from
	Content []byte
}

// Package is the result for one package: its generated files, or the errors
// that kept corogen from generating any of them.
type Package struct {
	Path   string // import path
	Dir    string
	Files  []File
	Errors []Error
}

// Generate loads the packages matching patterns with -tags corosrc and
// generates a file for every source file that holds async functions. A
// package with any error gets no files.
func Generate(cfg Config, patterns ...string) ([]Package, error) {
	tags := append([]string{asyncfn.BuildTag}, cfg.Tags...)
	lc := &packages.Config{
		Mode:       packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports,
		Dir:        cfg.Dir,
		BuildFlags: []string{"-tags=" + strings.Join(tags, ",")},
		Tests:      cfg.Tests,
	}
	// First list the packages and read their files: only those whose files
	// hold the directive are type-checked, which is what costs.
	list, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedFiles, Dir: cfg.Dir, BuildFlags: lc.BuildFlags, Tests: cfg.Tests}, patterns...)
	if err != nil {
		return nil, err
	}
	var async []string
	var out []Package
	seen := map[string]bool{}
	for _, p := range list {
		path := strings.TrimSuffix(p.PkgPath, "_test") // an external test package loads with its package
		if seen[path] || strings.HasSuffix(p.ID, ".test") {
			continue
		}
		seen[path] = true
		if hasDirective(p.GoFiles) || len(p.Errors) > 0 && len(p.GoFiles) == 0 {
			async = append(async, path)
		} else {
			// Nothing to generate; the caller may still find stale files there.
			out = append(out, Package{Path: p.PkgPath, Dir: pkgDir(p)})
		}
	}
	if len(async) == 0 {
		return out, nil
	}
	pkgs, err := packages.Load(lc, async...)
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	for _, p := range pkgs {
		if strings.HasSuffix(p.ID, ".test") {
			continue // the generated test main
		}
		testVariant := strings.Contains(p.ID, " [")
		if done[p.ID] {
			continue
		}
		done[p.ID] = true
		res := Package{Path: p.PkgPath, Dir: pkgDir(p)}
		for _, e := range p.Errors {
			// The go command's build output repeats the type errors that
			// follow with positions.
			if e.Kind == packages.ListError && strings.HasPrefix(e.Msg, "# ") && len(p.Errors) > 1 {
				continue
			}
			res.Errors = append(res.Errors, loadError(e))
		}
		if len(res.Errors) == 0 && p.Types != nil {
			files := p.Syntax
			if testVariant || strings.HasSuffix(p.PkgPath, "_test") {
				files = onlyTests(p.Fset, files)
			} else {
				files = withoutTests(p.Fset, files)
			}
			res.Files, res.Errors = GeneratePackage(p.Fset, p.Syntax, files, p.Types, p.TypesInfo, cfg)
		}
		if len(res.Files) == 0 && len(res.Errors) == 0 && testVariant {
			continue
		}
		out = append(out, res)
	}
	return out, nil
}

func pkgDir(p *packages.Package) string {
	for _, files := range [][]string{p.GoFiles, p.CompiledGoFiles, p.OtherFiles, p.IgnoredFiles} {
		if len(files) > 0 {
			return filepath.Dir(files[0])
		}
	}
	return ""
}

var directiveLine = regexp.MustCompile(`(?m)^\s*` + asyncfn.Directive + `\s*$`)

// hasDirective reports whether any of the files has a line holding the
// async directive.
func hasDirective(files []string) bool {
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err == nil && directiveLine.Match(b) {
			return true
		}
	}
	return false
}

func loadError(e packages.Error) Error {
	var pos token.Position
	if e.Pos != "" && e.Pos != "-" {
		parts := strings.Split(e.Pos, ":")
		pos.Filename = parts[0]
		if len(parts) > 1 {
			fmt.Sscan(parts[1], &pos.Line)
		}
		if len(parts) > 2 {
			fmt.Sscan(parts[2], &pos.Column)
		}
	}
	return Error{Pos: pos, Msg: e.Msg}
}

func isTestFile(fset *token.FileSet, f *ast.File) bool {
	return strings.HasSuffix(fset.Position(f.Package).Filename, "_test.go")
}

func onlyTests(fset *token.FileSet, files []*ast.File) []*ast.File {
	var out []*ast.File
	for _, f := range files {
		if isTestFile(fset, f) {
			out = append(out, f)
		}
	}
	return out
}

func withoutTests(fset *token.FileSet, files []*ast.File) []*ast.File {
	var out []*ast.File
	for _, f := range files {
		if !isTestFile(fset, f) {
			out = append(out, f)
		}
	}
	return out
}

// GeneratePackage transforms a type-checked package. all is every file of
// the package; files are those to generate for (the package's own, or only
// its tests). It returns the generated files, or every error that prevents
// generating them, and then no file at all.
func GeneratePackage(fset *token.FileSet, all, files []*ast.File, pkg *types.Package, info *types.Info, cfg Config) ([]File, []Error) {
	g := &gen{fset: fset, pkg: pkg, info: info, noLines: cfg.NoLines,
		funcs: map[*types.Func]*asyncfn.Func{}, machines: map[*types.Func]*machineName{}, taken: map[string]bool{}}
	allFuncs, diags := asyncfn.Find(fset, all, info)
	bad := map[*asyncfn.Func]bool{}
	for _, fn := range allFuncs {
		g.funcs[fn.Obj] = fn
		if ds := asyncfn.Check(fn, info); len(ds) > 0 {
			diags = append(diags, ds...)
			bad[fn] = true // reported; not lowered
		}
	}
	inFiles := map[*ast.File]bool{}
	for _, f := range files {
		inFiles[f] = true
	}
	for _, d := range diags {
		if inFiles[fileOf(all, d.Pos)] {
			g.errorf(d.Pos, "%s", d.Message)
		}
	}
	// Name every machine first: bodies in one file await functions of another.
	for _, fn := range allFuncs {
		g.machines[fn.Obj] = g.machineName(fn)
	}
	g.buildEdges(allFuncs)
	var out []File
	for _, f := range files {
		var fns []*asyncfn.Func
		for _, fn := range allFuncs {
			if fn.File == f && !bad[fn] {
				fns = append(fns, fn)
			}
		}
		if len(fns) == 0 {
			continue
		}
		content := g.file(f, fns)
		src := fset.Position(f.Package).Filename
		out = append(out, File{Path: GeneratedName(src), Source: src, Content: content})
	}
	if len(g.errs) > 0 {
		return nil, sortErrors(g.errs)
	}
	return out, nil
}

func fileOf(files []*ast.File, pos token.Pos) *ast.File {
	for _, f := range files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// GeneratedName is the generated file's path for a source file:
// x.go → x_coro.go, x_test.go → x_coro_test.go.
func GeneratedName(src string) string {
	if base, ok := strings.CutSuffix(src, "_test.go"); ok {
		return base + "_coro_test.go"
	}
	return strings.TrimSuffix(src, ".go") + "_coro.go"
}

func (g *gen) machineName(fn *asyncfn.Func) *machineName {
	d := fn.Decl
	base := d.Name.Name
	printed := g.pkg.Name() + "." + base
	if d.Recv != nil && len(d.Recv.List) == 1 {
		rt := d.Recv.List[0].Type
		ptr := false
		if s, ok := rt.(*ast.StarExpr); ok {
			ptr, rt = true, s.X
		}
		switch x := rt.(type) {
		case *ast.IndexExpr:
			rt = x.X
		case *ast.IndexListExpr:
			rt = x.X
		}
		if id, ok := rt.(*ast.Ident); ok {
			base = id.Name + upperFirst(base)
			if ptr {
				printed = g.pkg.Name() + ".(*" + id.Name + ")." + d.Name.Name
			} else {
				printed = g.pkg.Name() + "." + id.Name + "." + d.Name.Name
			}
		}
	}
	return &machineName{typ: g.freshGlobal(lowerFirst(base) + "Machine"), name: printed}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// buildEdges records which async functions await which directly (so embed
// each other's machines), to find the recursive ones.
func (g *gen) buildEdges(fns []*asyncfn.Func) {
	g.edges = map[*types.Func][]*types.Func{}
	for _, fn := range fns {
		ast.Inspect(fn.Lit.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // inline coroutines are allocated, not embedded
			case *ast.CallExpr:
				if !asyncfn.IsAwait(g.info, n) || len(n.Args) != 1 {
					return true
				}
				if callee := g.directCallee(n.Args[0]); callee != nil {
					g.edges[fn.Obj] = append(g.edges[fn.Obj], callee)
				}
			}
			return true
		})
	}
}

// directCallee returns the same-package async function e calls, if any.
func (g *gen) directCallee(e ast.Expr) *types.Func {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return nil
	}
	var id *ast.Ident
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.IndexExpr:
		id, _ = f.X.(*ast.Ident)
	case *ast.IndexListExpr:
		id, _ = f.X.(*ast.Ident)
	case *ast.SelectorExpr:
		id = f.Sel
	}
	if id == nil {
		return nil
	}
	obj, ok := g.objOf(id).(*types.Func)
	if !ok || g.funcs[obj.Origin()] == nil {
		return nil
	}
	return obj.Origin()
}

// recursive reports whether callee's machine can (indirectly) embed
// caller's, so that embedding it by value would make an infinite struct.
func (g *gen) recursive(caller, callee *types.Func) bool {
	seen := map[*types.Func]bool{}
	var reach func(f *types.Func) bool
	reach = func(f *types.Func) bool {
		if f == caller {
			return true
		}
		if seen[f] {
			return false
		}
		seen[f] = true
		for _, n := range g.edges[f] {
			if reach(n) {
				return true
			}
		}
		return false
	}
	return reach(callee)
}

// file renders the generated file for a source file.
func (g *gen) file(f *ast.File, fns []*asyncfn.Func) []byte {
	jf := jen.NewFilePathName(g.pkg.Path(), g.pkg.Name())
	jf.HeaderComment(Header)
	jf.HeaderComment("")
	jf.HeaderComment("//go:build " + negateTag(asyncfn.BuildConstraint(f)).String())
	var importNames []string
	for _, is := range f.Imports {
		path := strings.Trim(is.Path.Value, `"`)
		pn, _ := g.info.Defs[is.Name].(*types.PkgName)
		if pn == nil {
			pn, _ = g.info.Implicits[is].(*types.PkgName)
		}
		switch {
		case path == "C":
			g.errorf(is.Pos(), "cgo files cannot hold async functions: move them to a file without import \"C\"")
		case is.Name != nil && is.Name.Name == "_":
			jf.Anon(path)
		case is.Name != nil && is.Name.Name == ".":
			if pn != nil {
				jf.ImportName(path, pn.Imported().Name())
				importNames = append(importNames, pn.Imported().Name())
			}
		case is.Name != nil:
			jf.ImportAlias(path, is.Name.Name)
			importNames = append(importNames, is.Name.Name)
		case pn != nil:
			jf.ImportName(path, pn.Imported().Name())
			importNames = append(importNames, pn.Imported().Name())
		}
	}
	if f.Doc != nil {
		for _, c := range f.Doc.List {
			jf.PackageComment(c.Text)
		}
	}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//go:generate ") {
				jf.Comment(c.Text)
				jf.Line()
			}
		}
	}
	async := map[*ast.FuncDecl]*asyncfn.Func{}
	for _, fn := range fns {
		async[fn.Decl] = fn
	}
	c := &conv{g: g}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok == token.IMPORT {
				continue
			}
			jf.Comment(resetMark)
			jf.Line()
			jf.Add(c.genDecl(d, true))
			jf.Line()
		case *ast.FuncDecl:
			if fn := async[d]; fn != nil {
				l := g.lowerFunc(fn)
				g.emitMachine(jf, l, d, importNames)
				continue
			}
			jf.Comment(resetMark)
			jf.Line()
			jf.Add(c.funcDecl(d))
			jf.Line()
		}
	}
	var buf bytes.Buffer
	if err := jf.Render(&buf); err != nil {
		g.errorf(f.Package, "corogen generated invalid Go for this file (a bug in corogen; please report it): %v", err)
		return nil
	}
	name := filepath.Base(GeneratedName(g.fset.Position(f.Package).Filename))
	out, err := format.Source(fixLines(buf.Bytes(), name))
	if err != nil {
		g.errorf(f.Package, "corogen generated invalid Go for this file (a bug in corogen; please report it): %v", err)
		return nil
	}
	return out
}

// negateTag turns the source file's build constraint into the generated
// file's: the same expression with corosrc negated.
func negateTag(e constraint.Expr) constraint.Expr {
	switch x := e.(type) {
	case nil:
		return &constraint.NotExpr{X: &constraint.TagExpr{Tag: asyncfn.BuildTag}}
	case *constraint.TagExpr:
		if x.Tag == asyncfn.BuildTag {
			return &constraint.NotExpr{X: x}
		}
		return x
	case *constraint.NotExpr:
		if t, ok := x.X.(*constraint.TagExpr); ok && t.Tag == asyncfn.BuildTag {
			return t
		}
		return &constraint.NotExpr{X: negateTag(x.X)}
	case *constraint.AndExpr:
		return &constraint.AndExpr{X: negateTag(x.X), Y: negateTag(x.Y)}
	case *constraint.OrExpr:
		return &constraint.OrExpr{X: negateTag(x.X), Y: negateTag(x.Y)}
	}
	return e
}

var _ = sort.Strings
