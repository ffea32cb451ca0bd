package transform_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/corogen/corogen/transform"
)

// BenchmarkGenerate200 transforms a package of 200 async functions of
// varied shapes (loops, switches, defers, children awaited in place). The
// package is loaded once; the benchmark measures the transform itself.
func BenchmarkGenerate200(b *testing.B) {
	dir := b.TempDir()
	var src strings.Builder
	src.WriteString("//go:build corosrc\n\npackage many\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/corogen/corogen/rt\"\n)\n\n")
	for i := range 200 {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&src, "//coro:async\nfunc F%d(n int) rt.Coro[int] {\n\treturn rt.Async(func() int {\n\t\tt := 0\n\t\tfor i := range n {\n\t\t\trt.Await(rt.Sleep(0))\n\t\t\tt += i\n\t\t}\n\t\treturn t\n\t})\n}\n\n", i)
		case 1:
			fmt.Fprintf(&src, "//coro:async\nfunc F%d(n int) rt.Coro[int] {\n\treturn rt.Async(func() int {\n\t\tswitch rt.Await(F%d(n)) {\n\t\tcase 0:\n\t\t\treturn 1\n\t\tdefault:\n\t\t\treturn rt.Await(F%d(n - 1))\n\t\t}\n\t})\n}\n\n", i, i-1, i-1)
		case 2:
			fmt.Fprintf(&src, "//coro:async\nfunc F%d(n int) rt.Coro[int] {\n\treturn rt.AsyncErr(func() (r int, err error) {\n\t\tdefer func() { r++ }()\n\t\tif n > 1 {\n\t\t\tr, err = rt.Try(F%d(n))\n\t\t}\n\t\treturn r, err\n\t})\n}\n\n", i, i-1)
		case 3:
			fmt.Fprintf(&src, "//coro:async\nfunc F%d(n int) rt.Coro[string] {\n\treturn rt.Async(func() string {\n\t\tvar fs []func() int\n\t\tfor i := 0; i < n; i++ {\n\t\t\tfs = append(fs, func() int { return i })\n\t\t\trt.Await(F%d(i))\n\t\t}\n\t\treturn fmt.Sprint(len(fs))\n\t})\n}\n\n", i, i-3)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "many.go"), []byte(src.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	wd, _ := os.Getwd()
	repo := filepath.Dir(wd)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/many\n\ngo 1.26\n\nrequire github.com/corogen/corogen v0.0.0\n\nreplace github.com/corogen/corogen => "+repo+"\n"), 0o644)
	sum, _ := os.ReadFile(filepath.Join(repo, "go.sum"))
	os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644)
	b.Setenv("GOFLAGS", "-mod=mod")
	pkgs, err := packages.Load(&packages.Config{
		Mode:       packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports,
		Dir:        dir,
		BuildFlags: []string{"-tags=corosrc"},
	}, ".")
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		b.Fatalf("load: %v %v", err, pkgs[0].Errors)
	}
	p := pkgs[0]
	b.ResetTimer()
	for b.Loop() {
		files, errs := transform.GeneratePackage(p.Fset, p.Syntax, p.Syntax, p.Types, p.TypesInfo, transform.Config{})
		if len(errs) > 0 || len(files) != 1 {
			b.Fatalf("%d files, errors %v", len(files), errs)
		}
	}
}
