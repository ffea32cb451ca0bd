//go:build corosrc

package rt

import "testing"

func TestRefCoroName(t *testing.T) {
	for fn, want := range map[string]string{
		"github.com/x/fetch.FetchData":                     "fetch.FetchData",
		"github.com/x/fetch.FetchData.func1":               "fetch.FetchData",
		"github.com/x/fetch.FetchData.func1.2":             "fetch.FetchData",
		"github.com/x/fetch.Main.func1.gowrap1":            "fetch.Main",
		"github.com/x/fetch.(*Server).Serve.func3":         "fetch.(*Server).Serve",
		"github.com/x/fetch.Server.Ping":                   "fetch.Server.Ping",
		"github.com/x/fetch.(*Box[...]).Get.func1":         "fetch.(*Box).Get",
		"github.com/x/fetch.Identity[...]":                 "fetch.Identity",
		"github.com/x/fetch.Identity[...].func1":           "fetch.Identity",
		"github.com/x/fetch.Walk-range1":                   "fetch.Walk",
		"github.com/x/fetch.Walk.func1-range2":             "fetch.Walk",
		"gopkg.in/yaml%2ev3.Load":                          "yaml.v3.Load",
		"main.main.func1":                                  "main.main",
		"example.com/a/b.F[go.shape.int].func1.deferwrap1": "b.F",
		"": "<unknown>",
	} {
		if got := coroName(fn); got != want {
			t.Errorf("coroName(%q) = %q, want %q", fn, got, want)
		}
	}
}
