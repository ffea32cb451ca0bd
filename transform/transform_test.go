package transform_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/corogen/corogen/internal/asyncfn"
	"github.com/corogen/corogen/transform"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden compares the generated code for the packages in
// testdata/golden with the committed .golden files.
func TestGolden(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/golden/*")
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			pkgs, err := transform.Generate(transform.Config{Dir: dir}, ".")
			if err != nil {
				t.Fatal(err)
			}
			if len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
				t.Fatalf("packages: %+v", pkgs)
			}
			for _, f := range pkgs[0].Files {
				golden := f.Path + ".golden"
				if *update {
					os.WriteFile(golden, f.Content, 0o644)
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update)", err)
				}
				if !bytes.Equal(want, f.Content) {
					t.Errorf("%s differs from %s; run go test ./transform -update and review the diff", filepath.Base(f.Path), golden)
				}
			}
		})
	}
}

func TestHeaderAgrees(t *testing.T) {
	if "// "+transform.Header != asyncfn.GeneratedHeader {
		t.Fatal("transform.Header and asyncfn.GeneratedHeader differ")
	}
}

// TestDeterministic generates the same package twice.
func TestDeterministic(t *testing.T) {
	gen := func() []byte {
		pkgs, err := transform.Generate(transform.Config{Dir: "testdata/golden/fetch"}, ".")
		if err != nil || len(pkgs) != 1 || len(pkgs[0].Files) == 0 {
			t.Fatalf("%v %+v", err, pkgs)
		}
		var all []byte
		for _, f := range pkgs[0].Files {
			all = append(all, f.Content...)
		}
		return all
	}
	if a, b := gen(), gen(); !bytes.Equal(a, b) {
		t.Fatal("two runs generated different code")
	}
}

var errorComment = regexp.MustCompile(`// ERROR "([^"]*)"`)

// TestErrors checks that every package of testdata/errors is refused with
// exactly the errors its // ERROR "regexp" comments announce, each on its
// line, and that nothing is generated for it.
func TestErrors(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/errors/*")
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			pkgs, err := transform.Generate(transform.Config{Dir: dir}, ".")
			if err != nil {
				t.Fatal(err)
			}
			if len(pkgs) != 1 {
				t.Fatalf("%d packages", len(pkgs))
			}
			p := pkgs[0]
			if len(p.Files) > 0 {
				t.Errorf("files generated for a package with errors: %d", len(p.Files))
			}
			want := map[string][]*regexp.Regexp{} // "file:line" → patterns
			files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
			for _, file := range files {
				src, _ := os.ReadFile(file)
				abs, _ := filepath.Abs(file)
				for i, line := range strings.Split(string(src), "\n") {
					for _, m := range errorComment.FindAllStringSubmatch(line, -1) {
						key := abs + ":" + itoa(i+1)
						want[key] = append(want[key], regexp.MustCompile(m[1]))
					}
				}
			}
			for _, e := range p.Errors {
				key := e.Pos.Filename + ":" + itoa(e.Pos.Line)
				matched := false
				for i, re := range want[key] {
					if re.MatchString(e.Msg) {
						want[key] = append(want[key][:i], want[key][i+1:]...)
						matched = true
						break
					}
				}
				if !matched {
					t.Errorf("unexpected error: %v", e)
				}
				if e.Pos.Column == 0 {
					t.Errorf("error without a column: %v", e)
				}
			}
			for key, res := range want {
				for _, re := range res {
					t.Errorf("%s: missing error matching %q", key, re)
				}
			}
		})
	}
}

func itoa(n int) string {
	var b []byte
	for n >= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(append([]byte{byte('0' + n)}, b...))
}

// TestGoldenCompiles builds and vets the generated code of the golden
// packages: a copy of each, with its generated files, goes to a temporary
// directory inside the module (under testdata, so ./... ignores it).
func TestGoldenCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	dirs, _ := filepath.Glob("testdata/golden/*")
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			pkgs, err := transform.Generate(transform.Config{Dir: dir}, ".")
			if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
				t.Fatalf("%v %+v", err, pkgs)
			}
			tmp, err := os.MkdirTemp("testdata", "compile-")
			if err != nil {
				t.Fatal(err)
			}
			defer os.RemoveAll(tmp)
			srcs, _ := filepath.Glob(filepath.Join(dir, "*.go"))
			for _, src := range srcs {
				b, _ := os.ReadFile(src)
				os.WriteFile(filepath.Join(tmp, filepath.Base(src)), b, 0o644)
			}
			for _, f := range pkgs[0].Files {
				os.WriteFile(filepath.Join(tmp, filepath.Base(f.Path)), f.Content, 0o644)
			}
			for _, tags := range []string{"", "corosrc"} {
				out, err := exec.Command("go", "vet", "-tags="+tags, "./"+tmp).CombinedOutput()
				if err != nil {
					t.Errorf("go vet -tags=%q: %v\n%s", tags, err, out)
				}
			}
		})
	}
}
