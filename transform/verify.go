package transform

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"runtime"
	"strings"
	"sync"
)

// verify type-checks the package with every async source replaced by the
// file generated from it. The other files are those of the corosrc build
// (a file only in the default build is not seen), which is what generated
// code was derived against.
// A transform bug then surfaces here, as positioned errors and with nothing
// written, instead of as a build error in a generated file. The check uses
// the packages the source was type-checked against, so it needs no loading.
//
// sources are the package's files that hold async functions; generated holds
// the files generated from all of them (not only the ones to be written).
func verify(fset *token.FileSet, all []*ast.File, sources map[*ast.File]bool, generated []File, pkg *types.Package) []Error {
	var files []*ast.File
	for _, f := range all {
		if sources[f] {
			continue
		}
		for _, is := range f.Imports {
			if is.Path.Value == `"C"` {
				return nil // cgo files type-check only after cgo has rewritten them
			}
		}
		files = append(files, f)
	}
	var errs []Error
	for _, gf := range generated {
		f, err := parser.ParseFile(fset, gf.Path, gf.Content, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return []Error{internalError(gf, err)}
		}
		files = append(files, f)
	}
	conf := types.Config{
		Importer:  importerOf(pkg),
		GoVersion: pkg.GoVersion(),
		Sizes:     types.SizesFor("gc", runtime.GOARCH),
		// Every error, soft ones included: the compiler rejects an unused
		// variable or import as go/types' soft errors describe them.
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				errs = append(errs, Error{Pos: fset.Position(te.Pos), Msg: bugMessage(te.Msg)})
			}
		},
	}
	// A new package with the original's path: the original stays as the
	// loader made it, for the other variants generated from it.
	conf.Check(pkg.Path(), fset, files, nil) //nolint:errcheck // errors are collected by conf.Error
	return errs
}

// importerOf imports from the packages pkg was type-checked against,
// directly or not, so that generated code shares their types with the
// source. A package only reached through another's export data is
// incomplete: it holds the objects that export data names, which covers
// every type the source (and so generated code) can name from it; it is
// wrapped in a complete package with the same objects. The transform's own
// import, unicode/utf8 for a range over a string, comes from the standard
// library unless the source imports it.
func importerOf(pkg *types.Package) types.Importer {
	byPath := map[string]*types.Package{}
	var walk func(p *types.Package)
	walk = func(p *types.Package) {
		for _, q := range p.Imports() {
			if byPath[q.Path()] == nil {
				byPath[q.Path()] = q
				walk(q)
			}
		}
	}
	walk(pkg)
	return importerFunc(func(path string) (*types.Package, error) {
		p := byPath[path]
		switch {
		case path == "unsafe":
			return types.Unsafe, nil
		case p != nil && p.Complete():
			return p, nil
		case p != nil && path != utf8Path:
			c := types.NewPackage(p.Path(), p.Name())
			for _, name := range p.Scope().Names() {
				c.Scope().Insert(p.Scope().Lookup(name))
			}
			c.MarkComplete()
			byPath[path] = c
			return c, nil
		}
		p, err := importStd(path)
		if err != nil {
			return nil, fmt.Errorf("package %q is not among the source's dependencies: %v", path, err)
		}
		return p, nil
	})
}

// std imports from the standard library's export data; one importer serves
// the process, since finding the export data runs the go command.
var std struct {
	sync.Mutex
	imp types.Importer
}

func importStd(path string) (*types.Package, error) {
	std.Lock()
	defer std.Unlock()
	if std.imp == nil {
		std.imp = importer.Default()
	}
	return std.imp.Import(path)
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func bugMessage(msg string) string {
	return "corogen generated code that does not compile (" + msg + "); this is a corogen bug: please report it with this function's source. Nothing was written for this package"
}

func internalError(f File, err error) Error {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return Error{Pos: token.Position{Filename: f.Source}, Msg: bugMessage(msg)}
}
