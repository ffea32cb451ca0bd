// Command corovet runs the coroasync analyzer (package
// github.com/corogen/corogen/analyzer, where the checks are documented) on
// Go packages:
//
//	corovet [-tags corosrc] [-blocking=pkg.Func,...] [-generated=false] [-fix] packages
//	go vet [-tags corosrc] -vettool=$(which corovet) packages
//
// Run it with -tags corosrc to check the sources of async functions and
// that their generated files are up to date, and without it to check the
// default build. It exits with status 3 when it reports something.
package main

import (
	"flag"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/corogen/corogen/analyzer"
)

func main() {
	// singlechecker's -tags flag has no effect: the go command, which
	// go/packages runs, reads build tags from GOFLAGS.
	if tags, ok := tagsFlag(os.Args[1:]); ok {
		os.Setenv("GOFLAGS", strings.TrimSpace(os.Getenv("GOFLAGS")+" -tags="+tags))
	}
	// The analyzer's flags under the names a multi-analyzer driver gives
	// them, too (-coroasync.blocking).
	analyzer.Analyzer.Flags.VisitAll(func(f *flag.Flag) {
		flag.Var(f.Value, analyzer.Analyzer.Name+"."+f.Name, "same as -"+f.Name)
	})
	singlechecker.Main(analyzer.Analyzer)
}

// tagsFlag returns the value of a -tags flag among the flags of args.
func tagsFlag(args []string) (string, bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name != "tags" {
			continue
		}
		if !hasValue && i+1 < len(args) {
			value = args[i+1]
		}
		return value, true
	}
	return "", false
}
