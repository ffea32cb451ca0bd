package transform

import (
	"fmt"
	"go/ast"
	"go/types"
)

// namer hands out identifiers for generated code that collide with no name
// the user's body uses, nor with each other.
type namer struct {
	taken map[string]bool
}

func newNamer() *namer { return &namer{taken: map[string]bool{}} }

// reserve marks names as used.
func (n *namer) reserve(names ...string) {
	for _, s := range names {
		n.taken[s] = true
	}
}

// fresh returns base, or base with a number, whichever is free, and takes it.
func (n *namer) fresh(base string) string {
	name := base
	for i := 2; n.taken[name] || isKeyword(name); i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	n.taken[name] = true
	return name
}

func isKeyword(s string) bool {
	switch s {
	case "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
		"for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range",
		"return", "select", "struct", "switch", "type", "var":
		return true
	}
	return false
}

// bodyNames returns every identifier name used in n, and for each name the
// distinct objects it denotes there.
func bodyNames(info *types.Info, n ast.Node) (map[string]bool, map[string]map[types.Object]bool) {
	names := map[string]bool{}
	objs := map[string]map[types.Object]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		names[id.Name] = true
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		if obj != nil {
			if objs[id.Name] == nil {
				objs[id.Name] = map[types.Object]bool{}
			}
			objs[id.Name][obj] = true
		}
		return true
	})
	return names, objs
}

// reservedFields are the names a machine's own fields must not take: those
// promoted from rt.Frame and rt.Defers, and the machine's methods.
var reservedFields = []string{
	"State", "Complete", "Fail", "Return", "Result", "Err", "Restart", "Frame", "Defers",
	"Push", "Run", "Reset", "Recover", "Poll", "Step", "CoroName", "start",
}
