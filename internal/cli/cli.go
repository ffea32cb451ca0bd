// Package cli is corogen's command line: flags, writing files safely, and
// the exit status. cmd/corogen is a thin shell around Main.
package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/corogen/corogen/internal/asyncfn"
	"github.com/corogen/corogen/transform"
	"golang.org/x/tools/go/packages"
)

// Exit statuses.
const (
	ExitOK    = 0 // everything generated, or up to date
	ExitStale = 1 // -check or -diff found a missing or stale file
	ExitError = 2 // input could not be loaded or transformed
)

const usage = `usage: corogen [flags] [packages]

corogen rewrites the async functions (//coro:async) of the packages (default
".") into state machines: for each source file x.go holding async functions,
with the build constraint //go:build corosrc, it writes x_coro.go.

Flags:
`

// Main runs corogen with args (without the program name) and returns the
// exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("corogen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	check := fs.Bool("check", false, "write nothing; exit 1 if a generated file is missing or stale")
	diff := fs.Bool("diff", false, "write nothing; print the differences and exit 1 if there are any")
	fix := fs.Bool("fix", false, "add the //go:build corosrc line to source files that lack it")
	tags := fs.String("tags", "", "comma-separated build tags to add to corosrc")
	verbose := fs.Bool("v", false, "list what is written or checked")
	noLines := fs.Bool("nolines", false, "omit /*line*/ directives from generated code")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return ExitError
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	cfg := transform.Config{Tests: true, NoLines: *noLines}
	if *tags != "" {
		cfg.Tags = strings.Split(*tags, ",")
	}
	if *fix {
		if st := fixTags(cfg.Tags, patterns, stdout, stderr, *verbose); st != ExitOK {
			return st
		}
	}
	pkgs, err := transform.Generate(cfg, patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "corogen: %v\n", err)
		return ExitError
	}
	orphaned, err := orphans(cfg.Tags, patterns, pkgs)
	if err != nil {
		fmt.Fprintf(stderr, "corogen: %v\n", err)
		return ExitError
	}
	pkgs = append(pkgs, orphaned...)
	if len(pkgs) == 0 {
		fmt.Fprintf(stderr, "corogen: no packages match %s\n", strings.Join(patterns, " "))
		return ExitError
	}
	status := ExitOK
	failed := false
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			failed = true
			for _, e := range p.Errors {
				if e.Pos.Filename != "" {
					e.Pos.Filename = rel(e.Pos.Filename)
				}
				fmt.Fprintln(stderr, e)
			}
			fmt.Fprintf(stderr, "corogen: %s: nothing written (%d error(s))\n", p.Path, len(p.Errors))
			continue
		}
		for _, ch := range changes(p) {
			switch {
			case *check || *diff:
				status = ExitStale
				fmt.Fprintf(stdout, "%s: %s\n", rel(ch.path), ch.what())
				if *diff {
					fmt.Fprint(stdout, unifiedDiff(rel(ch.path), ch.old, ch.new))
				}
			default:
				if err := ch.apply(p.Dir); err != nil {
					fmt.Fprintf(stderr, "corogen: %v\n", err)
					failed = true
					continue
				}
				if *verbose {
					fmt.Fprintf(stdout, "%s: %s\n", rel(ch.path), ch.done())
				}
			}
		}
	}
	if failed {
		return ExitError
	}
	return status
}

// change is one generated file to write or remove.
type change struct {
	path     string
	old, new []byte // new is nil for a removal
	exists   bool
}

func (c change) what() string {
	switch {
	case !c.exists:
		return "missing"
	case c.new == nil:
		return "stale (its source has no async functions any more)"
	}
	return "stale"
}

func (c change) done() string {
	switch {
	case c.new == nil:
		return "removed"
	case !c.exists:
		return "written"
	}
	return "updated"
}

// changes compares a package's generated files with the disk: files to
// write, and generated files whose source no longer has async functions.
func changes(p transform.Package) []change {
	var out []change
	want := map[string]bool{}
	for _, f := range p.Files {
		want[f.Path] = true
		old, err := os.ReadFile(f.Path)
		exists := err == nil
		if exists && bytes.Equal(old, f.Content) {
			continue
		}
		out = append(out, change{path: f.Path, old: old, new: f.Content, exists: exists})
	}
	if p.Dir == "" {
		return out
	}
	entries, _ := os.ReadDir(p.Dir)
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, "_coro.go") && !strings.HasSuffix(name, "_coro_test.go") {
			continue
		}
		path := filepath.Join(p.Dir, name)
		if want[path] {
			continue
		}
		old, err := os.ReadFile(path)
		if err != nil || !IsGenerated(old) {
			continue
		}
		// A generated test file belongs to the package's test variant, which
		// is a separate result: only remove it when its source is gone or
		// holds no async functions.
		if !sourceGone(path) {
			continue
		}
		out = append(out, change{path: path, old: old, exists: true})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// orphans returns the packages matching patterns that only a default build
// sees: packages whose async sources are all gone, so that a corosrc build
// has no file of theirs and Generate does not list them, while their old
// generated files still build. changes finds those files to remove.
func orphans(tags, patterns []string, loaded []transform.Package) ([]transform.Package, error) {
	lc := &packages.Config{Mode: packages.NeedName | packages.NeedFiles, Tests: true}
	if len(tags) > 0 {
		lc.BuildFlags = []string{"-tags=" + strings.Join(tags, ",")}
	}
	pkgs, err := packages.Load(lc, patterns...)
	if err != nil {
		return nil, err
	}
	dirs := map[string]bool{}
	for _, p := range loaded {
		dirs[p.Dir] = true
	}
	var out []transform.Package
	for _, p := range pkgs {
		for _, f := range append(p.GoFiles, p.IgnoredFiles...) {
			dir := filepath.Dir(f)
			if dirs[dir] {
				continue
			}
			dirs[dir] = true
			out = append(out, transform.Package{Path: p.PkgPath, Dir: dir})
		}
	}
	return out, nil
}

// sourceGone reports whether the source of a generated file is missing or
// holds no async functions.
func sourceGone(generated string) bool {
	src := strings.Replace(generated, "_coro_test.go", "_test.go", 1)
	if src == generated {
		src = strings.TrimSuffix(generated, "_coro.go") + ".go"
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return true
	}
	return !bytes.Contains(b, []byte(asyncfn.Directive))
}

// IsGenerated reports whether content carries corogen's header line.
func IsGenerated(content []byte) bool {
	first, _, _ := bytes.Cut(content, []byte("\n"))
	return string(first) == "// "+transform.Header
}

// apply writes (or removes) the file, safely: never a file corogen did not
// generate, never outside the package's directory (no symlink out of it),
// and atomically (a temporary file renamed into place).
func (c change) apply(dir string) error {
	if err := inside(dir, c.path); err != nil {
		return err
	}
	if c.exists {
		if fi, err := os.Lstat(c.path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link; corogen writes only regular files in the package's directory", rel(c.path))
		}
		if !IsGenerated(c.old) {
			return fmt.Errorf("%s exists and was not generated by corogen (no %q header); rename it, corogen will not overwrite it", rel(c.path), "// "+transform.Header)
		}
	}
	if c.new == nil {
		return os.Remove(c.path)
	}
	return writeAtomic(c.path, c.new)
}

// writeAtomic replaces path with content through a temporary file in the
// same directory, so that an interrupted run leaves the old file or the new.
func writeAtomic(path string, content []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".corogen-*.tmp")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(content)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// inside checks that path is a direct child of dir once symbolic links in
// dir are resolved.
func inside(dir, path string) error {
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	realParent, err := filepath.EvalSymlinks(filepath.Dir(path))
	if err != nil {
		return err
	}
	if realDir != realParent {
		return fmt.Errorf("%s is not in the package directory %s; corogen writes only there", rel(path), rel(dir))
	}
	return nil
}

func rel(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if r, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}
