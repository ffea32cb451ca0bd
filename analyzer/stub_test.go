package analyzer_test

import (
	"go/types"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/packages"
)

// notYetInRT lists the declarations of the stub that the runtime does not
// have yet (DESIGN.md plans them).
var notYetInRT = map[string]bool{}

// TestStubMatchesRuntime checks that every declaration of the stub rt in
// testdata is in the real rt, with the same signature.
func TestStubMatchesRuntime(t *testing.T) {
	const path = "github.com/corogen/corogen/rt"
	load := func(env []string) *types.Package {
		t.Helper()
		cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes, Env: append(os.Environ(), env...)}
		if env == nil {
			cfg.Dir = ".."
		}
		pkgs, err := packages.Load(cfg, path)
		if err != nil {
			t.Fatal(err)
		}
		if len(pkgs) != 1 || len(pkgs[0].Errors) > 0 || pkgs[0].Types == nil {
			if env == nil {
				t.Skipf("the real rt does not load (work in progress?): %v", pkgs[0].Errors)
			}
			t.Fatalf("loading the stub: %v", pkgs[0].Errors)
		}
		return pkgs[0].Types
	}
	gopath, _ := filepath.Abs(analysistest.TestData())
	stub := load([]string{"GOPATH=" + gopath, "GO111MODULE=off", "GOWORK=off", "GOFLAGS="})
	real := load(nil)
	qual := func(p *types.Package) string { return p.Name() }
	str := func(t types.Type) string { return types.TypeString(t, qual) }
	for _, name := range stub.Scope().Names() {
		s := stub.Scope().Lookup(name)
		if !s.Exported() || notYetInRT[name] {
			continue
		}
		r := real.Scope().Lookup(name)
		if r == nil {
			t.Errorf("the stub declares %s, the runtime does not", name)
			continue
		}
		switch s := s.(type) {
		case *types.Func:
			if _, ok := r.(*types.Func); !ok || str(s.Type()) != str(r.Type()) {
				t.Errorf("stub: func %s: %s\nrt:   %s", name, str(s.Type()), types.ObjectString(r, qual))
			}
		case *types.TypeName:
			rt, ok := r.(*types.TypeName)
			if !ok || s.IsAlias() != rt.IsAlias() {
				t.Errorf("stub: %s\nrt:   %s", types.ObjectString(s, qual), types.ObjectString(r, qual))
				continue
			}
			if s.IsAlias() || types.IsInterface(s.Type()) || isFuncType(s.Type()) {
				if str(s.Type().Underlying()) != str(rt.Type().Underlying()) {
					t.Errorf("stub: %s = %s\nrt:   %s", name, str(s.Type().Underlying()), str(rt.Type().Underlying()))
				}
				continue
			}
			rms := types.NewMethodSet(types.NewPointer(rt.Type()))
			sms := types.NewMethodSet(types.NewPointer(s.Type()))
			for i := range sms.Len() {
				m := sms.At(i).Obj()
				rm := rms.Lookup(m.Pkg(), m.Name())
				if rm == nil {
					rm = rms.Lookup(real, m.Name())
				}
				if rm == nil || str(m.Type()) != str(rm.Obj().Type()) {
					t.Errorf("stub: method %s.%s: %s has no match in rt", name, m.Name(), str(m.Type()))
				}
			}
		default:
			t.Errorf("stub: unexpected %s", types.ObjectString(s, qual))
		}
	}
}

func isFuncType(t types.Type) bool {
	_, ok := t.Underlying().(*types.Signature)
	return ok
}
