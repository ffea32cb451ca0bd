package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/corogen/corogen/internal/asyncfn"
)

// addBuildTag returns src with corosrc added to its //go:build line (or a
// new line), or ok=false if it already requires corosrc.
func addBuildTag(src []byte) (out []byte, ok bool, err error) {
	start, end, text, ok, err := asyncfn.BuildTagEdit(src)
	if !ok || err != nil {
		return src, ok, err
	}
	return append(append(append([]byte{}, src[:start]...), text...), src[end:]...), true, nil
}

// fixTags applies addBuildTag to every file of the packages that has the
// async directive.
func fixTags(tags []string, patterns []string, stdout, stderr io.Writer, verbose bool) int {
	lc := &packages.Config{Mode: packages.NeedName | packages.NeedFiles, Tests: true,
		BuildFlags: []string{"-tags=" + strings.Join(append([]string{asyncfn.BuildTag}, tags...), ",")}}
	pkgs, err := packages.Load(lc, patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "corogen: %v\n", err)
		return ExitError
	}
	seen := map[string]bool{}
	status := ExitOK
	for _, p := range pkgs {
		for _, path := range p.GoFiles {
			if seen[path] || strings.HasSuffix(path, "_coro.go") || strings.HasSuffix(path, "_coro_test.go") {
				continue
			}
			seen[path] = true
			src, err := os.ReadFile(path)
			if err != nil || !bytes.Contains(src, []byte("\n"+asyncfn.Directive)) {
				continue
			}
			out, changed, err := addBuildTag(src)
			if err != nil {
				fmt.Fprintf(stderr, "corogen: -fix %s: %v\n", rel(path), err)
				status = ExitError
				continue
			}
			if !changed {
				continue
			}
			if err := writeAtomic(path, out); err != nil {
				fmt.Fprintf(stderr, "corogen: -fix: %v\n", err)
				status = ExitError
				continue
			}
			if verbose {
				fmt.Fprintf(stdout, "%s: added //go:build %s\n", rel(path), asyncfn.BuildTag)
			}
		}
	}
	return status
}
