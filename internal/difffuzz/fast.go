package difffuzz

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/corogen/corogen/transform"
)

// transform runs corogen on the program in process. Loading a package with
// go/packages costs more than a second per program, most of it spent in
// the go command, so the program's single file is parsed and type-checked
// here against the export data of its imports, listed once per process,
// and handed to transform.GeneratePackage — what transform.Generate does
// after loading. When that fails, transform.Generate itself runs, so that
// an error reported is always corogen's own.
func (w *Workspace) transform(src string) (files []transform.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			files, err = nil, fmt.Errorf("corogen panicked: %v\n%s", r, debug.Stack())
		}
	}()
	files, err = w.transformFast(src)
	if err == nil {
		return files, nil
	}
	// Maybe the export data are stale (someone edited rt): list them again.
	w.exports = nil
	if files, err2 := w.transformFast(src); err2 == nil {
		return files, nil
	}
	return w.transformSlow()
}

func (w *Workspace) transformSlow() ([]transform.File, error) {
	pkgs, err := transform.Generate(transform.Config{Dir: w.Dir}, ".")
	if err != nil {
		return nil, err
	}
	var files []transform.File
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			var msgs []string
			for _, e := range p.Errors {
				msgs = append(msgs, e.Error())
			}
			return nil, fmt.Errorf("corogen refused the program:\n%s", strings.Join(msgs, "\n"))
		}
		files = append(files, p.Files...)
	}
	return files, nil
}

func (w *Workspace) transformFast(src string) ([]transform.File, error) {
	return w.transformOpts(src, transform.Config{Dir: w.Dir})
}

func (w *Workspace) transformOpts(src string, cfg transform.Config) ([]transform.File, error) {
	if w.exports == nil {
		if err := w.listExports(); err != nil {
			return nil, err
		}
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, w.path(progFile), src, parser.ParseComments|parser.AllErrors)
	if err != nil {
		return nil, err
	}
	imp := w.importer(fset)
	info := &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Instances:    map[*ast.Ident]types.Instance{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		FileVersions: map[*ast.File]string{},
	}
	conf := types.Config{Importer: imp, GoVersion: "go1.26", Error: func(error) {}}
	pkg, err := conf.Check("difffuzzprog", fset, []*ast.File{f}, info)
	if err != nil {
		return nil, err
	}
	files, errs := transform.GeneratePackage(fset, []*ast.File{f}, []*ast.File{f}, pkg, info, cfg)
	if len(errs) > 0 {
		var msgs []string
		for _, e := range errs {
			msgs = append(msgs, e.Error())
		}
		return nil, fmt.Errorf("corogen refused the program:\n%s", strings.Join(msgs, "\n"))
	}
	return files, nil
}

// listExports builds the export data of everything a program imports.
func (w *Workspace) listExports() error {
	dir, err := os.MkdirTemp(w.Dir, "list")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	stub := "package list\n\nimport (\n"
	for _, p := range []string{"errors", "fmt", "os", "sort", "time", "github.com/corogen/corogen/rt"} {
		stub += fmt.Sprintf("\t_ %q\n", p)
	}
	stub += ")\n"
	if err := os.WriteFile(filepath.Join(dir, "list.go"), []byte(stub), 0o644); err != nil {
		return err
	}
	out, err := w.goCmd("list", "-deps", "-export", "-tags", "corosrc", "-f", "{{.ImportPath}}={{.Export}}", "./"+filepath.Base(dir))
	if err != nil {
		return fmt.Errorf("go list: %v\n%s", err, out)
	}
	w.exports = map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok && v != "" {
			w.exports[k] = v
		}
	}
	return nil
}

func (w *Workspace) path(name string) string { return filepath.Join(w.Dir, name) }

func importerFor(fset *token.FileSet, open func(path string) (io.ReadCloser, error)) types.Importer {
	return importer.ForCompiler(fset, "gc", open)
}
