package transform

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"github.com/corogen/corogen/internal/asyncfn"
)

// gen is the generation of one package.
type gen struct {
	fset    *token.FileSet
	pkg     *types.Package
	info    *types.Info
	noLines bool
	errs    []Error

	funcs    map[*types.Func]*asyncfn.Func // the package's async functions
	machines map[*types.Func]*machineName  // their machine types
	taken    map[string]bool               // package-level names in use
	edges    map[*types.Func][]*types.Func // direct awaits between async functions
}

// Error is a positioned error: input corogen cannot transform.
type Error struct {
	Pos token.Position
	Msg string
}

func (e Error) Error() string { return fmt.Sprintf("%v: %s", e.Pos, e.Msg) }

func (g *gen) errorf(pos token.Pos, format string, args ...any) {
	e := Error{Pos: g.fset.Position(pos), Msg: fmt.Sprintf(format, args...)}
	for _, old := range g.errs {
		if old.Msg == e.Msg && old.Pos.Filename == e.Pos.Filename && old.Pos.Line == e.Pos.Line {
			return // one report per line is enough
		}
	}
	g.errs = append(g.errs, e)
}

// sortErrors orders errors by position and drops duplicates.
func sortErrors(errs []Error) []Error {
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i].Pos, errs[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	out := errs[:0]
	for i, e := range errs {
		if i > 0 && e == errs[i-1] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// machineName is the name of an async function's machine type.
type machineName struct {
	typ  string // e.g. fetchDataMachine
	name string // the coroutine's printed name, e.g. fetch.FetchData
}

// freshGlobal returns a package-level name based on base that nothing in
// the package uses yet.
func (g *gen) freshGlobal(base string) string {
	name := base
	for i := 2; g.taken[name] || g.pkg.Scope().Lookup(name) != nil; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	g.taken[name] = true
	return name
}

// objOf returns the object an identifier defines or uses.
func (g *gen) objOf(id *ast.Ident) types.Object {
	if o := g.info.Defs[id]; o != nil {
		return o
	}
	return g.info.Uses[id]
}
