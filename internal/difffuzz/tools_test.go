package difffuzz

// Tools for working on the fuzzer and on what it finds, run by hand with
// environment variables (each test skips without its variable):
//
//	DIFFFUZZ_EXPLORE=n [DIFFFUZZ_SEED=s] [DIFFFUZZ_FROM=i] [DIFFFUZZ_FAILDIR=d]
//	                       check n random programs (from the i-th)
//	DIFFFUZZ_RERUN=file    check an input, a program (file.go: a whole program, or
//	                       a directory of *.go files: the functions after the prelude)
//	DIFFFUZZ_MIN=file      minimize a failing input or program (writes file.min.go)
//	DIFFFUZZ_PICK=dir      pick seeds that together with those in dir use every production
//	DIFFFUZZ_REGRESS=dir DIFFFUZZ_WANT=prod=text;...  find inputs that fail with text
//	DIFFFUZZ_PRINT=s       print the program of random input s

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

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
	from, _ := strconv.Atoi(os.Getenv("DIFFFUZZ_FROM"))
	for i := range n {
		data := randomInput(r)
		if i < from {
			continue
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

func TestPrint(t *testing.T) {
	seed, _ := strconv.ParseUint(os.Getenv("DIFFFUZZ_PRINT"), 10, 64)
	if seed == 0 {
		t.Skip("set DIFFFUZZ_PRINT=<seed>")
	}
	fmt.Println(Generate(randomInput(rand.New(rand.NewPCG(seed, 2)))).Source)
}

// source reads an input (a program if the name ends in .go).
func source(t *testing.T, file string) string {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(file, ".go") {
		return string(data)
	}
	if d, err := readCorpusFile(file); err == nil {
		data = d
	}
	return Generate(data).Source
}

func TestRerun(t *testing.T) {
	file := os.Getenv("DIFFFUZZ_RERUN")
	if file == "" {
		t.Skip("set DIFFFUZZ_RERUN=<file or directory>")
	}
	if fi, err := os.Stat(file); err == nil && fi.IsDir() {
		rerunDir(t, file)
		return
	}
	src := source(t, file)
	out, err := workspace(t).Check(src)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("DIFFFUZZ_SHOW") != "" {
		fmt.Println(src)
	}
	fmt.Print(out.Gen.Stdout)
}

// rerunDir checks every *.go in dir, each holding the functions of a
// program after the prelude, and prints the beginning of each failure
// (all of it with DIFFFUZZ_FULL=1).
func rerunDir(t *testing.T, dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, f := range files {
		body, _ := os.ReadFile(f)
		out, err := workspace(t).Check(prelude + string(body))
		if err != nil {
			msg := err.Error()
			if i := strings.Index(msg, "--- program"); i > 0 {
				msg = msg[:i]
			}
			if os.Getenv("DIFFFUZZ_FULL") == "" {
				msg = clip(msg, 600)
			}
			fmt.Printf("%s: FAIL %s\n", filepath.Base(f), msg)
			if fe, ok := err.(*Failure); ok && fe.Kind == "divergence" {
				fmt.Printf("--- generated:\n%s--- reference:\n%s", out.Gen.Stdout, out.Ref.Stdout)
			} else if out != nil && out.Ref.Mode != "" {
				fmt.Printf("--- reference (exit %d):\n%s", out.Ref.Exit, out.Ref.Stdout)
			}
			continue
		}
		fmt.Printf("%s: ok\n%s", filepath.Base(f), out.Gen.Stdout)
	}
}

func TestMinimize(t *testing.T) {
	file := os.Getenv("DIFFFUZZ_MIN")
	if file == "" {
		t.Skip("set DIFFFUZZ_MIN=<file>")
	}
	min, f, err := workspace(t).Minimize(source(t, file), t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(strings.TrimSuffix(file, ".go")+".min.go", []byte(min), 0o644)
	t.Logf("%v", f)
}

func TestPickSeeds(t *testing.T) {
	dir := os.Getenv("DIFFFUZZ_PICK")
	if dir == "" {
		t.Skip("set DIFFFUZZ_PICK=<dir>")
	}
	seed, _ := strconv.ParseUint(os.Getenv("DIFFFUZZ_SEED"), 10, 64)
	r := rand.New(rand.NewPCG(seed, 3))
	type cand struct {
		data []byte
		hits map[string]int
		size int
	}
	var cands []cand
	for range 20000 {
		data := randomInput(r)
		p := Generate(data)
		cands = append(cands, cand{data, p.Hits, strings.Count(p.Source, "\n")})
	}
	missing := map[string]bool{}
	for _, p := range productions(t) {
		missing[p] = true
	}
	// what the seeds already in dir use
	old, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range old {
		if data, err := readCorpusFile(f); err == nil {
			for p := range Generate(data).Hits {
				delete(missing, p)
			}
		}
	}
	n := 0
	for len(missing) > 0 {
		best, bestScore := -1, 0.0
		for i, c := range cands {
			k := 0
			for p := range c.hits {
				if missing[p] {
					k++
				}
			}
			if score := float64(k) / float64(c.size+100); k > 0 && score > bestScore {
				best, bestScore = i, score
			}
		}
		if best < 0 {
			t.Fatalf("no input uses %v", missing)
		}
		for p := range cands[best].hits {
			delete(missing, p)
		}
		n++
		name := filepath.Join(dir, fmt.Sprintf("seed-%02d", n))
		if err := writeCorpusFile(name, cands[best].data); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d lines, %d productions", name, cands[best].size, len(cands[best].hits))
	}
}

// TestFindRegressions looks for small inputs that use a production and
// fail with a message, to keep as regression seeds once the bug is fixed:
// DIFFFUZZ_REGRESS=<dir> DIFFFUZZ_WANT=<production>=<substring>[;...].
// Run it in a tree whose transform still has the bugs.
func TestFindRegressions(t *testing.T) {
	dir := os.Getenv("DIFFFUZZ_REGRESS")
	if dir == "" {
		t.Skip("set DIFFFUZZ_REGRESS=<dir> and DIFFFUZZ_WANT=<production>=<substring>;...")
	}
	w := workspace(t)
	r := rand.New(rand.NewPCG(4, 4))
	type cand struct {
		data []byte
		p    *Program
	}
	var cands []cand
	for range 5000 {
		data := randomInput(r)
		cands = append(cands, cand{data, Generate(data)})
	}
	slices.SortFunc(cands, func(a, b cand) int { return len(a.p.Source) - len(b.p.Source) })
	for _, want := range strings.Split(os.Getenv("DIFFFUZZ_WANT"), ";") {
		prod, substr, _ := strings.Cut(want, "=")
		tries := 0
		for _, c := range cands {
			if c.p.Hits[prod] == 0 && prod != "" {
				continue
			}
			if tries++; tries > 15 {
				break
			}
			_, err := w.Check(c.p.Source)
			if err != nil && strings.Contains(err.Error(), substr) {
				name := filepath.Join(dir, "regress-"+prod)
				writeCorpusFile(name, c.data)
				t.Logf("%s: %s (%d bytes of program)", name, strings.SplitN(err.Error(), "\n", 2)[0], len(c.p.Source))
				break
			}
		}
	}
}
