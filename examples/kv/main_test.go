package main

import (
	"strings"
	"testing"
	"time"

	"github.com/corogen/corogen/internal/exampletest"
	"github.com/corogen/corogen/rt"
)

// 200 concurrent clients, then an idle one, under the virtual clock: the
// idle client is dropped after exactly the server's timeout, and nothing
// else takes virtual time.
func TestOutput(t *testing.T) {
	out, elapsed, err := exampletest.Run(t, func() rt.Coro[rt.Void] { return Main(200, 10, 30*time.Second) })
	want := `200 clients, 5800 replies checked, 1200 keys left
an idle client was told "BYE idle\n" after 30s
`
	if err != nil || out != want || elapsed != 30*time.Second {
		t.Fatalf("got %q after %v (%v), want %q after 30s", out, elapsed, err, want)
	}
}

func TestExec(t *testing.T) {
	st := NewStore(time.Second)
	for _, c := range []struct{ in, want string }{
		{"GET a\n", "NOT_FOUND\n"},
		{"SET a a b  c\n", "OK\n"},
		{"GET a\n", "VALUE a b  c\n"},
		{"LEN\n", "LEN 1\n"},
		{"DEL a\n", "DELETED\n"},
		{"DEL a\n", "NOT_FOUND\n"},
		{"\n", "ERROR empty command\n"},
		{"SET a\n", "ERROR bad command \"SET a\\n\"\n"},
		{"QUIT\n", "BYE\n"},
	} {
		got, quit := st.Exec([]byte(c.in))
		if string(got) != c.want || quit != strings.HasPrefix(c.in, "QUIT") {
			t.Errorf("%q: got %q, %v; want %q", c.in, got, quit, c.want)
		}
	}
	if got, _ := st.Exec(nil); string(got) != "ERROR line too long\n" {
		t.Errorf("an overlong line: %q", got)
	}
}
