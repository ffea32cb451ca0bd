package difffuzz

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
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

// workspace returns the process's module, created on first use.
func workspace(t testing.TB) *Workspace {
	wsOnce.Do(func() { ws, wsErr = NewWorkspace("../..") })
	if wsErr != nil {
		t.Fatal(wsErr)
	}
	return ws
}

func TestMain(m *testing.M) {
	// The transform loads packages with the go command of this process's
	// environment.
	os.Setenv("GOFLAGS", strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=mod"))
	code := m.Run()
	if ws != nil {
		ws.Close()
	}
	os.Exit(code)
}

func FuzzDifferential(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
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

// TestGeneratedCompile builds many generated programs with -tags corosrc at
// once, to find generator bugs fast: DIFFFUZZ_GENCHECK=<count>.
func TestGeneratedCompile(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("DIFFFUZZ_GENCHECK"))
	if n == 0 {
		t.Skip("set DIFFFUZZ_GENCHECK=<count>")
	}
	w := workspace(t)
	seed, _ := strconv.ParseUint(os.Getenv("DIFFFUZZ_SEED"), 10, 64)
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range n {
		data := make([]byte, 50+r.IntN(400))
		for j := range data {
			data[j] = byte(r.UintN(256))
		}
		dir := filepath.Join(w.Dir, fmt.Sprintf("p%03d", i))
		os.MkdirAll(dir, 0o755)
		if err := os.WriteFile(filepath.Join(dir, progFile), []byte(Generate(data).Source), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := w.goCmd("vet", "-tags", "corosrc", "-assign=false", "-bools=false", "./..."); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

// TestExplore checks DIFFFUZZ_EXPLORE=<count> programs from random inputs
// (DIFFFUZZ_SEED picks them) and writes the inputs of failures to
// DIFFFUZZ_FAILDIR (default: the workspace's parent temp directory).
func TestExplore(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("DIFFFUZZ_EXPLORE"))
	if n == 0 {
		t.Skip("set DIFFFUZZ_EXPLORE=<count>")
	}
	w := workspace(t)
	seed, _ := strconv.ParseUint(os.Getenv("DIFFFUZZ_SEED"), 10, 64)
	r := rand.New(rand.NewPCG(seed, 2))
	faildir := os.Getenv("DIFFFUZZ_FAILDIR")
	if faildir == "" {
		faildir = os.TempDir()
	}
	for i := range n {
		data := make([]byte, 50+r.IntN(400))
		for j := range data {
			data[j] = byte(r.UintN(256))
		}
		out, err := w.Check(Generate(data).Source)
		if err != nil {
			name := filepath.Join(faildir, fmt.Sprintf("difffuzz-fail-%d-%d", seed, i))
			os.WriteFile(name+".input", data, 0o644)
			os.WriteFile(name+".txt", []byte(err.Error()), 0o644)
			t.Errorf("program %d: %s (see %s.txt)", i, strings.SplitN(err.Error(), "\n", 2)[0], name)
			continue
		}
		t.Logf("program %d: %d lines of output, times %v", i, strings.Count(out.Gen.Stdout, "\n"), out.Times)
	}
}
