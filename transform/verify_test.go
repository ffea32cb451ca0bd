package transform

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// Generated code that does not type-check is reported at the source line it
// came from (through its //line directives), as a corogen bug, and no file
// is returned for the package.
func TestVerifyCatchesBrokenOutput(t *testing.T) {
	emitHook = func(b []byte) []byte {
		// A transform bug in miniature: a string stored into State.
		return bytes.Replace(b, []byte("m.State = 1\n"), []byte("m.State = \"one\"\n"), 1)
	}
	defer func() { emitHook = nil }()
	pkgs, err := Generate(Config{Dir: "testdata/golden/fetch"}, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 || len(pkgs[0].Files) != 0 || len(pkgs[0].Errors) == 0 {
		t.Fatalf("want errors and no files, got %+v", pkgs)
	}
	for _, e := range pkgs[0].Errors {
		if strings.HasSuffix(e.Pos.Filename, "_coro.go") || e.Pos.Line == 0 || !strings.Contains(e.Msg, "corogen bug") || !strings.Contains(e.Msg, `"one"`) {
			t.Errorf("error %v: want a position in the source and a message naming the bug", e)
		}
	}
}

// A value kept across an await whose type comes from a package the source
// does not import gets a field of that type: the check imports the package
// the source's dependencies saw (io/fs here, incomplete in os's export
// data), so the field and os.Stat's result have the same type.
func TestVerifyTypesFromIndirectImports(t *testing.T) {
	pkgs, err := Generate(Config{Dir: "testdata/verify/indirect"}, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 || len(pkgs[0].Errors) != 0 || len(pkgs[0].Files) != 1 {
		t.Fatalf("want one file and no errors, got %+v", pkgs)
	}
	if f := pkgs[0].Files[0]; filepath.Base(f.Path) != "indirect_coro.go" || !bytes.Contains(f.Content, []byte(`"io/fs"`)) {
		t.Fatalf("%s does not import io/fs:\n%s", f.Path, f.Content)
	}
}
