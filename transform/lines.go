package transform

import (
	"bytes"
	"regexp"
	"strconv"

	"github.com/dave/jennifer/jen"
)

// Generated code is positioned with /*line*/ directives: every user
// statement carries its source position, so that panics, stack traces and
// coverage name the user's file and line. The code the generator adds around
// the user's statements inside a body (storing state, checking an await's
// outcome) stays positioned in the user's file, just after the statement it
// serves: a coverage block then never straddles two files. Between
// declarations, positions return to the generated file itself, at its own
// line numbers, which are only known once the file is formatted: the
// emitter writes a placeholder directive (resetMark) before each
// declaration, and fixLines replaces the placeholders after formatting.
const resetMark = "/*line __corogen__:1*/"

// userLine marks a statement that carries its own source position.
type userLine struct{ jen.Code }

// labelLine marks a label.
type labelLine struct{ jen.Code }

// position unwraps the marks of a body's lines.
func position(items []jen.Code) []jen.Code {
	out := make([]jen.Code, len(items))
	for i, it := range items {
		switch it := it.(type) {
		case userLine:
			out[i] = it.Code
		case labelLine:
			out[i] = it.Code
		default:
			out[i] = it
		}
	}
	return out
}

var lineDirective = regexp.MustCompile(`/\*line [^*]*\*/`)

// fixLines replaces the placeholders in formatted source: where the code
// before was positioned in the user's file, by a directive naming the
// generated file at its own line and column; where it was not, the
// placeholder goes (a placeholder alone on its line goes with the blank
// line that follows it).
func fixLines(src []byte, name string) []byte {
	lines := bytes.Split(src, []byte("\n"))
	var out [][]byte
	user := false
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		var b []byte
		rest := line
		for {
			loc := lineDirective.FindIndex(rest)
			if loc == nil {
				b = append(b, rest...)
				break
			}
			b = append(b, rest[:loc[0]]...)
			d := rest[loc[0]:loc[1]]
			rest = rest[loc[1]:]
			if string(d) != resetMark {
				user = true
				b = append(b, d...)
				continue
			}
			if !user {
				rest = bytes.TrimPrefix(rest, []byte(" "))
				continue
			}
			user = false
			// The directive positions the character after it: its column
			// depends on the directive's own length.
			col := len(b) + 1
			for {
				d = []byte("/*line " + name + ":" + strconv.Itoa(len(out)+1) + ":" + strconv.Itoa(col) + "*/")
				if next := len(b) + len(d) + 1; next != col {
					col = next
					continue
				}
				break
			}
			b = append(b, d...)
		}
		if len(bytes.TrimSpace(b)) == 0 && len(bytes.TrimSpace(line)) > 0 {
			// A placeholder alone on its line, dropped: drop the blank line after it too.
			if i+1 < len(lines) && len(bytes.TrimSpace(lines[i+1])) == 0 {
				i++
			}
			continue
		}
		out = append(out, b)
	}
	return bytes.Join(out, []byte("\n"))
}
