package srcpos

import (
	"errors"
	"testing"
)

func TestErrorf(t *testing.T) {
	tests := []struct {
		file string
		line int
		msg  string
		want string
	}{
		{"a.md", 3, "bad\nthing\t here", "a.md:3: bad thing here"},
		{"", 1, "x", "<input>:1: x"},
	}
	for _, tt := range tests {
		if got := New(tt.file).Errorf(tt.line, "%s", tt.msg).Error(); got != tt.want {
			t.Errorf("%q line %d: %q, want %q", tt.file, tt.line, got, tt.want)
		}
	}
}

func TestIDsCheck(t *testing.T) {
	src := New("d.csv")
	ids := IDs{}
	steps := []struct {
		line      int
		deck, id  string
		fix, want string
	}{
		{1, "d", "x", "", ""},
		{2, "e", "x", "", ""}, // another deck
		{3, "d", "y", "", ""},
		{4, "d", "x", "", `d.csv:4: id "x" already used at line 1`},
		{5, "d", "y", "give one an {#id}", `d.csv:5: id "y" already used at line 3: the fronts are the same once case and punctuation are folded; give one an {#id}`},
	}
	for _, s := range steps {
		err := ids.Check(src, s.line, s.deck, s.id, s.fix)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != s.want {
			t.Errorf("line %d: %q, want %q", s.line, got, s.want)
		}
		if err != nil && !errors.Is(err, ErrDuplicateID) {
			t.Errorf("line %d: %v is not ErrDuplicateID", s.line, err)
		}
	}
}
