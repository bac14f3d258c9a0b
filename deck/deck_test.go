package deck

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	card := func(id, parent string) Card {
		return Card{ID: id, Deck: "d", Kind: KindBasic, Front: "front of " + id, Parent: parent}
	}
	tests := []struct {
		name  string
		cards []Card
		want  string // "" means valid
	}{
		{"plain", []Card{card("a", ""), card("b", "a")}, ""},
		{"duplicate id", []Card{card("a", ""), card("a", "")}, `id "a" already used`},
		{"same id, other deck", []Card{card("a", ""), {ID: "a", Deck: "e", Kind: KindBasic, Front: "x"}}, ""},
		{"empty front", []Card{{ID: "a", Deck: "d", Kind: KindBasic, Front: " \n"}}, "empty front"},
		{"unknown kind", []Card{{ID: "a", Deck: "d", Kind: "riddle", Front: "x"}}, `unknown kind "riddle"`},
		{"space in id", []Card{card("a b", "")}, "has a space"},
		{"missing parent", []Card{card("b", "a")}, `parent "a" is not in deck "d"`},
		{"own parent", []Card{card("a", "a")}, "is its own parent"},
		{"nested follow-up", []Card{card("a", ""), card("b", "a"), card("c", "b")}, "follow-ups nest one level"},
		{"bad deck", []Card{{ID: "a", Deck: "", Kind: KindBasic, Front: "x"}}, "empty deck name"},
		{"front at the limit", []Card{{ID: "a", Deck: "d", Kind: KindBasic, Front: strings.Repeat("x", MaxFieldSize)}}, ""},
		{"front over the limit", []Card{{ID: "a", Deck: "d", Kind: KindBasic, Front: strings.Repeat("x", MaxFieldSize+1)}}, "the front is 1048577 bytes, larger than 1048576"},
		{"answer over the limit", []Card{{ID: "a", Deck: "d", Kind: KindBasic, Front: "x", Back: strings.Repeat("x", MaxFieldSize+1)}}, "the answer is 1048577 bytes"},
	}
	for _, tt := range tests {
		d := &Deck{Name: "d", Cards: tt.cards}
		err := d.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	d0 := &Deck{Name: "d", Cards: []Card{card("a", ""), card("a", "")}}
	if err := d0.Validate(); !errors.Is(err, ErrDuplicateID) {
		t.Errorf("duplicate: %v is not ErrDuplicateID", err)
	}
	// Errors name the card by its source when it has one.
	d := &Deck{Name: "d", Cards: []Card{{ID: "a", Deck: "d", Kind: KindBasic, Front: "", Source: "f.md:7"}}}
	if err := d.Validate(); err == nil || !strings.HasPrefix(err.Error(), "f.md:7: ") {
		t.Errorf("error %v does not start with the source", err)
	}
}

func TestDeriveIDFolds(t *testing.T) {
	same := []string{"What is a goroutine?", "what is a  goroutine", "“What” is a goroutine!", "What\nis a goroutine ?"}
	for _, s := range same[1:] {
		if DeriveID(s) != DeriveID(same[0]) {
			t.Errorf("%q and %q get different IDs", s, same[0])
		}
	}
	if DeriveID("What is a goroutine?") == DeriveID("What is a channel?") {
		t.Error("different fronts share an ID")
	}
	if err := ValidateID(DeriveID("x")); err != nil {
		t.Errorf("derived ID invalid: %v", err)
	}
}

func TestKey(t *testing.T) {
	for _, c := range [][2]string{{"d", "a"}, {"k8s::deep", "x/y"}, {"d", ""}} {
		if dk, id := SplitKey(Key(c[0], c[1])); dk != c[0] || id != c[1] {
			t.Errorf("SplitKey(Key(%q, %q)) = %q, %q", c[0], c[1], dk, id)
		}
	}
	if (Card{Deck: "d", ID: "a"}).Key() != Key("d", "a") {
		t.Error("Card.Key differs from Key")
	}
}

func TestAppendTags(t *testing.T) {
	if got := AppendTags([]string{"a", "b"}, "b", "", "c", "a", "d"); !slices.Equal(got, []string{"a", "b", "c", "d"}) {
		t.Errorf("got %q", got)
	}
	var many []string
	for i := range 100 {
		many = append(many, string(rune('a'+i%40)))
	}
	if got := AppendTags(nil, many...); len(got) != 40 {
		t.Errorf("long list: %d tags, want 40", len(got))
	}
}

func TestStripControls(t *testing.T) {
	if got := StripControls("a\x00b\tc\nd\x7fe\x1b"); got != "ab\tc\nde" {
		t.Errorf("got %q", got)
	}
}

func TestDeckName(t *testing.T) {
	tests := []struct {
		opt      ParseOptions
		fromFile string
		want     string
	}{
		{ParseOptions{File: "/x/kubernetes.md"}, "", "kubernetes"},
		{ParseOptions{File: "/x/kubernetes.md"}, "k8s", "k8s"},
		{ParseOptions{File: "/x/kubernetes.md", Deck: "mine"}, "k8s", "mine"},
		{ParseOptions{File: "-"}, "", "default"},
		{ParseOptions{}, "", "default"},
	}
	for _, tt := range tests {
		if got := tt.opt.DeckName(tt.fromFile); got != tt.want {
			t.Errorf("%+v, %q: %q, want %q", tt.opt, tt.fromFile, got, tt.want)
		}
	}
}

func TestDefaultDeckName(t *testing.T) {
	tests := map[string]string{
		"/x/kubernetes.md":   "kubernetes",
		"cards.csv":          "cards",
		"archive.tar.gz":     "archive.tar",
		"noext":              "noext",
		".hidden":            "default",
		"":                   "default",
		"-":                  "default",
		"/":                  "default",
		"dir/My Deck.txt":    "My Deck",
		"/x/spanish.2024.md": "spanish.2024",
	}
	for in, want := range tests {
		if got := DefaultDeckName(in); got != want {
			t.Errorf("DefaultDeckName(%q) = %q, want %q", in, got, want)
		}
	}
}
