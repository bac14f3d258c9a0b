package markdown

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/deck/decktest"
)

func mdParse(t *testing.T, file, src string) *deck.Deck {
	t.Helper()
	d, err := Parse(strings.NewReader(src), deck.ParseOptions{File: file})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return d
}

func TestParseMarkdownExample(t *testing.T) {
	b, err := os.ReadFile("testdata/md/kubernetes.md")
	if err != nil {
		t.Fatal(err)
	}
	d := mdParse(t, "kubernetes.md", string(b))
	if d.Name != "kubernetes" || d.Source != "kubernetes.md" {
		t.Errorf("deck = %q from %q", d.Name, d.Source)
	}
	want := []deck.Card{{
		ID:     "oom",
		Deck:   "kubernetes",
		Kind:   deck.KindBasic,
		Front:  "What happens when a container exceeds its memory limit?",
		Back:   "The kernel OOM-kills it; the kubelet restarts it per restartPolicy.",
		Tags:   []string{"platform", "k8s", "memory"},
		Source: "kubernetes.md:5",
	}, {
		ID:     deck.DeriveID("How do you find which container was killed?"),
		Deck:   "kubernetes",
		Kind:   deck.KindFollowUp,
		Front:  "How do you find which container was killed?",
		Back:   "`kubectl describe pod`: lastState.terminated.reason = OOMKilled.",
		Tags:   []string{"platform", "k8s"},
		Parent: "oom",
		Source: "kubernetes.md:10",
	}}
	if !reflect.DeepEqual(d.Cards, want) {
		t.Errorf("cards:\n got %+v\nwant %+v", d.Cards, want)
	}
}

func TestParseMarkdownFences(t *testing.T) {
	b, err := os.ReadFile("testdata/md/fences.md")
	if err != nil {
		t.Fatal(err)
	}
	d := mdParse(t, "fences.md", string(b))
	if len(d.Cards) != 3 {
		t.Fatalf("got %d cards, want 3: %+v", len(d.Cards), d.Cards)
	}
	heredoc := d.Cards[0]
	for _, s := range []string{"## not a card", "tags: not, tags", "### Follow-up: not a follow-up either"} {
		if !strings.Contains(heredoc.Back, s) {
			t.Errorf("back lost %q inside a fence:\n%s", s, heredoc.Back)
		}
	}
	if !reflect.DeepEqual(heredoc.Tags, []string{"bash", "quoting"}) {
		t.Errorf("tags = %q, want the ones after the fences", heredoc.Tags)
	}
	if !strings.HasSuffix(heredoc.Back, "~~~") {
		t.Errorf("back should end with the closing fence, the tags line removed:\n%s", heredoc.Back)
	}
	strict := d.Cards[1]
	if !strings.Contains(strict.Back, "#### Caveat\n`-e` is ignored") {
		t.Errorf("a #### heading is body text:\n%s", strict.Back)
	}
	fu := d.Cards[2]
	if fu.ID != "strict-mode-functions" || fu.Parent != "strict-mode" || fu.Kind != deck.KindProbe {
		t.Errorf("follow-up = %+v", fu)
	}
	if len(d.Warnings) != 0 {
		t.Errorf("a # title before the first card should not warn: %q", d.Warnings)
	}
}

func TestParseMarkdownFrontMatter(t *testing.T) {
	const card = "## Q {#q}\nA\n"
	tests := []struct {
		name, file, deckOpt, src string
		deck                     string
		tags                     []string
		kind                     deck.Kind
	}{
		{"none", "/x/kubernetes.md", "", card, "kubernetes", []string{}, deck.KindBasic},
		{"deck only", "a.md", "", "---\ndeck: ops\n---\n" + card, "ops", []string{}, deck.KindBasic},
		{"quoted deck", "a.md", "", "---\ndeck: \"system design\"\n---\n" + card, "system design", []string{}, deck.KindBasic},
		{"single-quoted deck", "a.md", "", "---\ndeck: 'Go::Concurrency'\n---\n" + card, "Go::Concurrency", []string{}, deck.KindBasic},
		{"flow tags", "a.md", "", "---\ntags: [a, b]\n---\n" + card, "a", []string{"a", "b"}, deck.KindBasic},
		{"bare tags", "a.md", "", "---\ntags: a, b c\n---\n" + card, "a", []string{"a", "b", "c"}, deck.KindBasic},
		{"list tags", "a.md", "", "---\ntags:\n  - a\n  - \"b\"\n- a\n---\n" + card, "a", []string{"a", "b"}, deck.KindBasic},
		{"kind", "a.md", "", "---\nkind: question\n---\n" + card, "a", []string{}, deck.KindQuestion},
		{"comments and blanks", "a.md", "", "---\n# a comment\n\nDeck: x\n---\n" + card, "x", []string{}, deck.KindBasic},
		{"yaml end marker", "a.md", "", "---\ndeck: x\n...\n" + card, "x", []string{}, deck.KindBasic},
		{"override", "a.md", "cli", "---\ndeck: x\n---\n" + card, "cli", []string{}, deck.KindBasic},
		{"empty", "b.md", "", "---\n---\n" + card, "b", []string{}, deck.KindBasic},
		{"bom and crlf", "a.md", "", "\uFEFF---\r\ndeck: x\r\ntags: [t]\r\n---\r\n## Q {#q}\r\nA\r\n", "x", []string{"t"}, deck.KindBasic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse(strings.NewReader(tt.src), deck.ParseOptions{File: tt.file, Deck: tt.deckOpt})
			if err != nil {
				t.Fatal(err)
			}
			if d.Name != tt.deck || len(d.Cards) != 1 {
				t.Fatalf("deck %q with %d cards, want %q with 1", d.Name, len(d.Cards), tt.deck)
			}
			c := d.Cards[0]
			if c.Deck != tt.deck || !reflect.DeepEqual(c.Tags, tt.tags) || c.Kind != tt.kind || c.Back != "A" {
				t.Errorf("card = %+v, want deck %q tags %q kind %q", c, tt.deck, tt.tags, tt.kind)
			}
		})
	}
}

func TestParseMarkdownCards(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []deck.Card // Deck "t", Source omitted: filled in below
	}{
		{"explicit and derived ids",
			"## First {#one}\nA\n## Second\nB\n",
			[]deck.Card{{ID: "one", Front: "First", Back: "A"}, {ID: deck.DeriveID("Second"), Front: "Second", Back: "B"}}},
		{"id must be the last word",
			"## Use {#id} in Pandoc headings\n",
			[]deck.Card{{ID: deck.DeriveID("Use {#id} in Pandoc headings"), Front: "Use {#id} in Pandoc headings"}}},
		{"braces and hashes in a front",
			"## What does C# `{}` mean? {#c-sharp}\n## x{#y}\n",
			[]deck.Card{{ID: "c-sharp", Front: "What does C# `{}` mean?"}, {ID: deck.DeriveID("x{#y}"), Front: "x{#y}"}}},
		{"follow-ups hang off the ## above",
			"## P {#p}\n### Follow-up: F1\n### follow-up: F2 {#f2}\n## Q {#q}\n### Follow-up: F3\n",
			[]deck.Card{
				{ID: "p", Front: "P"},
				{ID: deck.DeriveID("F1"), Front: "F1", Parent: "p", Kind: deck.KindFollowUp},
				{ID: "f2", Front: "F2", Parent: "p", Kind: deck.KindFollowUp},
				{ID: "q", Front: "Q"},
				{ID: deck.DeriveID("F3"), Front: "F3", Parent: "q", Kind: deck.KindFollowUp},
			}},
		{"other ### and #### headings are body",
			"## Q {#q}\n### Notes\n#### More\n#not a heading\n##not either\n",
			[]deck.Card{{ID: "q", Front: "Q", Back: "### Notes\n#### More\n#not a heading\n##not either"}}},
		{"back trimmed of blank lines, indentation kept",
			"## Q {#q}\n\n\n    indented code\n\ntext  \n\n\n",
			[]deck.Card{{ID: "q", Front: "Q", Back: "    indented code\n\ntext  "}}},
		{"metadata lines at the end",
			"## Q {#q}\nA\ntags: a, b\ntags: c\nkind: prompt\n",
			[]deck.Card{{ID: "q", Front: "Q", Back: "A", Tags: []string{"a", "b", "c"}, Kind: deck.KindPrompt}}},
		{"metadata before a blank line is back",
			"## Q {#q}\nA\ntags: not\n\ntags: yes\n",
			[]deck.Card{{ID: "q", Front: "Q", Back: "A\ntags: not", Tags: []string{"yes"}}}},
		{"metadata only at the end",
			"## Q {#q}\ntags: early\nA\n",
			[]deck.Card{{ID: "q", Front: "Q", Back: "tags: early\nA"}}},
		{"unknown kind is prose",
			"## Q {#q}\nkind: of, it depends\n",
			[]deck.Card{{ID: "q", Front: "Q", Back: "kind: of, it depends"}}},
		{"empty tags line",
			"## Q {#q}\nA\ntags:\n",
			[]deck.Card{{ID: "q", Front: "Q", Back: "A"}}},
		{"follow-up with its own kind",
			"## Q {#q}\n### Follow-up: F {#f}\nkind: probe\n",
			[]deck.Card{{ID: "q", Front: "Q"}, {ID: "f", Front: "F", Parent: "q", Kind: deck.KindProbe}}},
		{"repeated tags collapse",
			"---\ntags: [a]\n---\n## Q {#q}\ntags: b, a, b\n",
			[]deck.Card{{ID: "q", Front: "Q", Tags: []string{"a", "b"}}}},
		{"tabs after the marks",
			"##\tQ\t{#q}\n",
			[]deck.Card{{ID: "q", Front: "Q"}}},
		{"no cards", "just prose\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mdParse(t, "t.md", tt.src)
			var got []deck.Card
			for _, c := range d.Cards {
				c.Source = ""
				got = append(got, c)
			}
			for i := range tt.want {
				w := &tt.want[i]
				w.Deck = "t"
				if w.Kind == "" {
					w.Kind = deck.KindBasic
				}
				if w.Tags == nil {
					w.Tags = []string{}
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("cards:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseMarkdownSources(t *testing.T) {
	d := mdParse(t, "dir/s.md", "---\ndeck: s\n---\n\n## A\n\n### Follow-up: B\n")
	if got := []string{d.Cards[0].Source, d.Cards[1].Source}; !reflect.DeepEqual(got, []string{"dir/s.md:5", "dir/s.md:7"}) {
		t.Errorf("sources = %q", got)
	}
	d = mdParse(t, "", "## A\n")
	if d.Cards[0].Source != "<input>:1" || d.Name != "default" {
		t.Errorf("unnamed input: source %q, deck %q", d.Cards[0].Source, d.Name)
	}
}

func TestParseMarkdownWarnsAboutPreamble(t *testing.T) {
	d := mdParse(t, "p.md", "# Title\n\nSome intro.\nMore.\n## Q\n")
	if len(d.Warnings) != 1 || !strings.HasPrefix(d.Warnings[0], "p.md:3: ") {
		t.Errorf("warnings = %q, want one at p.md:3", d.Warnings)
	}
}

func TestParseMarkdownErrors(t *testing.T) {
	long := strings.Repeat("x", deck.MaxIDLen+1)
	tests := []struct {
		name, src, want string
	}{
		{"follow-up before any card", "intro\n\n### Follow-up: F\n", "f.md:3: follow-up before any ## card"},
		{"bad id", "## A {#a}\n## B {#" + long + "}\n", "f.md:2: bad id: "},
		{"bad id no-break space", "## A {#a\u00a0b}\n", "f.md:1: bad id: "},
		{"empty id", "## A {#}\n", "f.md:1: bad id: empty card id"},
		{"duplicate id", "## A {#x}\n\n## B {#x}\n", `f.md:3: id "x" already used at line 1`},
		{"duplicate derived id", "## Same?\n## same\n", "f.md:2: id "},
		{"follow-up ids collide", "## P\n### Follow-up: Why?\n## Q\n### Follow-up: why\n", "f.md:4: id "},
		{"unknown front matter key", "---\ndeck: x\ncolor: red\n---\n## Q\n", `f.md:3: unknown front matter key "color"`},
		{"unterminated front matter", "---\ndeck: x\n## Q\n", "f.md:1: front matter has no closing --- line"},
		{"invalid utf-8", "## Q\nok\nbad \xff byte\n", "f.md:3: invalid UTF-8"},
		{"invalid utf-8 in front matter", "---\ndeck: \xc3\n---\n", "f.md:2: invalid UTF-8"},
		{"empty front", "## A\n## {#b}\n", "f.md:2: empty front"},
		{"empty heading", "## A\n##\n", "f.md:2: empty front"},
		{"unclosed fence", "## A\n```go\n## B\n", "f.md:2: code fence opened here is never closed"},
		{"bad kind", "---\nkind: essay\n---\n", `f.md:2: unknown kind "essay"`},
		{"bad deck", "---\ndeck: \"a\\tb\"\n---\n", "f.md:2: deck: "},
		{"empty deck", "---\ndeck:\n---\n", "f.md:2: deck: empty deck name"},
		{"list item without tags", "---\ndeck: x\n- a\n---\n", "f.md:3: list item outside a tags: list"},
		{"not key value", "---\njust words\n---\n", "f.md:2: front matter line"},
		{"repeated key", "---\ndeck: a\ndeck: b\n---\n", `f.md:3: front matter key "deck" already set at line 2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.src), deck.ParseOptions{File: "f.md"})
			decktest.WantError(t, err, tt.want)
		})
	}
}

func TestParseMarkdownTestdata(t *testing.T) {
	files, _ := filepath.Glob("testdata/md/*.md")
	if len(files) < 4 {
		t.Fatalf("testdata/md holds %d files", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Parse(strings.NewReader(string(b)), deck.ParseOptions{File: f})
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if len(d.Cards) == 0 {
			t.Errorf("%s: no cards", f)
		}
		mdCheckRoundTrip(t, d.Cards)
	}
}

// TestFormatsDocExample keeps the example in FORMATS.md true.
func TestFormatsDocExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "FORMATS.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, example, ok := strings.Cut(string(doc), "```markdown\n")
	example, _, ok2 := strings.Cut(example, "\n```\n")
	if !ok || !ok2 {
		t.Fatal("no ```markdown example in FORMATS.md")
	}
	d := mdParse(t, "kubernetes.md", example)
	var got []string
	for _, c := range d.Cards {
		got = append(got, strings.Join([]string{c.ID, string(c.Kind), c.Parent, strings.Join(c.Tags, " ")}, "|"))
	}
	want := []string{
		"oom|question||platform k8s memory",
		deck.DeriveID("How do you find which container was killed?") + "|follow-up|oom|platform k8s",
		"oom-fix|probe|oom|platform k8s",
		"patterns|pattern||platform k8s",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if !strings.Contains(d.Cards[2].Back, "## a heading inside code is code") || d.Cards[3].Back != "" {
		t.Errorf("backs: %q, %q", d.Cards[2].Back, d.Cards[3].Back)
	}
	if len(d.Warnings) != 0 {
		t.Errorf("warnings: %q", d.Warnings)
	}
}

func TestParseMarkdownFieldLimit(t *testing.T) {
	over := strings.Repeat("word ", deck.MaxFieldSize/5+10)
	tests := []struct{ name, src, want string }{
		{"answer", "## big\n" + over + "\n## small\nok\n", "f.md:1: the answer is"},
		// A front is one line; one that long was accepted and then made an
		// export srs refused to read back.
		{"front", "## small\nok\n## " + over + "\nback\n", "f.md:3: the front is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.src), deck.ParseOptions{File: "f.md"})
			decktest.WantError(t, err, tt.want)
		})
	}
}
