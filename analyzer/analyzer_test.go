package analyzer_test

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/corogen/corogen/analyzer"
	"github.com/corogen/corogen/transform"
)

// The test packages live in testdata/src, a GOPATH tree, with a minimal
// stub of package rt at testdata/src/github.com/corogen/corogen/rt rather
// than the real module: analysistest loads a GOPATH tree with no go.mod or
// go.sum to keep in step, the stub does not change under the feet of the
// tests while the runtime is worked on, and it imports only time, which
// keeps loading fast. TestStubMatchesRuntime checks that the stub's
// declarations are those of the real rt.
//
// Each analysistest.Run loads the packages and their dependencies from
// source, which takes most of the time, so the tests are few runs over
// many packages.

// setFlag sets a flag of the analyzer for the duration of the test.
func setFlag(t *testing.T, name, value string) {
	t.Helper()
	f := analyzer.Analyzer.Flags.Lookup(name)
	old := f.Value.String()
	if err := f.Value.Set(value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Value.Set(old) })
}

// TestSources runs the checks with -tags corosrc, where the sources of
// async functions are visible, and applies the suggested fixes (x.go.golden
// is x.go with its fixes applied).
func TestSources(t *testing.T) {
	t.Setenv("GOFLAGS", "-tags=corosrc")
	setFlag(t, "generated", "false")
	setFlag(t, "blocking", "blocking.Slow,(*blocking.Conn).Recv")
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), analyzer.Analyzer,
		"awaitoutside", "offloop", "neverawaited", "blocking", "loophog", "droppedtask",
		"malformed", "refused", "asynclib", "asyncuser", "othergen", "timeoutscope")
}

// TestDefaultBuild runs the checks in a default build, where generated
// files stand for the sources: their facts are exported and nothing is
// reported in them.
func TestDefaultBuild(t *testing.T) {
	t.Setenv("GOFLAGS", "")
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "genlib", "genuser")
}

// TestGenerated checks the comparison of generated files with the disk:
// missing, stale, not corogen's, left over, and fresh: the packages fresh
// and freshnl get their generated files written here, as corogen writes
// them, with and without //line directives.
func TestGenerated(t *testing.T) {
	gopath := t.TempDir()
	for _, dir := range []string{"github.com/corogen/corogen/rt", "stale", "missing", "notours", "orphan", "fresh"} {
		copyDir(t, filepath.Join(analysistest.TestData(), "src", dir), filepath.Join(gopath, "src", dir))
	}
	copyDir(t, filepath.Join(gopath, "src", "fresh"), filepath.Join(gopath, "src", "freshnl"))
	t.Setenv("GOPATH", gopath)
	t.Setenv("GO111MODULE", "off")
	t.Setenv("GOWORK", "off")
	t.Setenv("GOFLAGS", "")
	for _, pkg := range []string{"fresh", "freshnl"} {
		cfg := transform.Config{Dir: filepath.Join(gopath, "src", pkg), Tests: true, NoLines: pkg == "freshnl", NoVerify: true} // the stand-in rt lacks the machine contract
		pkgs, err := transform.Generate(cfg, ".")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range pkgs {
			if len(p.Errors) > 0 {
				t.Fatalf("%s: %v", pkg, p.Errors)
			}
			for _, f := range p.Files {
				if err := os.WriteFile(f.Path, f.Content, 0o644); err != nil {
					t.Fatal(err)
				}
				n++
			}
		}
		if n != 2 {
			t.Fatalf("%s: corogen generated %d files, want 2", pkg, n)
		}
	}
	t.Setenv("GOFLAGS", "-tags=corosrc")
	analysistest.Run(t, gopath, analyzer.Analyzer, "stale", "missing", "notours", "orphan", "fresh", "freshnl")
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
