package apkg

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	gofsrs "github.com/open-spaced-repetition/go-fsrs/v4"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/internal/htmlmd"
)

// fxWantCards is what Read must make of fxStandard, in every layout.
var fxWantCards = []deck.Card{
	{ID: "basic1", Deck: "Geo", Kind: deck.KindBasic, Front: "Capital of France?", Back: "Paris", Tags: []string{"geo", "europe"}},
	{ID: "html1", Deck: "Geo", Kind: deck.KindBasic, Front: "What is **bold**?", Back: "Line one\nLine two ![](diagram.png)"},
	{ID: "cloze1.c1", Deck: "Lang::Spanish", Kind: deck.KindBasic, Front: "[...] is the capital of Spain.",
		Back: "**Madrid** is the capital of Spain.\n\nEurope", Tags: []string{"spanish"}},
	{ID: "cloze1.c2", Deck: "Lang::Spanish", Kind: deck.KindBasic, Front: "Madrid is the capital of [country].",
		Back: "Madrid is the capital of **Spain**.\n\nEurope", Tags: []string{"spanish"}},
	{ID: "vocab1", Deck: "Lang::Spanish", Kind: deck.KindBasic, Front: "hablar",
		Back: "**Meaning**\n\nto speak\n\n**Example**\n\nYo hablo español.\n\n**Audio**\n\n[sound:hablar.mp3]", Tags: []string{"spanish", "verb"}},
	{ID: "vocab1.t1", Deck: "Lang::Spanish", Kind: deck.KindBasic, Front: "to speak",
		Back: "**Word**\n\nhablar\n\n**Example**\n\nYo hablo español.\n\n**Audio**\n\n[sound:hablar.mp3]", Tags: []string{"spanish", "verb"}},
	{ID: "sm2card", Deck: "Geo", Kind: deck.KindBasic, Front: "SM-2 only", Back: "reviewed before FSRS"},
	{ID: "g2b891de56cdc09d9", Deck: "Geo", Kind: deck.KindBasic, Front: "Odd guid", Back: "suspended"},
}

var fxWantSources = []int64{1700000000010, 1700000000011, 1700000000012, 1700000000012, 1700000000013, 1700000000013, 1700000000014, 1700000000015}

func ms(v int64) time.Time { return time.UnixMilli(v).UTC() }

func TestReadAPKGVariants(t *testing.T) {
	dir := t.TempDir()
	for _, layout := range fxVariants {
		t.Run(layout, func(t *testing.T) {
			path := buildAPKG(t, dir, layout, fxStandard())
			d, sched, err := Read(path, deck.ParseOptions{File: "deck.apkg"}, DefaultLimits)
			progress := history(sched)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Warnings) != 0 {
				t.Errorf("warnings: %q", d.Warnings)
			}
			if d.Name != "deck" {
				t.Errorf("Name = %q, want the file's base name (decks Geo and Lang::Spanish share no parent)", d.Name)
			}
			if len(d.Cards) != len(fxWantCards) {
				t.Fatalf("got %d cards, want %d: %+v", len(d.Cards), len(fxWantCards), d.Cards)
			}
			for i, want := range fxWantCards {
				got := d.Cards[i]
				want.Source = "deck.apkg:notes id " + strconv.FormatInt(fxWantSources[i], 10)
				if len(want.Tags) == 0 {
					want.Tags = nil
				}
				if len(got.Tags) == 0 {
					got.Tags = nil
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("card %d:\n got %#v\nwant %#v", i, got, want)
				}
			}

			// Media: only what notes refer to (unused.png is left out).
			var names []string
			for _, m := range d.Media {
				names = append(names, m.Name)
				if m.Name == "diagram.png" && string(m.Data) != string(fxPNG) {
					t.Errorf("diagram.png content = %q", m.Data)
				}
			}
			if want := []string{"diagram.png", "hablar.mp3"}; !reflect.DeepEqual(names, want) {
				t.Errorf("media = %q, want %q", names, want)
			}

			// Progress: revlog rows as Reviews, minus manual, cram and
			// pre-reset rows; SM-2-only card as State; suspension.
			wantProgress := map[string]fsrs.History{
				deck.Key("Geo", "basic1"): {Reviews: []fsrs.ReviewEvent{
					{Time: ms(fxT0), Rating: fsrs.Again, Duration: 5 * time.Second},
					{Time: ms(fxT0 + 10*fxMinute), Rating: fsrs.Good, Duration: 70 * time.Second},
					{Time: ms(fxT0 + fxDay), Rating: fsrs.Good, Duration: 3 * time.Second},
				}},
				deck.Key("Geo", "html1"): {Reviews: []fsrs.ReviewEvent{
					{Time: ms(fxT0 + fxDay + fxMinute), Rating: fsrs.Easy, Duration: 1500 * time.Millisecond},
				}},
				deck.Key("Lang::Spanish", "cloze1.c1"): {Reviews: []fsrs.ReviewEvent{
					{Time: ms(fxT0 + 20*fxMinute), Rating: fsrs.Good, Duration: 6 * time.Second},
				}},
				deck.Key("Geo", "g2b891de56cdc09d9"): {Suspended: true},
			}
			for k, want := range wantProgress {
				got, ok := progress[k]
				if !ok {
					t.Errorf("no progress for %q", k)
					continue
				}
				if len(got.Reviews) == 0 {
					got.Reviews = nil
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("progress %q:\n got %+v\nwant %+v", k, got, want)
				}
			}

			// The SM-2-only card: ease 2300, interval 10, due on day 10.
			sm2, ok := progress[deck.Key("Geo", "sm2card")]
			if !ok {
				t.Fatal("no progress for the SM-2-only card")
			}
			m, err := gofsrs.NewFSRS(gofsrs.DefaultParam()).MemoryStateFromSM2(2.3, 10, 0.9)
			if err != nil {
				t.Fatal(err)
			}
			due := time.Unix(fxCrt, 0).UTC().AddDate(0, 0, 10)
			st := sm2.State
			if st.State != fsrs.Review || !st.Due.Equal(due) || !st.LastReview.Equal(due.AddDate(0, 0, -10)) ||
				st.ScheduledDays != 10 || st.Reps != 5 || st.Lapses != 1 ||
				math.Abs(st.Stability-m.Stability) > 1e-9 || math.Abs(st.Difficulty-m.Difficulty) > 1e-9 || len(sm2.Reviews) != 0 {
				t.Errorf("SM-2 state = %+v, want stability %v difficulty %v due %v", st, m.Stability, m.Difficulty, due)
			}
			if n := len(progress); n != len(wantProgress)+1 {
				t.Errorf("%d progress entries, want %d (new cards have none)", n, len(wantProgress)+1)
			}
		})
	}
}

// TestReadAPKGDeckOverride checks that opt.Deck puts every card in one deck.
func TestReadAPKGDeckOverride(t *testing.T) {
	path := buildAPKG(t, t.TempDir(), fxV3, fxStandard())
	d, sched, err := Read(path, deck.ParseOptions{Deck: "anki"}, DefaultLimits)
	progress := history(sched)
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "anki" {
		t.Errorf("Name = %q", d.Name)
	}
	for _, c := range d.Cards {
		if c.Deck != "anki" {
			t.Errorf("card %s in deck %q", c.ID, c.Deck)
		}
		if _, ok := progress[deck.Key("anki", "basic1")]; !ok {
			t.Errorf("progress not keyed by the override deck")
		}
	}
}

// TestReadAPKGCloze covers the cloze syntax beyond the fixture: hints,
// nesting, repeats of one number, unclosed markers and HTML inside.
func TestReadAPKGCloze(t *testing.T) {
	tests := []struct {
		text        string
		n           int
		front, back string
	}{
		{"{{c1::a}} {{c1::b}} {{c2::c}}", 1, "[...] [...] c", "**a** **b** c"},
		{"{{c1::a}} {{c1::b}} {{c2::c}}", 2, "a b [...]", "a b **c**"},
		{"{{c1::outer {{c2::inner}} text}}", 1, "[...]", "**outer inner text**"},
		{"{{c1::outer {{c2::inner}} text}}", 2, "outer [...] text", "outer **inner** text"},
		{"{{c1::<i>x</i>::a <b>hint</b>}} y", 1, "[a hint] y", "***x*** y"},
		{"{{c1::open and {{c2::x}}", 2, "{{c1::open and [...]", "{{c1::open and **x**"},
	}
	for _, tt := range tests {
		nodes := apkgParseCloze(tt.text)
		fh := apkgRenderCloze(nodes, tt.n, true, func(h string) string {
			if h := apkgClozeHint(h); h != "" {
				return "[" + h + "]"
			}
			return "[...]"
		})
		front := htmlmd.ToMarkdown(fh)
		back := htmlmd.ToMarkdown(apkgRenderCloze(nodes, tt.n, false, nil))
		if front != tt.front || back != tt.back {
			t.Errorf("%q c%d: front %q back %q, want %q %q", tt.text, tt.n, front, back, tt.front, tt.back)
		}
	}
}

// TestReadAPKGRealExport reads a package exported by Anki desktop (Legacy2
// with a compatibility stub), from ../shared/fixtures beside the module.
// CI has it; a plain clone does not.
func TestReadAPKGRealExport(t *testing.T) {
	path := sharedFixture(t, "anki", "anki-export-legacy2.apkg")
	d, _, err := Read(path, deck.ParseOptions{}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Cards) != 5 {
		t.Fatalf("got %d cards, want the 5 notes of collection.anki21", len(d.Cards))
	}
	curly := false
	for _, c := range d.Cards {
		if c.Deck != "espanol" || c.Kind != deck.KindBasic {
			t.Errorf("card %s: deck %q kind %q", c.ID, c.Deck, c.Kind)
		}
		for _, s := range []string{c.Front, c.Back} {
			if strings.Contains(s, "Please update to the latest Anki version") {
				t.Errorf("the compatibility stub note was imported: %q", s)
			}
			if strings.Contains(s, "&nbsp;") || strings.Contains(s, "\u00a0") {
				t.Errorf("no-break space survived in %q", s)
			}
		}
		if strings.Contains(c.Front, "’") {
			curly = true
		}
	}
	if !curly {
		t.Errorf("curly quotes lost: %q", d.Cards)
	}
	want := map[string]string{"ztr<F@c62R": "Elderberry", "M~.{,Ems#-": "I didn’t want him to have to send you the clothing"}
	for _, c := range d.Cards {
		if w, ok := want[c.ID]; ok && c.Front != w {
			t.Errorf("card %s front = %q, want %q", c.ID, c.Front, w)
		}
	}
	if d.Cards[0].ID != "Na#:aV~68:" || d.Cards[0].Back != "¿Quieres que le pregunte?" || !reflect.DeepEqual(d.Cards[0].Tags, []string{"subjuntivo"}) {
		t.Errorf("first card = %+v", d.Cards[0])
	}
}

// sharedFixture is the path of a file under ../shared/fixtures, found from
// the module root (the directory holding go.mod) so that the test reads the
// same file from any package and any checkout. The test is skipped, saying
// where it looked, when the file is absent: the fixtures are not part of a
// clone.
func sharedFixture(t *testing.T, elem ...string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	path := filepath.Join(append([]string{dir, "..", "shared", "fixtures"}, elem...)...)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("fixture %s not available (%v): ../shared/fixtures beside the module root is not part of a clone", path, err)
	}
	return path
}

// history turns what Read carries into what an import of it gives a user
// with default settings.
func history(sched map[string]fsrs.AnkiProgress) map[string]fsrs.History {
	out := map[string]fsrs.History{}
	for k, p := range sched {
		if h, ok := exportScheduler.FromAnki(p); ok {
			out[k] = h
		}
	}
	return out
}
