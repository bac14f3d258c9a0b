package markdown

import "strings"

// fence follows fenced code blocks line by line so that headings and
// "tags:" lines inside code are left alone. It is looser than CommonMark
// about indentation (a fence may be indented any amount, as inside list
// items) and the parser and writer share it, so they always agree on what
// is code.
type fence struct {
	char byte // '`' or '~' while inside a block, 0 outside
	n    int  // length of the opening run; the closer must be at least as long
	line int  // line number of the opener, for "never closed" errors
}

// open reports whether a fenced block is open.
func (f *fence) open() bool { return f.char != 0 }

// step feeds one line and reports whether it belongs to a fenced block
// (its opener, content or closer).
func (f *fence) step(line string, n int) bool {
	t := strings.TrimLeft(line, " \t")
	c, k := fenceRun(t)
	if f.char == 0 {
		if k < 3 || (c == '`' && strings.ContainsRune(t[k:], '`')) {
			return false
		}
		f.char, f.n, f.line = c, k, n
		return true
	}
	if c == f.char && k >= f.n && strings.TrimSpace(t[k:]) == "" {
		f.char = 0
	}
	return true
}

// closer is a line that closes the open block.
func (f *fence) closer() string { return strings.Repeat(string(f.char), f.n) }

// fenceRun returns the fence character t starts with and how many times it
// repeats, or 0, 0.
func fenceRun(t string) (byte, int) {
	if t == "" || (t[0] != '`' && t[0] != '~') {
		return 0, 0
	}
	c := t[0]
	k := 0
	for k < len(t) && t[k] == c {
		k++
	}
	return c, k
}
