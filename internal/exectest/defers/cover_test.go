//go:build !corosrc

package defers

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Coverage of generated code is reported against the user's source: the
// statement that panics in Child (defers.go:101) is a covered block of
// defers.go, as in the source, and the profile names defers.go for the
// statements of the async functions' bodies.
func TestCoverageNamesTheSource(t *testing.T) {
	if testing.Short() || os.Getenv("COROGEN_COVER_CHILD") != "" {
		t.Skip("runs go test -cover on this package")
	}
	profile := filepath.Join(t.TempDir(), "cover.out")
	cmd := exec.Command("go", "test", "-count=1", "-run", "TestPanicStackNamesTheSource", "-coverprofile="+profile, ".")
	cmd.Env = append(os.Environ(), "COROGEN_COVER_CHILD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test -cover: %v\n%s", err, out)
	}
	b, err := os.ReadFile(profile)
	if err != nil {
		t.Fatal(err)
	}
	// Lines look like: path/defers.go:101.3,101.14 1 1
	covered := regexp.MustCompile(`(?m)/defers\.go:(\d+)\.\d+,(\d+)\.\d+ \d+ [1-9]\d*$`).FindAllStringSubmatch(string(b), -1)
	found := false
	for _, m := range covered {
		from, _ := strconv.Atoi(m[1])
		to, _ := strconv.Atoi(m[2])
		found = found || from <= 101 && 101 <= to
	}
	if !found {
		t.Fatalf("no covered block of defers.go spans line 101:\n%s", strings.Join(grep(string(b), "defers.go:"), "\n"))
	}
}

func grep(s, sub string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return out
}
