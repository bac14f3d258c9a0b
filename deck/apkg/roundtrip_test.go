package apkg

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/internal/htmlmd"
)

// TestAPKGRoundTrip exports cards and reads them back: srs's own note type
// must give back IDs, decks, kinds, parents, tags, fronts and backs, and
// with scheduling the review log to the millisecond.
func TestAPKGRoundTrip(t *testing.T) {
	for _, withSched := range []bool{false, true} {
		t.Run("scheduling="+strconv.FormatBool(withSched), func(t *testing.T) {
			cases := exportCases(t)
			path := filepath.Join(t.TempDir(), "out.apkg")
			if err := os.WriteFile(path, exportAPKG(t, cases, Options{WithScheduling: withSched, Now: exportNow}), 0o600); err != nil {
				t.Fatal(err)
			}
			d, sched, err := Read(path, deck.ParseOptions{}, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			progress := history(sched)
			if len(d.Warnings) != 0 {
				t.Errorf("warnings: %q", d.Warnings)
			}
			got := map[string]deck.Card{}
			for _, c := range d.Cards {
				got[c.Key()] = c
			}
			if len(got) != len(cases) {
				t.Fatalf("read %d cards, wrote %d", len(got), len(cases))
			}
			for _, c := range cases {
				want := c.card
				g, ok := got[want.Key()]
				if !ok {
					t.Errorf("card %s/%s missing; have %v", want.Deck, want.ID, keys(got))
					continue
				}
				g.Source = ""
				if len(g.Tags) == 0 {
					g.Tags = nil
				}
				if !reflect.DeepEqual(g, want) {
					t.Errorf("card %s:\n got %#v\nwant %#v", want.ID, g, want)
				}

				p, ok := progress[want.Key()]
				switch {
				case !withSched || c.progress == nil:
					if ok {
						t.Errorf("card %s: progress %+v from an export without it", want.ID, p)
					}
				case !ok:
					t.Errorf("card %s: no progress", want.ID)
				default:
					if p.Suspended != c.progress.Suspended {
						t.Errorf("card %s: suspended %v", want.ID, p.Suspended)
					}
					if len(p.Reviews) != len(c.progress.Log) {
						t.Fatalf("card %s: %d reviews, wrote %d", want.ID, len(p.Reviews), len(c.progress.Log))
					}
					for i, e := range c.progress.Log {
						r := p.Reviews[i]
						wantDur := min(e.Duration, 60*time.Second) // Anki's cap
						if !r.Time.Equal(e.Time) || r.Rating != e.Rating || r.Duration != wantDur {
							t.Errorf("card %s review %d: %+v, wrote %v %v %v", want.ID, i, r, e.Time, e.Rating, e.Duration)
						}
					}
					if !p.State.Due.IsZero() {
						t.Errorf("card %s: State set although Reviews carry the history: %+v", want.ID, p.State)
					}
				}
			}
			if err := d.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

func keys(m map[string]deck.Card) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestAPKGRoundTripDeckOverride: ParseOptions.Deck wins over the Source
// field, and parents follow their children into the new deck.
func TestAPKGRoundTripDeckOverride(t *testing.T) {
	cases := exportCases(t)
	path := filepath.Join(t.TempDir(), "out.apkg")
	os.WriteFile(path, exportAPKG(t, cases[:2], Options{Now: exportNow}), 0o600)
	d, _, err := Read(path, deck.ParseOptions{Deck: "imported"}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Cards) != 2 || d.Cards[0].Deck != "imported" || d.Cards[1].Deck != "imported" {
		t.Fatalf("cards %+v", d.Cards)
	}
	for _, c := range d.Cards {
		if c.ID == "q1-f1" && c.Parent != "q1" {
			t.Errorf("parent lost: %+v", c)
		}
	}
}

// TestAPKGRoundTripPartial: a follow-up exported without its parent comes
// back as a standalone card, with a warning.
func TestAPKGRoundTripPartial(t *testing.T) {
	cases := exportCases(t)
	path := filepath.Join(t.TempDir(), "out.apkg")
	os.WriteFile(path, exportAPKG(t, cases[1:2], Options{Now: exportNow}), 0o600)
	d, _, err := Read(path, deck.ParseOptions{}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Cards) != 1 || d.Cards[0].Parent != "" || len(d.Warnings) != 1 {
		t.Fatalf("cards %+v warnings %q", d.Cards, d.Warnings)
	}
}

// A field of srs's note type carries its Markdown, used while the HTML is
// what that Markdown renders to, and ignored once the note was edited in
// Anki.
func TestAPKGKeptMarkdown(t *testing.T) {
	md := "4\\. Not a list: `a|b` and _emphasis_\n\n- one\n- two"
	html, err := htmlmd.ToHTML(md)
	if err != nil {
		t.Fatal(err)
	}
	field := apkgKeepMarkdown(apkgNormalizeField(strings.TrimSpace(html)), md)
	if got, ok := apkgKeptMarkdown(field); !ok || got != md {
		t.Fatalf("kept markdown: %q %v", got, ok)
	}
	if s := apkgStripHTML(field); strings.Contains(s, "srs-md") {
		t.Fatalf("the comment shows in the sort field: %q", s)
	}
	edited := strings.Replace(field, "one", "uno", 1)
	if _, ok := apkgKeptMarkdown(edited); ok {
		t.Fatal("an edited note still read from its kept Markdown")
	}
	if _, ok := apkgKeptMarkdown("<b>plain</b>"); ok {
		t.Fatal("a field without the comment")
	}
	if _, ok := apkgKeptMarkdown(html + apkgMarkdownMark + "!!!-->"); ok {
		t.Fatal("a broken comment")
	}
}

// Files the cards refer to travel with them: packed from the media
// directory, read back as the package's media; a missing one is named.
func TestAPKGExportMedia(t *testing.T) {
	media := fstest.MapFS{"diagram.png": {Data: []byte("\x89PNG fake")}, "say.mp3": {Data: []byte("ID3 fake")}}
	cards := []deck.Card{
		{ID: "img", Deck: "d", Kind: deck.KindBasic, Front: "What is drawn?", Back: "![the diagram](diagram.png) and [sound:say.mp3]"},
		{ID: "gone", Deck: "d", Kind: deck.KindBasic, Front: "Missing?", Back: "![](nothere.png) ![](https://example.com/x.png)"},
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Options{Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Media: media})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cards {
		if err := w.Add(c, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if len(w.Warnings) != 1 || !strings.Contains(w.Warnings[0], "nothere.png") {
		t.Fatalf("warnings %q", w.Warnings)
	}
	path := filepath.Join(t.TempDir(), "m.apkg")
	os.WriteFile(path, buf.Bytes(), 0o600)
	d, _, err := Read(path, deck.ParseOptions{File: "m.apkg"}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range d.Media {
		got[m.Name] = string(m.Data)
	}
	if len(got) != 2 || got["diagram.png"] != "\x89PNG fake" || got["say.mp3"] != "ID3 fake" {
		t.Fatalf("media read back: %q", got)
	}
}

// Reviews added by AddReview, in time order across cards, come out as
// the same revlog as Scheduling.Revlog would give.
func TestAPKGAddReview(t *testing.T) {
	t0 := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	cards := []deck.Card{{ID: "a", Deck: "d", Kind: deck.KindBasic, Front: "A?", Back: "a"}, {ID: "b", Deck: "d", Kind: deck.KindBasic, Front: "B?", Back: "b"}}
	reviews := []struct {
		id string
		r  exportReview
	}{
		{"a", exportReview{Time: t0, Rating: fsrs.Good, Duration: 3 * time.Second}},
		{"b", exportReview{Time: t0.Add(time.Minute), Rating: fsrs.Again, Duration: 5 * time.Second}},
		{"a", exportReview{Time: t0.Add(72 * time.Hour), Rating: fsrs.Easy, Duration: 2 * time.Second}},
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Options{Now: t0.Add(100 * time.Hour), WithScheduling: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cards {
		st := fsrs.Card{State: fsrs.Review, Due: t0.Add(200 * time.Hour), LastReview: t0.Add(72 * time.Hour), Stability: 8, Difficulty: 5, Reps: 2}
		if err := w.Add(c, nil, (&exportProgress{State: st}).scheduling(time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range reviews {
		if err := w.AddReview("d", r.id, r.r.anki()); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AddReview("d", "nope", reviews[0].r.anki()); err == nil {
		t.Fatal("review of a card never added was accepted")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "r.apkg")
	os.WriteFile(path, buf.Bytes(), 0o600)
	_, sched, err := Read(path, deck.ParseOptions{File: "r.apkg"}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]fsrs.ReviewEvent{}
	for k, p := range history(sched) {
		got[k] = p.Reviews
	}
	if a := got[deck.Key("d", "a")]; len(a) != 2 || !a[0].Time.Equal(t0) || a[1].Rating != fsrs.Easy || a[0].Duration != 3*time.Second {
		t.Fatalf("card a reviews %+v", a)
	}
	if b := got[deck.Key("d", "b")]; len(b) != 1 || b[0].Rating != fsrs.Again {
		t.Fatalf("card b reviews %+v", b)
	}
}

// A card added after the first review still gets into the package: the
// collection comes out the same as when every card comes first.
func TestAPKGAddAfterReview(t *testing.T) {
	t0 := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	cards := []deck.Card{{ID: "a", Deck: "d", Kind: deck.KindBasic, Front: "A?", Back: "a"}, {ID: "b", Deck: "d", Kind: deck.KindBasic, Front: "B?", Back: "b"},
		{ID: "c", Deck: "e", Kind: deck.KindBasic, Front: "C?", Back: "c"}}
	st := fsrs.Card{State: fsrs.Review, Due: t0.Add(200 * time.Hour), LastReview: t0.Add(72 * time.Hour), Stability: 8, Difficulty: 5, Reps: 2}
	reviews := []struct {
		id string
		r  exportReview
	}{
		{"a", exportReview{Time: t0, Rating: fsrs.Good, Duration: 3 * time.Second}},
		{"c", exportReview{Time: t0.Add(time.Minute), Rating: fsrs.Again, Duration: 5 * time.Second}},
	}
	export := func(lateAfter int) []byte {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, Options{Now: t0.Add(100 * time.Hour), WithScheduling: true})
		if err != nil {
			t.Fatal(err)
		}
		add := func(c deck.Card) {
			if err := w.Add(c, nil, (&exportProgress{State: st}).scheduling(time.UTC)); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range cards[:lateAfter] {
			add(c)
		}
		if err := w.AddReview("d", reviews[0].id, reviews[0].r.anki()); err != nil {
			t.Fatal(err)
		}
		for _, c := range cards[lateAfter:] {
			add(c)
		}
		if err := w.AddReview(cards[2].Deck, reviews[1].id, reviews[1].r.anki()); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	collection := func(pkg []byte) []byte {
		zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
		if err != nil {
			t.Fatal(err)
		}
		rc, err := zr.File[0].Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	want := collection(export(3))
	got := export(2)
	if !bytes.Equal(collection(got), want) {
		t.Errorf("a card added after a review gives another collection")
	}
	path := filepath.Join(t.TempDir(), "late.apkg")
	os.WriteFile(path, got, 0o600)
	d, sched, err := Read(path, deck.ParseOptions{File: "late.apkg"}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	progress := history(sched)
	if len(d.Cards) != 3 || len(progress[deck.Key("e", "c")].Reviews) != 1 || len(progress[deck.Key("d", "a")].Reviews) != 1 {
		t.Errorf("%d cards, progress %+v", len(d.Cards), progress)
	}
}
