package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeAtomic replaces the file by a rename, never by writing into it: a
// hard link to the old file keeps the old content whole, and no temporary
// file is left behind.
func TestWriteAtomicReplacesByRename(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x_coro.go")
	if err := os.WriteFile(path, []byte("old content"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Link(path, link); err != nil {
		t.Skip("no hard links here:", err)
	}
	if err := writeAtomic(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(link); string(b) != "old content" {
		t.Errorf("the old file was written in place: %q", b)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("new content %q", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the old file's 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("left in the directory: %v", entries)
	}
}

// A failed rename leaves the old file and no temporary file: here the
// target is a directory, which a file cannot replace.
func TestWriteAtomicFailureKeepsTheOld(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x_coro.go")
	if err := os.MkdirAll(filepath.Join(path, "inner"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(path, []byte("new")); err == nil {
		t.Fatal("writeAtomic over a directory succeeded")
	}
	if fi, err := os.Stat(filepath.Join(path, "inner")); err != nil || !fi.IsDir() {
		t.Errorf("the old target is gone: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left in the directory: %v", entries)
	}
}

// A package directory reached through a symbolic link is fine, but a file
// whose directory resolves elsewhere is refused, even with the header.
func TestApplyStaysInThePackageDirectory(t *testing.T) {
	root := t.TempDir()
	pkg, elsewhere := filepath.Join(root, "pkg"), filepath.Join(root, "elsewhere")
	for _, d := range []string{pkg, elsewhere} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(elsewhere, filepath.Join(pkg, "sub")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	ch := change{path: filepath.Join(pkg, "sub", "x_coro.go"), new: []byte("x")}
	if err := ch.apply(pkg); err == nil || !strings.Contains(err.Error(), "not in the package directory") {
		t.Fatalf("apply outside the package: %v", err)
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "x_coro.go")); !os.IsNotExist(err) {
		t.Fatal("a file was written outside the package directory")
	}
	link := filepath.Join(root, "linked")
	if err := os.Symlink(pkg, link); err != nil {
		t.Fatal(err)
	}
	ch = change{path: filepath.Join(link, "x_coro.go"), new: []byte("x")}
	if err := ch.apply(link); err != nil {
		t.Fatalf("apply in a package reached through a link: %v", err)
	}
}

// Exit statuses for input that cannot be loaded, and for code with a lint
// finding (corovet's business, not corogen's): 2 and 0.
func TestExitStatusOfBadInput(t *testing.T) {
	typeError := strings.Replace(asyncSrc, "return n + 1", `return n + "1"`, 1)
	syntaxError := strings.Replace(asyncSrc, "return n + 1", "return n +", 1)
	lint := strings.Replace(asyncSrc, "rt.Await(rt.Sleep(0))", "rt.Await(rt.Sleep(0))\n\t\ttime.Sleep(1)", 1)
	lint = strings.Replace(lint, `import "github.com/corogen/corogen/rt"`, "import (\n\t\"time\"\n\n\t\"github.com/corogen/corogen/rt\"\n)", 1)
	for _, c := range []struct {
		name, src string
		args      []string
		want      int
	}{
		{"type error", typeError, []string{"./..."}, ExitError},
		{"syntax error", syntaxError, []string{"./..."}, ExitError},
		{"no such package", asyncSrc, []string{"./nosuch"}, ExitError},
		{"a blocking call (a lint finding)", lint, []string{"./..."}, ExitOK},
		{"the default pattern", asyncSrc, nil, ExitOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := module(t, c.src)
			if c.args == nil {
				t.Chdir(filepath.Join(dir, "p"))
			}
			code, _, errs := run(c.args...)
			if code != c.want {
				t.Fatalf("exit %d, want %d: %s", code, c.want, errs)
			}
			_, err := os.Stat(filepath.Join(dir, "p", "p_coro.go"))
			if wrote := err == nil; wrote != (c.want == ExitOK) {
				t.Fatalf("generated file written: %v, with exit %d", wrote, code)
			}
		})
	}
}
