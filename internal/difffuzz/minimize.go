package difffuzz

import (
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"regexp"
	"strings"
)

// Minimize shrinks a failing program line by line: it deletes statements
// and blocks, unwraps blocks and drops else branches, repairs what that
// leaves unused (adding _ = x, dropping labels), and keeps an edit when the
// program still type-checks and still fails the same way. logf reports
// progress (it may be nil).
func (w *Workspace) Minimize(src string, logf func(format string, args ...any)) (string, *Failure, error) {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	_, err := w.Check(src)
	var first *Failure
	if !errors.As(err, &first) {
		return src, nil, fmt.Errorf("the program does not fail: %v", err)
	}
	want := signature(first)
	logf("minimizing a failure %q", want)
	fails := func(cand string) *Failure {
		var err error
		if first.Kind == "build" || first.Kind == "transform" {
			_, err = w.checkGenerated(cand)
		} else {
			_, err = w.Check(cand)
		}
		var f *Failure
		if errors.As(err, &f) && signature(f) == want {
			return f
		}
		return nil
	}
	lines := strings.Split(src, "\n")
	start := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "//coro:async") {
			start = i
			break
		}
	}
	last := first
	for progress := true; progress; {
		progress = false
		for _, ed := range edits(lines, start) {
			cand, ok := w.repair(ed)
			if !ok {
				continue
			}
			if len(strings.Join(cand, "\n")) >= len(strings.Join(lines, "\n")) {
				continue // a repair can undo an edit
			}
			if f := fails(strings.Join(cand, "\n")); f != nil {
				logf("%d lines", len(cand))
				lines, last, progress = cand, f, true
				break
			}
		}
	}
	return strings.Join(lines, "\n"), last, nil
}

// signature is what must stay the same while minimizing: the kind of
// failure, and for a program corogen refuses or miscompiles, the first
// error without its position.
func signature(f *Failure) string {
	if f.Kind != "build" && f.Kind != "transform" {
		return f.Kind
	}
	for _, l := range strings.Split(f.Msg, "\n") {
		if m := errLine.FindStringSubmatch(l); m != nil {
			return f.Kind + ": " + m[1]
		}
	}
	return f.Kind + ": " + strings.SplitN(f.Msg, "\n", 2)[0]
}

var errLine = regexp.MustCompile(`^\S*prog(?:_coro)?\.go:\d+(?::\d+)?: (.*)$`)

// checkGenerated is Check without the reference build and the runs: enough
// for a program corogen refuses or miscompiles.
func (w *Workspace) checkGenerated(src string) (*Outcome, error) {
	out := &Outcome{Source: src}
	if err := w.generate(src, out); err != nil {
		return out, err
	}
	if msg, err := w.goCmd("build", "-o", os.DevNull, "."); err != nil {
		return out, &Failure{Kind: "build", Msg: "the generated state machines do not compile (a transform bug):\n" + msg, Out: out}
	}
	return out, nil
}

// edits lists candidate programs, the biggest cuts first.
func edits(lines []string, start int) [][]string {
	type span struct{ i, j int }
	depth := make([]int, len(lines)+1) // depth before line i
	for i, l := range lines {
		depth[i+1] = depth[i] + strings.Count(l, "{") - strings.Count(l, "}")
	}
	// end returns the last line of the statement that starts at i.
	end := func(i int) int {
		for j := i; j < len(lines); j++ {
			t := strings.TrimSpace(lines[j])
			if depth[j+1] == depth[i] && !strings.HasSuffix(t, "{") {
				return j
			}
			if depth[j+1] < depth[i] {
				return -1
			}
		}
		return -1
	}
	var spans []span
	for i := start; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" || strings.HasPrefix(t, "}") || strings.HasPrefix(t, "//") {
			continue // a //coro:async goes only with its function
		}
		if j := end(i); j >= i {
			if i > 0 && strings.TrimSpace(lines[i-1]) == "//coro:async" {
				spans = append(spans, span{i - 1, j})
				continue
			}
			spans = append(spans, span{i, j})
		}
	}
	// biggest first
	for a := 1; a < len(spans); a++ {
		for b := a; b > 0 && spans[b].j-spans[b].i > spans[b-1].j-spans[b-1].i; b-- {
			spans[b], spans[b-1] = spans[b-1], spans[b]
		}
	}
	cut := func(i, j int, insert ...string) []string {
		out := append([]string(nil), lines[:i]...)
		out = append(out, insert...)
		return append(out, lines[j+1:]...)
	}
	var out [][]string
	for _, s := range spans {
		out = append(out, cut(s.i, s.j))
	}
	// unwrap blocks: keep the body of an if, a loop, a block, a literal
	for _, s := range spans {
		if s.j > s.i+1 && strings.TrimSpace(lines[s.j]) == "}" && strings.HasSuffix(strings.TrimSpace(lines[s.i]), "{") {
			body := append([]string(nil), lines[s.i+1:s.j]...)
			out = append(out, cut(s.i, s.j, body...))
		}
	}
	// drop else branches
	for i := start; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if strings.HasPrefix(t, "} else") && strings.HasSuffix(t, "{") {
			for j := i + 1; j < len(lines); j++ {
				if depth[j+1] == depth[i+1]-1 {
					out = append(out, cut(i, j, "}"))
					break
				}
			}
		}
	}
	// simplify expressions: an await of a call becomes a constant
	for i := start; i < len(lines); i++ {
		for _, m := range awaitCall.FindAllStringIndex(lines[i], -1) {
			e := matchParen(lines[i], m[0]+len("rt.Await"))
			if e < 0 {
				continue
			}
			c := append([]string(nil), lines...)
			c[i] = lines[i][:m[0]] + "1" + lines[i][e+1:]
			out = append(out, c)
		}
	}
	return out
}

var awaitCall = regexp.MustCompile(`rt\.Await\(F\d+\(`)

// matchParen returns the index of the parenthesis that closes the one at i.
func matchParen(s string, i int) int {
	d := 0
	for k := i; k < len(s); k++ {
		switch s[k] {
		case '(':
			d++
		case ')':
			d--
			if d == 0 {
				return k
			}
		}
	}
	return -1
}

var (
	unusedVar   = regexp.MustCompile(`^declared and not used: (\w+)$`)
	undefined   = regexp.MustCompile(`^undefined: (\w+)$`)
	unusedLabel = regexp.MustCompile(`^label (\w+) (?:declared|defined) and not used$`)
)

// repair makes a candidate type-check if all it lacks is a use of a
// variable or of a label.
func (w *Workspace) repair(lines []string) ([]string, bool) {
	for range 10 {
		src := strings.Join(lines, "\n")
		if _, err := format.Source([]byte(src)); err != nil {
			return nil, false
		}
		errs := w.typeCheck(src)
		if len(errs) == 0 {
			return lines, true
		}
		e := errs[0]
		line := e.Fset.Position(e.Pos).Line - 1
		if line < 0 || line >= len(lines) {
			return nil, false
		}
		switch {
		case unusedVar.MatchString(e.Msg):
			name := unusedVar.FindStringSubmatch(e.Msg)[1]
			lines = append(lines[:line+1], append([]string{"_ = " + name}, lines[line+1:]...)...)
		case undefined.MatchString(e.Msg) && strings.TrimSpace(lines[line]) == "_ = "+undefined.FindStringSubmatch(e.Msg)[1]:
			lines = append(lines[:line], lines[line+1:]...) // the use of a deleted variable
		case unusedLabel.MatchString(e.Msg):
			lines = append(lines[:line], lines[line+1:]...)
		default:
			return nil, false
		}
	}
	return nil, false
}

// typeCheck type-checks a program with the export data of its imports.
func (w *Workspace) typeCheck(src string) []types.Error {
	if w.exports == nil {
		if err := w.listExports(); err != nil {
			return []types.Error{{Msg: err.Error()}}
		}
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, w.path(progFile), src, parser.ParseComments)
	if err != nil {
		return []types.Error{{Fset: fset, Msg: err.Error()}}
	}
	var errs []types.Error
	conf := types.Config{Importer: w.importer(fset), GoVersion: "go1.26", Error: func(err error) {
		if te, ok := err.(types.Error); ok {
			errs = append(errs, te)
		}
	}}
	conf.Check("difffuzzprog", fset, []*ast.File{f}, nil)
	return errs
}

func (w *Workspace) importer(fset *token.FileSet) types.Importer {
	return importerFor(fset, func(path string) (io.ReadCloser, error) {
		file, ok := w.exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	})
}
