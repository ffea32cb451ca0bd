package transform

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// Generated code that does not compile is reported as a corogen bug, at the
// source line it came from (through its //line directives) or in the
// generated file for corogen's own code, and no file is returned for the
// package: a type error in a user statement, and an unused variable in a
// start method (a soft error for go/types, an error for the compiler).
func TestVerifyCatchesBrokenOutput(t *testing.T) {
	defer func() { emitHook = nil }()
	for _, tc := range []struct {
		line, bug, want string
		inSource        bool
	}{
		{"m.State = 1\n", "m.State = \"one\"\n", `"one"`, true},
		{"m.Restart()\n", "m.Restart()\nunusedX := 0\n", "declared and not used: unusedX", false},
	} {
		emitHook = func(b []byte) []byte {
			return bytes.Replace(b, []byte(tc.line), []byte(tc.bug), 1)
		}
		pkgs, err := Generate(Config{Dir: "testdata/golden/fetch"}, ".")
		if err != nil {
			t.Fatal(err)
		}
		if len(pkgs) != 1 || len(pkgs[0].Files) != 0 || len(pkgs[0].Errors) == 0 {
			t.Fatalf("%s: want errors and no files, got %+v", tc.want, pkgs)
		}
		for _, e := range pkgs[0].Errors {
			if strings.HasSuffix(e.Pos.Filename, "_coro.go") == tc.inSource || e.Pos.Line == 0 || !strings.Contains(e.Msg, "corogen bug") || !strings.Contains(e.Msg, tc.want) {
				t.Errorf("error %v: want a position (in the source: %v) and a message naming %s", e, tc.inSource, tc.want)
			}
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

// A package's error is reported once, by the variant that owns the file:
// the test variant, which generates the package's files too in order to
// check its own, does not add a corogen bug for a file it could not
// generate.
func TestVerifySkipsWhatAnotherVariantRefuses(t *testing.T) {
	pkgs, err := Generate(Config{Dir: "testdata/verify/withtests", Tests: true}, ".")
	if err != nil {
		t.Fatal(err)
	}
	var errs []Error
	for _, p := range pkgs {
		errs = append(errs, p.Errors...)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "type other.secret is not exported") {
		t.Fatalf("errors %v; want only the refusal of the unexported type", errs)
	}
}
