package asyncfn

import (
	"go/build/constraint"
	"go/parser"
	"go/token"
)

// BuildTagEdit returns the edit that makes src require the corosrc tag:
// replace src[start:end] by text, adding corosrc to an existing //go:build
// line or a new line before everything else. ok is false if src already
// requires it. corogen -fix and the analyzer's suggested fix both use it.
func BuildTagEdit(src []byte) (start, end int, text string, ok bool, err error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return 0, 0, "", false, err
	}
	if HasBuildTag(f) {
		return 0, 0, "", false, nil
	}
	tag := &constraint.TagExpr{Tag: BuildTag}
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
				return 0, 0, "", false, err
			}
			line := "//go:build " + (&constraint.AndExpr{X: tag, Y: old}).String()
			return fset.Position(c.Pos()).Offset, fset.Position(c.End()).Offset, line, true, nil
		}
	}
	return 0, 0, "//go:build " + BuildTag + "\n\n", true, nil
}
