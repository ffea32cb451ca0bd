package difffuzz

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/corogen/corogen/transform"
)

// Workspace is a temporary module that depends on the corogen repository
// through a replace directive. Programs are written into it one at a time,
// so that the Go build cache stays warm between them.
type Workspace struct {
	Dir  string // the module
	Root string // the corogen repository
	env  []string

	exports map[string]string // import path → export data, for the fast type-check
}

const (
	progFile  = "prog.go"
	buildWait = 3 * time.Minute
	runWait   = 30 * time.Second
	maxOutput = 1 << 20
)

// NewWorkspace creates the module in a new temporary directory.
func NewWorkspace(root string) (*Workspace, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return nil, err
	}
	removeStale()
	dir, err := os.MkdirTemp("", "difffuzz-")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return nil, err
	}
	mod := fmt.Sprintf("module difffuzzprog\n\ngo 1.26.0\n\nrequire github.com/corogen/corogen v0.0.0\n\nreplace github.com/corogen/corogen => %s\n", root)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		return nil, err
	}
	return &Workspace{Dir: dir, Root: root, env: append(os.Environ(), "GOFLAGS="+withModMod(os.Getenv("GOFLAGS")))}, nil
}

// withModMod adds -mod=mod to a GOFLAGS value: the module's go.mod lists
// only corogen, so the go command may need to add its requirements.
func withModMod(goflags string) string {
	if strings.Contains(goflags, "-mod=mod") {
		return goflags
	}
	return strings.TrimSpace(goflags + " -mod=mod")
}

// ownerFile holds the pid of the process that uses a workspace.
const ownerFile = "owner.pid"

// removeStale removes the workspaces of processes that are gone: the fuzzing
// engine kills its workers without letting them clean up.
func removeStale() {
	if runtime.GOOS == "windows" {
		return
	}
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "difffuzz-*"))
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, ownerFile))
		if err != nil {
			continue // not a workspace, or one being created
		}
		pid, err := strconv.Atoi(string(b))
		if err != nil || pid == os.Getpid() {
			continue
		}
		if p, err := os.FindProcess(pid); err == nil {
			if err := p.Signal(syscall.Signal(0)); !errors.Is(err, os.ErrProcessDone) && !errors.Is(err, syscall.ESRCH) {
				continue // alive, or not ours to ask
			}
		}
		os.RemoveAll(d)
	}
}

// Close removes the module.
func (w *Workspace) Close() error { return os.RemoveAll(w.Dir) }

// Run is what one build mode of a program did.
type Run struct {
	Mode   string
	Stdout string
	Stderr string
	Exit   int // -1 when it did not finish in time
}

// Outcome is what checking a program found.
type Outcome struct {
	Source    string
	Generated string           // corogen's output for the program
	Gen, Ref  Run              // the generated machines; the reference runtime (-tags corosrc)
	Times     [4]time.Duration // transform, both builds, run of the generated build, of the reference build
}

// Failure is a program that corogen refused, that did not build, or whose
// two builds behaved differently.
type Failure struct {
	Kind string // "transform", "build", "divergence", "crash"
	Msg  string
	Out  *Outcome
}

func (f *Failure) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", f.Kind, f.Msg)
	if f.Out == nil {
		return b.String()
	}
	fmt.Fprintf(&b, "--- program:\n%s", numbered(f.Out.Source))
	for _, r := range []Run{f.Out.Gen, f.Out.Ref} {
		if r.Mode == "" {
			continue
		}
		fmt.Fprintf(&b, "--- %s (exit %d) stdout:\n%s", r.Mode, r.Exit, r.Stdout)
		if r.Stderr != "" {
			fmt.Fprintf(&b, "--- %s stderr:\n%s", r.Mode, clip(r.Stderr, 4000))
		}
	}
	if f.Kind == "divergence" {
		fmt.Fprintf(&b, "--- first difference:\n%s", firstDiff(f.Out.Gen.Stdout, f.Out.Ref.Stdout))
	}
	return b.String()
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "\n[...]\n"
}

// firstDiff shows the first line where a and b differ, with a little
// context.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	i := 0
	for i < len(al) && i < len(bl) && al[i] == bl[i] {
		i++
	}
	var s strings.Builder
	for j := max(0, i-3); j < i; j++ {
		fmt.Fprintf(&s, "  %s\n", al[j])
	}
	if i < len(al) {
		fmt.Fprintf(&s, "- generated: %s\n", al[i])
	}
	if i < len(bl) {
		fmt.Fprintf(&s, "+ reference: %s\n", bl[i])
	}
	return s.String()
}

// generate writes src and the state machines corogen generates for it into
// the workspace, keeping the generated source in out; a refusal or a crash
// of corogen is a *Failure.
func (w *Workspace) generate(src string, out *Outcome) error {
	if err := os.WriteFile(w.path(progFile), []byte(src), 0o644); err != nil {
		return err
	}
	files, err := w.transform(src)
	if err != nil {
		return &Failure{Kind: "transform", Msg: err.Error(), Out: out}
	}
	if len(files) != 1 {
		return &Failure{Kind: "transform", Msg: fmt.Sprintf("corogen generated %d files, want 1", len(files)), Out: out}
	}
	out.Generated = string(files[0].Content)
	return os.WriteFile(files[0].Path, files[0].Content, 0o644)
}

// Check generates the state machines for src, builds src both ways, runs
// both and compares them. It returns the outcome and a *Failure if anything
// went wrong.
func (w *Workspace) Check(src string) (*Outcome, error) {
	out := &Outcome{Source: src}
	gen := filepath.Join(w.Dir, transform.GeneratedName(progFile))
	os.Remove(gen)
	start := time.Now()
	if err := w.generate(src, out); err != nil {
		return out, err
	}
	out.Times[0] = time.Since(start)
	// The reference build first: if the program itself does not compile,
	// that is the generator's fault, not the transform's.
	for i, mode := range []struct {
		name, tags string
		run        *Run
	}{{"reference", "corosrc", &out.Ref}, {"generated", "", &out.Gen}} {
		bin := filepath.Join(w.Dir, mode.name+".bin")
		args := []string{"build", "-o", bin}
		if mode.tags != "" {
			args = append(args, "-tags", mode.tags)
		}
		start := time.Now()
		msg, err := w.goCmd(append(args, ".")...)
		out.Times[1] += time.Since(start)
		if err != nil {
			what := "the program does not compile with -tags corosrc (a generator bug)"
			if mode.tags == "" {
				what = "the generated state machines do not compile (a transform bug)"
				msg += w.explainBuild(src)
			}
			return out, &Failure{Kind: "build", Msg: what + ":\n" + msg, Out: out}
		}
		start = time.Now()
		*mode.run = runBinary(mode.name, bin)
		out.Times[3-i] = time.Since(start)
	}
	g, r := out.Gen, out.Ref
	switch {
	case g.Stdout != r.Stdout || g.Exit != r.Exit:
		return out, &Failure{Kind: "divergence", Msg: fmt.Sprintf("the two builds differ (exit %d generated, %d reference)", g.Exit, r.Exit), Out: out}
	case g.Exit != 0 && g.Exit != 3:
		// 3 is main's exit after rt.Run panicked; anything else is a crash
		// or a hang, the same in both modes but still not a program's
		// behaviour.
		return out, &Failure{Kind: "crash", Msg: fmt.Sprintf("both builds exited with status %d", g.Exit), Out: out}
	}
	return out, nil
}

// explainBuild generates the program again without line directives, so
// that the compiler's errors point into the generated code, and returns
// them with that code.
func (w *Workspace) explainBuild(src string) string {
	files, err := w.transformOpts(src, transform.Config{Dir: w.Dir, NoLines: true})
	if err != nil || len(files) != 1 {
		return fmt.Sprintf("\n(generating without line directives: %v)", err)
	}
	if err := os.WriteFile(files[0].Path, files[0].Content, 0o644); err != nil {
		return err.Error()
	}
	msg, _ := w.goCmd("build", "-o", os.DevNull, ".")
	return "\n--- without line directives:\n" + msg + "--- generated code without line directives:\n" + numbered(string(files[0].Content))
}

func (w *Workspace) goCmd(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), buildWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = w.Dir
	cmd.Env = w.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func runBinary(mode, bin string) Run {
	ctx, cancel := context.WithTimeout(context.Background(), runWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &limited{b: &stdout}
	cmd.Stderr = &limited{b: &stderr}
	err := cmd.Run()
	r := Run{Mode: mode, Stdout: stdout.String(), Stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.Exit = -1
		r.Stderr += fmt.Sprintf("\n[killed after %v]\n", runWait)
	case errors.As(err, &ee):
		r.Exit = ee.ExitCode()
	case err != nil:
		r.Exit = -1
		r.Stderr += "\n[" + err.Error() + "]\n"
	}
	return r
}

// limited keeps the first maxOutput bytes.
type limited struct{ b *bytes.Buffer }

func (l *limited) Write(p []byte) (int, error) {
	if room := maxOutput - l.b.Len(); room > 0 {
		l.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
