package analyzer

import (
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestAnalyzerIsValid(t *testing.T) {
	if err := analysis.Validate([]*analysis.Analyzer{Analyzer}); err != nil {
		t.Fatal(err)
	}
	if want := "check async functions"; len(Analyzer.Doc) < 100 || Analyzer.Doc[:len(want)] != want {
		t.Errorf("Doc = %.60q..., want the summary of doc.go's section", Analyzer.Doc)
	}
}

func TestParseFuncKey(t *testing.T) {
	for in, want := range map[string]string{
		"time.Sleep":                      "time.Sleep",
		"net/http.Client.Do":              "net/http.Client.Do",
		"(*net/http.Client).Do":           "net/http.Client.Do",
		"(example.com/x.T).M":             "example.com/x.T.M",
		"gopkg.in/yaml.v3.Decoder.Decode": "gopkg.in/yaml.v3.Decoder.Decode",
	} {
		if got, err := parseFuncKey(in); err != nil || got != want {
			t.Errorf("parseFuncKey(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"Sleep", "time.", "example.com/x", "(*x.T", "a..b"} {
		if got, err := parseFuncKey(in); err == nil {
			t.Errorf("parseFuncKey(%q) = %q, want an error", in, got)
		}
	}
	l := funcList{}
	if err := l.Set("time.Sleep, (*os.File).Read,"); err != nil || l.String() != "os.File.Read,time.Sleep" {
		t.Errorf("funcList after Set = %q, %v", l.String(), err)
	}
}

// TestFuncKey checks the keys of functions and methods (by pointer or
// value receiver, and promoted) against the list's spelling, on the types
// of a fake net/http.
func TestFuncKey(t *testing.T) {
	http := types.NewPackage("net/http", "http")
	client := types.NewNamed(types.NewTypeName(token.NoPos, http, "Client", nil), types.NewStruct(nil, nil), nil)
	do := types.NewFunc(token.NoPos, http, "Do", types.NewSignatureType(
		types.NewVar(token.NoPos, http, "c", types.NewPointer(client)), nil, nil, nil, nil, false))
	client.AddMethod(do)
	get := types.NewFunc(token.NoPos, http, "Get", types.NewSignatureType(nil, nil, nil, nil, nil, false))
	for fn, want := range map[*types.Func]string{do: "net/http.Client.Do", get: "net/http.Get"} {
		if got := funcKey(fn); got != want {
			t.Errorf("funcKey(%v) = %q, want %q", fn, got, want)
		}
		if _, ok := blockingFuncs[want]; !ok {
			t.Errorf("%s is not in the list of blocking functions", want)
		}
	}
	if got := displayName(do); got != "http.Client.Do" {
		t.Errorf("displayName = %q", got)
	}
}
