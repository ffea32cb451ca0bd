package cli

import (
	"bytes"
	"fmt"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io"
	"os"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/corogen/corogen/internal/asyncfn"
)

// addBuildTag returns src with corosrc added to its //go:build line (or a
// new line), or ok=false if it already requires corosrc.
func addBuildTag(src []byte) (out []byte, ok bool, err error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return nil, false, err
	}
	if asyncfn.HasBuildTag(f) {
		return src, false, nil
	}
	tag := &constraint.TagExpr{Tag: asyncfn.BuildTag}
	for _, g := range f.Comments {
		if g.Pos() >= f.Package {
			break
		}
		for _, c := range g.List {
			if !constraint.IsGoBuild(c.Text) {
				continue
			}
			old, err := constraint.Parse(c.Text)
			if err != nil {
				return nil, false, err
			}
			line := "//go:build " + (&constraint.AndExpr{X: tag, Y: old}).String()
			start := fset.Position(c.Pos()).Offset
			end := fset.Position(c.End()).Offset
			return append(append(append([]byte{}, src[:start]...), line...), src[end:]...), true, nil
		}
	}
	return append([]byte("//go:build "+asyncfn.BuildTag+"\n\n"), src...), true, nil
}

// fixTags applies addBuildTag to every file of the packages that has the
// async directive.
func fixTags(tags []string, patterns []string, stdout, stderr io.Writer, verbose bool) int {
	lc := &packages.Config{Mode: packages.NeedName | packages.NeedFiles, Tests: true,
		BuildFlags: []string{"-tags=" + strings.Join(append([]string{asyncfn.BuildTag}, tags...), ",")}}
	pkgs, err := packages.Load(lc, patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "corogen: %v\n", err)
		return ExitError
	}
	seen := map[string]bool{}
	status := ExitOK
	for _, p := range pkgs {
		for _, path := range p.GoFiles {
			if seen[path] || strings.HasSuffix(path, "_coro.go") || strings.HasSuffix(path, "_coro_test.go") {
				continue
			}
			seen[path] = true
			src, err := os.ReadFile(path)
			if err != nil || !bytes.Contains(src, []byte("\n"+asyncfn.Directive)) {
				continue
			}
			out, changed, err := addBuildTag(src)
			if err != nil {
				fmt.Fprintf(stderr, "corogen: -fix %s: %v\n", rel(path), err)
				status = ExitError
				continue
			}
			if !changed {
				continue
			}
			if err := writeAtomic(path, out); err != nil {
				fmt.Fprintf(stderr, "corogen: -fix: %v\n", err)
				status = ExitError
				continue
			}
			if verbose {
				fmt.Fprintf(stdout, "%s: added //go:build %s\n", rel(path), asyncfn.BuildTag)
			}
		}
	}
	return status
}
