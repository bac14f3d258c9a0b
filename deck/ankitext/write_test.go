package ankitext

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/internal/ankiguid"
)

func TestWriteTSVFormat(t *testing.T) {
	cards := []deck.Card{
		{ID: "oom", Deck: "k8s", Kind: deck.KindQuestion, Front: "What is `OOMKilled`?", Back: "Killed for memory.\n\n- see `dmesg`", Tags: []string{"mem", "k8s::core"}},
		{ID: "#odd", Deck: "k8s::deep", Kind: deck.KindFollowUp, Front: "Say \"hi\"", Back: "", Parent: "oom"},
	}
	var buf bytes.Buffer
	if err := WriteTSV(&buf, cards); err != nil {
		t.Fatal(err)
	}
	want := "#separator:tab\n#html:true\n#columns:GUID\tDeck\tFront\tBack\tTags\tKind\tParent\tID\n#guid column:1\n#deck column:2\n#tags column:5\n" +
		quoteField(ankiguid.Of("k8s", "oom"), '\t') + "\tk8s\tWhat is <code>OOMKilled</code>?\t\"<p>Killed for memory.</p>\n<ul>\n<li>see <code>dmesg</code></li>\n</ul>\"\tmem k8s::core\tquestion\t\toom\n" +
		quoteField(ankiguid.Of("k8s::deep", "#odd"), '\t') + "\tk8s::deep\tSay &quot;hi&quot;\t\t\tfollow-up\toom\t\"#odd\"\n"
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func tsvVariedDeck() []deck.Card {
	c := func(id, deckName string, kind deck.Kind, front, back string, tags []string, parent string) deck.Card {
		if tags == nil {
			tags = []string{}
		}
		return deck.Card{ID: id, Deck: deckName, Kind: kind, Front: front, Back: back, Tags: tags, Parent: parent}
	}
	return []deck.Card{
		c("q1", "Go", deck.KindQuestion, "What does `defer` do?", "Runs a call when the function returns.\n\n```go\ndefer f.Close()\n```", []string{"go", "basics"}, ""),
		c("q1-f", "Go", deck.KindFollowUp, "In what order do deferred calls run?", "**Last in, first out.**", []string{"go"}, "q1"),
		c("lists", "Go", deck.KindPrompt, "Name the zero values", "- `0` for numbers\n- `\"\"` for strings\n  - even *empty* ones\n- `nil` for\n  pointers\n\n1. first\n2. second", nil, ""),
		c("hash", "Go::Deep", deck.KindBasic, "# of goroutines a program can run?", "Millions; each starts with a 2 KiB stack.", []string{"runtime"}, ""),
		c("num", "Go::Deep", deck.KindBasic, "1. Is this a list?", "No: a front is text.", nil, ""),
		c("dash", "Go::Deep", deck.KindBasic, "- or a bullet?", "> Neither.\n> Really.", nil, ""),
		c("q1", "Rust", deck.KindPattern, "Same id, other deck: `Drop`?", "Paragraph one\nwith a line break.\n\nParagraph two & <three>.", nil, ""),
		c("media", "Rust", deck.KindProbe, "Which file?", "![diagram](owner.png) [sound:borrow.mp3] see https://doc.rust-lang.org", nil, ""),
	}
}

func TestTSVRoundTrip(t *testing.T) {
	cards := tsvVariedDeck()
	var buf bytes.Buffer
	if err := WriteTSV(&buf, cards); err != nil {
		t.Fatal(err)
	}
	d, err := ParseTSV(bytes.NewReader(buf.Bytes()), deck.ParseOptions{File: "rt.tsv"})
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if len(d.Cards) != len(cards) {
		t.Fatalf("%d cards back, wrote %d", len(d.Cards), len(cards))
	}
	for i, got := range d.Cards {
		got.Source = ""
		if !reflect.DeepEqual(got, cards[i]) {
			t.Errorf("card %d:\n got %+v\nwant %+v", i, got, cards[i])
		}
	}
	// The same file read as CSV: the #separator line wins.
	if _, err := ParseCSV(bytes.NewReader(buf.Bytes()), deck.ParseOptions{File: "rt.csv"}); err != nil {
		t.Errorf("ParseCSV: %v", err)
	}
}

// Markdown that HTML cannot say comes back exactly: it rides along in a
// comment. Exporting to TSV and importing the file again reported
// "updated" for cards like these.
func TestTSVRoundTripExact(t *testing.T) {
	tests := []struct {
		name, front, back, wantFront, wantBack string
		kept                                   bool // the Markdown rides in a comment
	}{
		{"tilde fence", "F", "~~~\nx\n~~~", "F", "~~~\nx\n~~~", true},
		{"html in a front", "<b>F</b>", "", "<b>F</b>", "", true},
		{"leading blank lines", "F", "\n\nB", "F", "B", true},
		{"hard break spaces", "F", "a  \nb", "F", "a  \nb", true},
		{"soft line break", "F", "A  one\nline2", "F", "A  one\nline2", true},
		{"raw html", "F", "<b>A</b> two", "F", "<b>A</b> two", true},
		{"comment in markdown", "F", "x <!-- y --> z", "F", "x <!-- y --> z", false},
		{"plain", "What is *x*?", "**Bold** and `code`.\n\n- a\n- b", "What is *x*?", "**Bold** and `code`.\n\n- a\n- b", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteTSV(&buf, []deck.Card{{ID: "a", Deck: "d", Kind: deck.KindBasic, Front: tt.front, Back: tt.back}}); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(buf.String(), keptMark); got != tt.kept {
				t.Errorf("Markdown kept in a comment: %v, want %v:\n%s", got, tt.kept, buf.String())
			}
			d, err := ParseTSV(&buf, deck.ParseOptions{File: "l.tsv"})
			if err != nil {
				t.Fatal(err)
			}
			if c := d.Cards[0]; c.Front != tt.wantFront || c.Back != tt.wantBack {
				t.Errorf("got %q / %q, want %q / %q", c.Front, c.Back, tt.wantFront, tt.wantBack)
			}
		})
	}
	// A field edited since (in Anki, by hand) is read from its HTML: the
	// Markdown it carries no longer says what it shows.
	var buf bytes.Buffer
	if err := WriteTSV(&buf, []deck.Card{{ID: "a", Deck: "d", Kind: deck.KindBasic, Front: "F", Back: "a  \nb"}}); err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(buf.String(), "a<br>", "edited<br>", 1)
	if edited == buf.String() {
		t.Fatalf("nothing to edit in:\n%s", buf.String())
	}
	d, err := ParseTSV(strings.NewReader(edited), deck.ParseOptions{File: "e.tsv"})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Cards[0].Back; got != "edited\nb" {
		t.Errorf("edited field read as %q", got)
	}
}

func TestTSVTags(t *testing.T) {
	var buf bytes.Buffer
	WriteTSV(&buf, []deck.Card{{ID: "a", Deck: "d", Kind: deck.KindBasic, Front: "F", Tags: []string{"two words", "ok"}}})
	d, err := ParseTSV(&buf, deck.ParseOptions{File: "l.tsv"})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Cards[0].Tags; !reflect.DeepEqual(got, []string{"two_words", "ok"}) {
		t.Errorf("tags %q", got)
	}
}

func TestWriteTSVErrors(t *testing.T) {
	err := WriteTSV(&bytes.Buffer{}, []deck.Card{{ID: "", Deck: "d", Front: "F"}})
	if err == nil || !strings.Contains(err.Error(), "empty card id") {
		t.Errorf("err = %v", err)
	}
	var buf bytes.Buffer
	if err := WriteTSV(&buf, nil); err != nil {
		t.Fatal(err)
	}
	d, err := ParseTSV(&buf, deck.ParseOptions{File: "empty.tsv"})
	if err != nil || len(d.Cards) != 0 {
		t.Errorf("headers only: %v, %d cards", err, len(d.Cards))
	}
}

// In Anki, a follow-up shows its question above it; srs reads it back
// without.
func TestWriteTSVFollowUpContext(t *testing.T) {
	cards := []deck.Card{
		{ID: "q", Deck: "d", Kind: deck.KindQuestion, Front: "Why **cache**?", Back: "Speed."},
		{ID: "q.f1", Deck: "d", Kind: deck.KindFollowUp, Parent: "q", Front: "What breaks?", Back: "Staleness."},
	}
	var buf bytes.Buffer
	if err := WriteTSV(&buf, cards); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\t<div class=srs-context>Follow-up to: Why <strong>cache</strong>?</div>What breaks?\t") {
		t.Fatalf("no context in:\n%s", buf.String())
	}
	d, err := ParseTSV(&buf, deck.ParseOptions{File: "x.tsv"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Cards[1].Front != "What breaks?" || d.Cards[1].Parent != "q" {
		t.Fatalf("read back %+v", d.Cards[1])
	}
}
