package ankitext

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/deck/decktest"
)

// csvCard is the part of a card the CSV tests compare.
type csvCard struct {
	ID, Deck, Front, Back string
	Tags                  []string
	Kind                  deck.Kind
	Parent                string
}

func csvCards(d *deck.Deck) []csvCard {
	var out []csvCard
	for _, c := range d.Cards {
		out = append(out, csvCard{c.ID, c.Deck, c.Front, c.Back, c.Tags, c.Kind, c.Parent})
	}
	return out
}

// fb is a basic card of deck "t" with a derived ID.
func fb(front, back string, tags ...string) csvCard {
	if tags == nil {
		tags = []string{}
	}
	return csvCard{deck.DeriveID(front), "t", front, back, tags, deck.KindBasic, ""}
}

func TestParseCSV(t *testing.T) {
	tests := []struct {
		name string
		tsv  bool // ParseTSV instead of ParseCSV
		src  string
		want []csvCard
	}{
		{"no header, two columns", false, "q1,a1\nq2,a2\n", []csvCard{fb("q1", "a1"), fb("q2", "a2")}},
		{"no header, three columns", false, "q1,a1,x y::z\nq2,a2,\n", []csvCard{fb("q1", "a1", "x", "y::z"), fb("q2", "a2")}},
		{"no header, one column", false, "lonely\n", []csvCard{fb("lonely", "")}},
		{"tsv default", true, "q, 1\ta, 2\n", []csvCard{fb("q, 1", "a, 2")}},
		{"quoted separators, quotes and newlines", false,
			"\"a, b\",\"say \"\"hi\"\"\"\n\"multi\nline\",\"x\r\ny\"\n",
			[]csvCard{fb("a, b", `say "hi"`), fb("multi\nline", "x\ny")}},
		{"bom and crlf", false, "\uFEFFq1,a1\r\nq2,a2\r\n", []csvCard{fb("q1", "a1"), fb("q2", "a2")}},
		{"empty lines and empty records skipped", false, "\nq,a\n\n,,\n , \nr,b\n", []csvCard{fb("q", "a"), fb("r", "b")}},
		{"fields trimmed", false, "  q  ,  a  \n", []csvCard{fb("q", "a")}},
		{"comment lines", false, "# a comment\nq,a\n#another\n", []csvCard{fb("q", "a")}},
		{"legacy tags line", false, "tags:old new\nq,a\n", []csvCard{fb("q", "a", "old", "new")}},
		{"stray quotes read leniently", false, "5\" screen,big\nq,He said \"no\"\n",
			[]csvCard{fb(`5" screen`, "big"), fb("q", `He said "no"`)}},

		{"#separator:Tab", false, "#separator:Tab\nq, 1\ta\n", []csvCard{fb("q, 1", "a")}},
		{"#separator:comma", true, "#separator:comma\nq\t1,a\n", []csvCard{fb("q\t1", "a")}},
		{"#separator:Semicolon", false, "#separator:Semicolon\nq,1;a\n", []csvCard{fb("q,1", "a")}},
		{"#separator:PIPE", false, "#separator:PIPE\nq,1|a\n", []csvCard{fb("q,1", "a")}},
		{"#separator:Space", false, "#separator:Space\nq a\n", []csvCard{fb("q", "a")}},
		{"#separator:Colon", false, "#separator:Colon\nq:a\n", []csvCard{fb("q", "a")}},
		{"#separator literal char", false, "#separator:^\nq^a\n", []csvCard{fb("q", "a")}},
		{"#separator literal space", false, "#separator: \nq a\n", []csvCard{fb("q", "a")}},
		{"#separator literal tab", false, "#separator:\t\nq\ta\n", []csvCard{fb("q", "a")}},
		{"sniffed semicolon", false, "q1;a 1\nq2;a 2\n", []csvCard{fb("q1", "a 1"), fb("q2", "a 2")}},
		{"default wins a tie", false, "q1;a, 1\nq2;a, 2\n", []csvCard{fb("q1;a", "1"), fb("q2;a", "2")}},
		{"sniffed comma in tsv", true, "q1,a1\nq2,a2\n", []csvCard{fb("q1", "a1"), fb("q2", "a2")}},

		{"#html:true", false, "#html:true\n<b>q</b>,a<br>b&nbsp;c&amp;d\n", []csvCard{fb("**q**", "a\nb c&d")}},
		{"#html:false", false, "#html:false\n<b>q</b>,a&amp;b\n", []csvCard{fb("<b>q</b>", "a&amp;b")}},
		{"html sniffed", false, "q,a<br>b\n", []csvCard{fb("q", "a\nb")}},
		{"plain not sniffed as html", false, "a < b?,yes & no\n", []csvCard{fb("a < b?", "yes & no")}},

		{"#tags", false, "#tags:x y\n#tags column:3\nq,a,y z\n", []csvCard{fb("q", "a", "x", "y", "z")}},
		{"#deck", false, "#deck:Lang::Go\nq,a\n", []csvCard{{deck.DeriveID("q"), "Lang::Go", "q", "a", []string{}, deck.KindBasic, ""}}},
		{"#notetype ignored", false, "#notetype:Basic (and reversed card)\nq,a\n", []csvCard{fb("q", "a")}},
		{"#notetype column skipped", false, "#notetype column:1\nBasic,q,a\n", []csvCard{fb("q", "a")}},
		{"#guid column", false, "#guid column:3\nq,a,Kv>w3+Y0a\n", []csvCard{{"Kv>w3+Y0a", "t", "q", "a", []string{}, deck.KindBasic, ""}}},
		{"empty guid derives", false, "#guid column:1\n,q,a\n", []csvCard{fb("q", "a")}},
		{"#tags column", false, "#tags column:1\nt1 t2,q,a\n", []csvCard{fb("q", "a", "t1", "t2")}},
		{"#deck column, several decks", false, "#deck column:1\nA::B,q1,a\n,q2,a\nC,q1,a\n", []csvCard{
			{deck.DeriveID("q1"), "A::B", "q1", "a", []string{}, deck.KindBasic, ""},
			{deck.DeriveID("q2"), "t", "q2", "a", []string{}, deck.KindBasic, ""},
			{deck.DeriveID("q1"), "C", "q1", "a", []string{}, deck.KindBasic, ""},
		}},
		{"#columns by name", false, "#columns:Tags,Back,Front,Deck\nx,a,q,D\n", []csvCard{{deck.DeriveID("q"), "D", "q", "a", []string{"x"}, deck.KindBasic, ""}}},
		{"#columns after #separator", false, "#separator:Pipe\n#columns:Question|Answer|Notes\nq|a|n\n", []csvCard{fb("q", "a")}},
		{"#columns before #separator", false, "#columns:Back;Front\n#separator:Semicolon\na;q\n", []csvCard{fb("q", "a")}},
		{"#columns unnamed are positional", false, "#columns:one,two,three\nq,a,n\n", []csvCard{fb("q", "a")}},
		{"#columns with kind and parent", false, "#columns:GUID,Front,Back,Kind,Parent\np,P,x,question,\nf,F,y,follow-up,p\n", []csvCard{
			{"p", "t", "P", "x", []string{}, deck.KindQuestion, ""},
			{"f", "t", "F", "y", []string{}, deck.KindFollowUp, "p"},
		}},
		{"explicit column beats name", false, "#columns:Tags,Front,Back,Label\n#tags column:4\nno,q,a,yes\n", []csvCard{fb("q", "a", "yes")}},
		{"unknown header ignored", false, "#flavour:mint\nq,a\n", []csvCard{fb("q", "a")}},
		{"header keys case-insensitive", false, "#Separator:TAB\n#HTML:TRUE\n#Guid Column:1\ng1\t<i>q</i>\ta\n", []csvCard{{"g1", "t", "*q*", "a", []string{}, deck.KindBasic, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parse := ParseCSV
			if tt.tsv {
				parse = ParseTSV
			}
			d, err := parse(strings.NewReader(tt.src), deck.ParseOptions{File: "t.csv"})
			if err != nil {
				t.Fatal(err)
			}
			if got := csvCards(d); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("cards:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseCSVDeckAndSource(t *testing.T) {
	d, err := ParseCSV(strings.NewReader("#deck:FromHeader\n#deck column:1\nColumn,q,a\n,r,b\n"), deck.ParseOptions{File: "/x/y/cards.csv", Deck: "override"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "override" || d.Cards[0].Deck != "override" || d.Cards[1].Deck != "override" {
		t.Errorf("the override must win over header and column: %q, %+v", d.Name, d.Cards)
	}
	if d.Cards[0].Source != "/x/y/cards.csv:3" || d.Cards[1].Source != "/x/y/cards.csv:4" {
		t.Errorf("sources %q, %q", d.Cards[0].Source, d.Cards[1].Source)
	}
	d, err = ParseTSV(strings.NewReader("q\ta\n"), deck.ParseOptions{File: "/x/spanish.tsv"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "spanish" || d.Cards[0].Deck != "spanish" {
		t.Errorf("deck from file name: %q", d.Name)
	}
}

func TestParseCSVLineNumbers(t *testing.T) {
	src := "#separator:comma\n#html:false\nq1,\"multi\nline\"\nq2,a\n\n\"q3\r\nwith break\",a\nq4,a\n"
	d, err := ParseCSV(strings.NewReader(src), deck.ParseOptions{File: "n.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range d.Cards {
		got = append(got, c.Source)
	}
	want := []string{"n.csv:3", "n.csv:5", "n.csv:7", "n.csv:9"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sources %q, want %q", got, want)
	}
}

// A first row naming the columns is a header, not a card; it says where
// front, back and tags are.
func TestParseCSVHeaderRow(t *testing.T) {
	tests := []struct {
		name, src string
		want      []csvCard
	}{
		{"front,back,tags", "front,back,tags\nq1,a1,t1 t2\nq2,a2\n", []csvCard{
			{deck.DeriveID("q1"), "h", "q1", "a1", []string{"t1", "t2"}, deck.KindBasic, ""},
			{deck.DeriveID("q2"), "h", "q2", "a2", []string{}, deck.KindBasic, ""}}},
		{"question,answer, any case and spaces", "Question , ANSWER\nq1,a1\n", []csvCard{
			{deck.DeriveID("q1"), "h", "q1", "a1", []string{}, deck.KindBasic, ""}}},
		{"columns in another order", "\uFEFFtags;back;front\nt;a1;q1\n", []csvCard{
			{deck.DeriveID("q1"), "h", "q1", "a1", []string{"t"}, deck.KindBasic, ""}}},
		{"quoted names", "\"Front\",\"Back\"\nq1,a1\n", []csvCard{
			{deck.DeriveID("q1"), "h", "q1", "a1", []string{}, deck.KindBasic, ""}}},
		{"a card that says front", "front,the side you see\nq1,a1\n", []csvCard{
			{deck.DeriveID("front"), "h", "front", "the side you see", []string{}, deck.KindBasic, ""},
			{deck.DeriveID("q1"), "h", "q1", "a1", []string{}, deck.KindBasic, ""}}},
		{"back and tags without a front", "back,tags\nq1,a1\n", []csvCard{
			{deck.DeriveID("back"), "h", "back", "tags", []string{}, deck.KindBasic, ""},
			{deck.DeriveID("q1"), "h", "q1", "a1", []string{}, deck.KindBasic, ""}}},
		{"#columns wins", "#columns:Front,Back\nfront,back\n", []csvCard{
			{deck.DeriveID("front"), "h", "front", "back", []string{}, deck.KindBasic, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseCSV(strings.NewReader(tt.src), deck.ParseOptions{File: "h.csv"})
			if err != nil {
				t.Fatal(err)
			}
			decktest.CheckDeck(t, d)
			if got := csvCards(d); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
	// Lines are still numbered in the file.
	_, err := ParseCSV(strings.NewReader("front,back\nq1,a1\n,a2\n"), deck.ParseOptions{File: "h.csv"})
	decktest.WantError(t, err, "h.csv:3: empty front")
}

func TestParseCSVErrors(t *testing.T) {
	big := strings.Repeat("x", deck.MaxFieldSize+1)
	huge := strings.Repeat("x", deck.MaxEncodedFieldSize+1)
	tests := []struct {
		name, src, want string
	}{
		{"fields vs columns", "#columns:Front,Back\nq,a\nq2,a,extra\n", "e.csv:3: 3 fields, but #columns names 2"},
		{"bad separator", "#separator:tabs\nq,a\n", `e.csv:1: #separator: want`},
		{"quote separator", "#separator:\"\nq,a\n", `e.csv:1: #separator: want`},
		{"bad html", "#separator:comma\n#html:maybe\n", `e.csv:2: #html: want true or false, got "maybe"`},
		{"bad column number", "#guid column:first\n", `e.csv:1: #guid column: want a column number`},
		{"negative column", "#tags column:-1\n", `e.csv:1: #tags column: want a column number`},
		{"bad deck header", "#deck:\n", "e.csv:1: #deck: empty deck name"},
		{"column clash", "#guid column:1\n#deck column:1\nq,a\n", "e.csv:2: column 1 is both"},
		{"missing front", "q,a\n,b\n", "e.csv:2: empty front (column 1)"},
		{"missing front after html", "#html:true\n<br>,b\n", "e.csv:2: empty front"},
		{"bad guid", "#guid column:1\ng1,q,a\nhas space,q2,a\n", "e.csv:3: guid column: card id"},
		{"duplicate guid", "#guid column:1\ng,q,a\n\ng,q2,a\n", `e.csv:4: id "g" already used at line 2`},
		{"duplicate front", "same,a\nSame!,b\n", "e.csv:2: id "},
		{"bad deck column", "#deck column:3\nq,a,\"x\ty\"\n", "e.csv:2: deck column: "},
		{"bad kind", "#columns:Front,Back,Kind\nq,a,essay\n", `e.csv:2: unknown kind "essay"`},
		{"missing parent", "#columns:GUID,Front,Back,Parent\nf,q,a,nobody\n", `e.csv:2: parent "nobody" is not in deck`},
		{"unclosed quote", "q,a\n\"open,a\nq3,a\n", "e.csv:2: "},
		{"answer too large", "q,a\nq2," + big + "\n", "e.csv:2: the answer is 1048577 bytes, larger than 1048576"},
		{"front too large", "q,a\n" + big + ",a\n", "e.csv:2: the front is 1048577 bytes, larger than 1048576"},
		{"field too large", "q,a\nq2," + huge + "\n", "e.csv:2: field 2 is larger than"},
		{"invalid utf-8 field", "q,a\nq2,\xff\n", "e.csv:2: field 2: invalid UTF-8"},
		{"invalid utf-8 header", "#deck:\xff\n", "e.csv:1: invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCSV(strings.NewReader(tt.src), deck.ParseOptions{File: "e.csv"})
			decktest.WantError(t, err, tt.want)
		})
	}
}

func TestParseAnkiExport(t *testing.T) {
	f, err := os.Open("testdata/csv/anki-notes.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := ParseTSV(f, deck.ParseOptions{File: "anki-notes.txt"})
	if err != nil {
		t.Fatal(err)
	}
	want := []csvCard{
		{"Kv>w3+Y0a", "Spanish::Verbs", "**hablar**", "to speak\n*regular* -ar verb", []string{"verbs", "spanish"}, deck.KindBasic, ""},
		{"#qP)o9[x2", "Spanish::Verbs", "comer", "to eat [sound:comer.mp3]", []string{"verbs"}, deck.KindBasic, ""},
		{"b7Ht!Pq2s", "Spanish", "¿Qué tal?", "“How are you?” — informal\n![](que-tal.png)", []string{"phrases"}, deck.KindBasic, ""},
		{"c9&Lm^2zR", "Spanish", "[RAE](https://www.rae.es) stands for?", "Real Academia Española", []string{}, deck.KindBasic, ""},
		{"d0;Ty`4wQ", "Spanish::Grammar", "{{c1::Ser}} is for essence, {{c2::estar}} for state", "- ser: permanent\n- estar: temporary", []string{"grammar::verbs"}, deck.KindBasic, ""},
		{"e1~Qa]8vN", "Spanish", "Conjugate *ser*, present", "```\nsoy\neres\nes\n```", []string{"grammar::verbs"}, deck.KindBasic, ""},
	}
	if got := csvCards(d); !reflect.DeepEqual(got, want) {
		t.Errorf("cards:\n got %+v\nwant %+v", got, want)
	}
	if d.Name != "anki-notes" {
		t.Errorf("deck name %q", d.Name)
	}
}

func TestParseCSVTestdata(t *testing.T) {
	tests := []struct {
		file  string
		tsv   bool
		cards int
	}{
		{"plain.csv", false, 4},
		{"excel.csv", false, 2},
		{"columns.csv", false, 3},
		{"legacy-tags.tsv", true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open("testdata/csv/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			parse := ParseCSV
			if tt.tsv {
				parse = ParseTSV
			}
			d, err := parse(f, deck.ParseOptions{File: tt.file})
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Cards) != tt.cards {
				t.Errorf("%d cards, want %d: %+v", len(d.Cards), tt.cards, d.Cards)
			}
			for _, c := range d.Cards {
				if c.Front == "" || strings.Contains(c.Front, "\r") || strings.Contains(c.Back, "\r") {
					t.Errorf("card %+v", c)
				}
			}
		})
	}
}

func TestParseCSVWarnings(t *testing.T) {
	d, err := ParseCSV(strings.NewReader("#separator:comma\n#flavour:mint\nq,a\n#1 rule?,skipped\n\"#2 rule?\",kept\n\"x\n#not a comment\",y\n"), deck.ParseOptions{File: "w.csv"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"w.csv:2: unknown header #flavour ignored",
		"w.csv:4: 1 line(s) starting with # skipped as comments, as Anki does; quote a field that starts with #",
	}
	if !reflect.DeepEqual(d.Warnings, want) {
		t.Errorf("warnings:\n got %q\nwant %q", d.Warnings, want)
	}
	if len(d.Cards) != 3 || d.Cards[1].Front != "#2 rule?" || d.Cards[2].Front != "x\n#not a comment" {
		t.Errorf("cards %+v", d.Cards)
	}
	d, err = ParseCSV(strings.NewReader("5\" screen,big\n"), deck.ParseOptions{File: "w.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Warnings) != 1 || !strings.HasPrefix(d.Warnings[0], "w.csv:1: stray quote") {
		t.Errorf("warnings %q", d.Warnings)
	}
}

// Text in an HTML field that looks like Markdown stays text: escaped in a
// back, and at the start of a front, which srs reads as text anyway.
func TestParseCSVHTMLTextStaysText(t *testing.T) {
	src := "#separator:tab\n#html:true\n1. Why *this*?\t# not a heading<br>1. not a list<br>*not em*\n"
	d, err := ParseTSV(strings.NewReader(src), deck.ParseOptions{File: "t.tsv"})
	if err != nil {
		t.Fatal(err)
	}
	c := d.Cards[0]
	if want := `1. Why \*this\*?`; c.Front != want {
		t.Errorf("front %q, want %q", c.Front, want)
	}
	if want := "\\# not a heading\n1\\. not a list\n\\*not em\\*"; c.Back != want {
		t.Errorf("back %q, want %q", c.Back, want)
	}
}
