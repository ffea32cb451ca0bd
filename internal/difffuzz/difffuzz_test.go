package difffuzz

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var (
	wsOnce sync.Once
	ws     *Workspace
	wsErr  error
)

// workspace returns the process's module, created on first use and reused
// so that the build cache stays warm.
func workspace(t testing.TB) *Workspace {
	wsOnce.Do(func() { ws, wsErr = NewWorkspace("../..") })
	if wsErr != nil {
		t.Fatal(wsErr)
	}
	return ws
}

func TestMain(m *testing.M) {
	// The transform's fallback loads packages with the go command of this
	// process's environment.
	os.Setenv("GOFLAGS", withModMod(os.Getenv("GOFLAGS")))
	code := m.Run()
	if ws != nil {
		ws.Close()
	}
	os.Exit(code)
}

// refMode is set in a -tags corosrc build of this test.
var refMode bool

// shortSeeds are the seeds that run with -short.
var shortSeeds = map[string]bool{"seed-01": true, "seed-02": true, "seed-03": true}

// FuzzDifferential generates a program from its input, runs it built with
// corogen's state machines and built with -tags corosrc on the reference
// runtime, and fails if corogen refuses it or the two runs differ.
func FuzzDifferential(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if refMode {
			t.Skip("the harness builds both modes itself; it runs in the default build")
		}
		if testing.Short() && !shortSeeds[path.Base(t.Name())] {
			t.Skip("-short runs only some seeds")
		}
		p := Generate(data)
		out, err := workspace(t).Check(p.Source)
		if err != nil {
			t.Fatal(err)
		}
		if os.Getenv("DIFFFUZZ_SHOW") != "" {
			t.Logf("program:\n%s\noutput:\n%s\ntimes %v", p.Source, out.Gen.Stdout, out.Times)
		}
	})
}

// randomInput returns pseudo-random bytes for the tools and tests.
func randomInput(r *rand.Rand) []byte {
	data := make([]byte, 50+r.IntN(500))
	for j := range data {
		data[j] = byte(r.UintN(256))
	}
	return data
}

// TestGeneratedProgramsTypeCheck type-checks many generated programs (in
// process, without building them) and checks that generating is
// deterministic.
func TestGeneratedProgramsTypeCheck(t *testing.T) {
	if refMode {
		t.Skip("runs in the default build")
	}
	n := 300
	if testing.Short() {
		n = 50
	}
	w := workspace(t)
	r := rand.New(rand.NewPCG(1, 1))
	for i := range n {
		data := randomInput(r)
		p := Generate(data)
		if q := Generate(data); q.Source != p.Source {
			t.Fatalf("program %d: the same input gave two programs", i)
		}
		if errs := w.typeCheck(p.Source); len(errs) > 0 {
			t.Fatalf("program %d does not type-check: %v\n%s", i, errs, numbered(p.Source))
		}
	}
}

// productions lists every production name the generator can record.
func productions(t *testing.T) []string {
	src, err := os.ReadFile("gen.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{"func.async": true, "func.asyncerr": true, "func.do": true, "func.doerr": true}
	for _, m := range regexp.MustCompile(`(?:add\(|hit\(|option\{)"([a-z0-9.-]+)"`).FindAllStringSubmatch(string(src), -1) {
		if !strings.HasSuffix(m[1], ".") {
			seen[m[1]] = true
		}
	}
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// TestCorpusCoversGrammar checks that the committed seeds together use
// every production of the grammar.
func TestCorpusCoversGrammar(t *testing.T) {
	files, err := filepath.Glob("testdata/fuzz/FuzzDifferential/*")
	if err != nil {
		t.Fatal(err)
	}
	hits := map[string]int{}
	for _, f := range files {
		data, err := readCorpusFile(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for p := range Generate(data).Hits {
			hits[p]++
		}
	}
	for _, p := range productions(t) {
		if hits[p] == 0 && !knownBugs[bugProductions[p]] {
			t.Errorf("no seed uses production %s", p)
		}
	}
}

// readCorpusFile reads a corpus file of go test fuzz v1 holding one []byte.
func readCorpusFile(name string) ([]byte, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	lines := strings.SplitN(strings.TrimSpace(string(b)), "\n", 2)
	if len(lines) != 2 || lines[0] != "go test fuzz v1" {
		return nil, fmt.Errorf("not a corpus file")
	}
	q, ok := strings.CutPrefix(lines[1], "[]byte(")
	if !ok {
		return nil, fmt.Errorf("not a []byte")
	}
	s, err := strconv.Unquote(strings.TrimSuffix(q, ")"))
	return []byte(s), err
}

func writeCorpusFile(name string, data []byte) error {
	return os.WriteFile(name, fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", data), 0o644)
}

// TestRemoveStale checks that a workspace left by a process that is gone
// is removed, and one of a live process is not.
func TestRemoveStale(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix only")
	}
	cmd := exec.Command("go", "version")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	dead, live := t.TempDir(), t.TempDir()
	for dir, pid := range map[string]int{dead: cmd.Process.Pid, live: os.Getppid()} {
		ws := filepath.Join(os.TempDir(), "difffuzz-"+filepath.Base(dir))
		if err := os.Mkdir(ws, 0o755); err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(ws)
		os.WriteFile(filepath.Join(ws, ownerFile), []byte(strconv.Itoa(pid)), 0o644)
	}
	removeStale()
	if _, err := os.Stat(filepath.Join(os.TempDir(), "difffuzz-"+filepath.Base(dead))); !os.IsNotExist(err) {
		t.Errorf("the workspace of a finished process is still there (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(os.TempDir(), "difffuzz-"+filepath.Base(live))); err != nil {
		t.Errorf("the workspace of a live process was removed: %v", err)
	}
}
