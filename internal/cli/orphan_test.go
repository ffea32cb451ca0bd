package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// When a package's last async source is deleted, its generated file would
// keep building in a default build: -check reports it and corogen removes
// it, although a corosrc build no longer sees the package at all.
func TestRemovesOrphanedGeneratedFile(t *testing.T) {
	dir := module(t, asyncSrc)
	if code, _, errs := run("./..."); code != ExitOK {
		t.Fatal(errs)
	}
	gen := filepath.Join(dir, "p", "p_coro.go")
	if _, err := os.Stat(gen); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "p", "p.go")); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run("-check", "./..."); code != ExitStale || !strings.Contains(out, "p_coro.go") {
		t.Fatalf("-check: %d %q %q", code, out, errs)
	}
	if code, _, errs := run("./..."); code != ExitOK {
		t.Fatal(errs)
	}
	if _, err := os.Stat(gen); !os.IsNotExist(err) {
		t.Fatal("orphaned generated file kept")
	}
}
