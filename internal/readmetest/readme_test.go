// Package readmetest runs the README's instructions for using corogen from
// another module: the tool installation, generation, go generate and the
// CI snippet, in a fresh module that requires this repository through a
// replace directive.
package readmetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const source = `//go:build corosrc

package app

import (
	"time"

	"github.com/corogen/corogen/rt"
)

//go:generate go tool corogen

//coro:async
func Nap(d time.Duration) rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(rt.Sleep(d))
		return 1
	})
}
`

// readmeLines returns the lines of the README's fenced blocks of the given
// language that start with prefix (after indentation), in order.
func readmeLines(t *testing.T, readme, lang, prefix string) []string {
	t.Helper()
	blocks := regexp.MustCompile("(?s)```"+lang+"\n(.*?)```").FindAllStringSubmatch(readme, -1)
	var out []string
	for _, b := range blocks {
		for _, l := range strings.Split(b[1], "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, prefix) {
				out = append(out, l)
			}
		}
	}
	return out
}

func TestToolWorkflow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds corogen and corovet in a fresh module")
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(repo, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	install := readmeLines(t, string(readme), "sh", "go get -tool ")
	generate := readmeLines(t, string(readme), "sh", "go tool corogen ")
	ci := readmeLines(t, string(readme), "yaml", "go tool ")
	if len(install) != 1 || len(generate) != 1 || len(ci) != 3 {
		t.Fatalf("README: install %q, generate %q, CI %q; want one, one and three lines", install, generate, ci)
	}

	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/user\n\ngo 1.26\n\nrequire github.com/corogen/corogen v0.0.0\n\nreplace github.com/corogen/corogen => "+repo+"\n")
	write("app/app.go", source)
	// Everything comes from the module cache, filled by building this test.
	env := append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off")
	run := func(line string) string {
		t.Helper()
		args := strings.Fields(line)
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
		return string(out)
	}
	run(install[0])
	run(generate[0])
	if _, err := os.Stat(filepath.Join(dir, "app", "app_coro.go")); err != nil {
		t.Fatalf("%s wrote no app_coro.go: %v", generate[0], err)
	}
	for _, line := range ci {
		run(line)
	}
	// With the generated file in place, go generate finds the directive.
	os.Remove(filepath.Join(dir, "app", "app_coro.go"))
	run("go generate -tags corosrc ./...")
	run("go generate ./...")
	run("go tool corogen -check ./...")
	run("go build ./...")
}
