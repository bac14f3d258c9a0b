package store

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// viewStore holds deck k with a card in every status for ann: new (n1,
// n2), learning (l: Good once), relearning (r: Good twice, a day apart,
// then Again), review (v), suspended (s), and retired (x, dropped by a
// re-import).
func viewStore(t *testing.T) *Store {
	s := openTemp(t)
	utcUser(t, s, "ann")
	cards := []deck.Card{
		{ID: "n1", Front: "What does a Kubernetes liveness probe do?", Back: "Restarts the container."},
		{ID: "n2", Front: "Readiness probe?", Back: "Takes the pod out of the Service.", Tags: []string{"Platform"}},
		{ID: "l"}, {ID: "r"}, {ID: "v"}, {ID: "s"}, {ID: "x", Front: "Retired liveness question"},
	}
	mustImport(t, s, testDeck("k", slices.Clone(cards)...))
	rateAt := func(id string, at time.Time, r fsrs.Rating) {
		rate(t, s, "ann", itemFor(t, s, "ann", "k", id), at, r)
	}
	// In time order: Record refuses a change older than the newest.
	rateAt("l", t0, fsrs.Good)
	rateAt("r", t0, fsrs.Easy)
	rateAt("v", t0, fsrs.Easy)
	rateAt("r", t0.Add(5*24*time.Hour), fsrs.Again)
	it := itemFor(t, s, "ann", "k", "s")
	after := it.State
	at := t0.Add(6 * 24 * time.Hour)
	after.Suspended, after.Due = true, at // as `srs suspend` does to a card never seen
	if _, err := s.Record("ann", Change{Card: it.Card.Key(), Time: at, Action: ActSuspend, After: after}); err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, testDeck("k", slices.Clone(cards[:6])...))
	return s
}

func listIDs(t *testing.T, s *Store, f CardFilter) (ids []string, statuses []CardStatus) {
	t.Helper()
	err := s.EachCardState("ann", f, func(c StoredCard, st CardState, had bool) error {
		ids = append(ids, c.ID)
		statuses = append(statuses, StatusOf(c, st, had))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids, statuses
}

func TestCardFilterStatusAndSearch(t *testing.T) {
	s := viewStore(t)
	all, statuses := listIDs(t, s, CardFilter{Deck: "k", IncludeRetire: true})
	want := map[string]CardStatus{"n1": StatusNew, "n2": StatusNew, "l": StatusLearning, "r": StatusRelearning,
		"v": StatusReview, "s": StatusSuspended, "x": StatusRetired}
	for i, id := range all {
		if statuses[i] != want[id] {
			t.Errorf("%s is %s, want %s", id, statuses[i], want[id])
		}
	}
	if len(all) != len(want) {
		t.Fatalf("listed %v, want all of %v", all, want)
	}
	for _, tc := range []struct {
		name string
		f    CardFilter
		want string
	}{
		{"no filter leaves retired out", CardFilter{}, "l n1 n2 r s v"},
		{"new", CardFilter{Status: []CardStatus{StatusNew}}, "n1 n2"},
		{"learning takes relearning", CardFilter{Status: []CardStatus{StatusLearning}}, "l r"},
		{"relearning alone", CardFilter{Status: []CardStatus{StatusRelearning}}, "r"},
		{"review is not suspended", CardFilter{Status: []CardStatus{StatusReview}}, "v"},
		{"suspended", CardFilter{Status: []CardStatus{StatusSuspended}}, "s"},
		{"retired lists retired cards", CardFilter{Status: []CardStatus{StatusRetired}}, "x"},
		{"two states", CardFilter{Status: []CardStatus{StatusSuspended, StatusReview}}, "s v"},
		{"search the front, any case", CardFilter{Search: "LIVENESS"}, "n1"},
		{"search with retired", CardFilter{Search: "liveness", IncludeRetire: true}, "n1 x"},
		{"search the back", CardFilter{Search: "the service"}, "n2"},
		{"search a tag", CardFilter{Search: "platf"}, "n2"},
		{"search an ID", CardFilter{Search: "N1"}, "n1"},
		{"search the generated text", CardFilter{Search: "back of"}, "l r s v"},
		{"search and state", CardFilter{Search: "back of", Status: []CardStatus{StatusNew}}, ""},
		{"no match", CardFilter{Search: "etcd"}, ""},
		{"other deck", CardFilter{Deck: "nosuch"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := listIDs(t, s, tc.f)
			slices.Sort(got)
			if strings.Join(got, " ") != tc.want {
				t.Fatalf("got %q, want %q", strings.Join(got, " "), tc.want)
			}
		})
	}
}

func TestParseCardStatus(t *testing.T) {
	for _, st := range CardStatuses {
		if got, err := ParseCardStatus(string(st)); err != nil || got != st {
			t.Errorf("ParseCardStatus(%q) = %q, %v", st, got, err)
		}
	}
	if _, err := ParseCardStatus("due"); err == nil || !strings.Contains(err.Error(), "new, learning, relearning, review, suspended, retired") {
		t.Fatalf("ParseCardStatus(due): %v", err)
	}
}

// An edit changes the text and nothing else: the key, the log, the state
// and the indexes stay, and the database checks clean.
func TestEditCardKeepsHistory(t *testing.T) {
	s := viewStore(t)
	logBefore, err := s.CardLog("ann", "k", "r")
	if err != nil {
		t.Fatal(err)
	}
	if len(logBefore) != 2 || logBefore[0].Rating != fsrs.Easy || logBefore[1].Rating != fsrs.Again {
		t.Fatalf("log of r before the edit: %+v", logBefore)
	}
	stBefore, _, _ := s.State("ann", "k", "r")
	changed, err := s.EditCard("k", "r", CardText{Front: "A new front", Back: "A new back", Tags: []string{"t1", "t1", "t2"}})
	if err != nil || !changed {
		t.Fatalf("EditCard: changed %v, %v", changed, err)
	}
	c, err := s.Card("k", "r")
	if err != nil {
		t.Fatal(err)
	}
	if c.Front != "A new front" || c.Back != "A new back" || !slices.Equal(c.Tags, []string{"t1", "t2"}) || c.Kind != deck.KindBasic {
		t.Fatalf("card after the edit: %+v", c)
	}
	logAfter, _ := s.CardLog("ann", "k", "r")
	stAfter, _, _ := s.State("ann", "k", "r")
	if len(logAfter) != len(logBefore) || logAfter[1].Key != logBefore[1].Key || stAfter != stBefore {
		t.Fatalf("history changed by the edit: %+v -> %+v, %+v -> %+v", logBefore, logAfter, stBefore, stAfter)
	}
	if changed, err := s.EditCard("k", "r", CardText{Front: "A new front", Back: "A new back", Tags: []string{"t1", "t2"}}); err != nil || changed {
		t.Fatalf("the same edit again: changed %v, %v", changed, err)
	}
	rep, err := s.Check()
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("check after the edit: %v %v", rep.Problems, err)
	}
	// Re-importing the source puts its text back, on the same card.
	mustImport(t, s, testDeck("k", deck.Card{ID: "n1"}, deck.Card{ID: "n2"}, deck.Card{ID: "l"}, deck.Card{ID: "r"}, deck.Card{ID: "v"}, deck.Card{ID: "s"}))
	if c, _ := s.Card("k", "r"); c.Front != "Front of r" {
		t.Fatalf("a re-import did not put the source's front back: %q", c.Front)
	}

	for _, tc := range []struct {
		id   string
		text CardText
		want string
	}{
		{"r", CardText{Front: "  \n"}, "edit k/r: empty front"},
		{"r", CardText{Front: "f", Back: strings.Repeat("x", deck.MaxFieldSize+1)}, "the back is 1048577 bytes"},
		{"nope", CardText{Front: "f"}, "card k/nope: no such card"},
	} {
		_, err := s.EditCard("k", tc.id, tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("EditCard(%s, %q...): %v, want %q", tc.id, tc.text.Front, err, tc.want)
		}
	}
	if _, err := s.EditCard("k", "nope", CardText{Front: "f"}); !errors.Is(err, ErrNoCard) {
		t.Errorf("an unknown card: %v, want ErrNoCard", err)
	}
}
