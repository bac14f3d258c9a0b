package prep

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

// Readiness is how ready a user is for a plan's date (package comment).
type Readiness struct {
	Plan     store.Plan `json:"plan"`
	Label    string     `json:"label"`
	Date     time.Time  `json:"date_start"` // the start of the date's day
	DaysLeft int        `json:"days_left"`  // 0 or less once the date has come
	Costs    Costs      `json:"costs"`
	Score
	Topics []Score `json:"topics"` // each topic:NAME of the scope, by name
	Loops  []Score `json:"loops"`  // each loop:NAME of the scope, by name
}

// Score is readiness over some of a plan's cards.
type Score struct {
	Name       string `json:"name,omitempty"`
	InScope    int    `json:"in_scope"`
	Introduced int    `json:"introduced"`
	// Recall is the mean predicted recall on the day of the introduced
	// cards, were nothing more reviewed; 0 when none is introduced.
	Recall float64 `json:"recall_on_day"`
	// Minutes is how many minutes a day, from today to the date, it
	// takes to introduce the rest and bring every card to the target.
	Minutes float64 `json:"minutes_a_day"`

	recallSum, seconds float64
}

func (s *Score) add(introduced bool, recall, seconds float64) {
	s.InScope++
	if introduced {
		s.Introduced++
		s.recallSum += recall
	}
	s.seconds += seconds
}

func (s *Score) finish(days int) {
	if s.Introduced > 0 {
		s.Recall = s.recallSum / float64(s.Introduced)
	}
	s.Minutes = s.seconds / 60 / float64(max(days, 1))
}

// Read is the readiness for p of the reader's user at now.
func Read(r *store.Reader, p store.Plan, sched *fsrs.Scheduler, now time.Time) (*Readiness, error) {
	d, err := NewDay(r, p, sched, now)
	if err != nil {
		return nil, err
	}
	out := &Readiness{Plan: p, Label: Label(p), Date: d.Date, DaysLeft: d.Left, Costs: d.Costs}
	type card struct {
		st       store.CardState
		had      bool
		tags     []string
		kind     deck.Kind
		position int
	}
	var cards []card
	unseen := 0
	err = r.EachMeta(p.Deck, func(c store.StoredCard, _ uint64) error {
		if c.Retired || !d.Scope.Has(&c.Card) {
			return nil
		}
		st, had, err := r.State(deck.Key(c.Deck, c.ID))
		if err != nil || had && st.Suspended {
			return err
		}
		k := card{st: st, had: had, tags: c.Tags, kind: c.Kind}
		if !had || st.State == fsrs.New {
			k.position = unseen
			unseen++
		}
		cards = append(cards, k)
		return nil
	})
	if err != nil {
		return nil, err
	}
	topics, loops := map[string]*Score{}, map[string]*Score{}
	for _, c := range cards {
		introduced := c.had && c.st.State != fsrs.New
		var recall, secs float64
		if introduced {
			recall = d.RecallOnDay(c.st.Card)
		}
		if d.Active() {
			// The k-th card still to introduce comes on day
			// k×days/unseen: the pace spreads them evenly.
			day := 0
			if !introduced {
				day = c.position * d.IntroDays() / max(unseen, 1)
			}
			secs = d.project(c.st.Card, c.kind, introduced, day)
		}
		out.Score.add(introduced, recall, secs)
		for _, t := range c.tags {
			for _, k := range []struct {
				prefix string
				m      map[string]*Score
			}{{deck.TopicTag, topics}, {deck.LoopTag, loops}} {
				if name, ok := strings.CutPrefix(t, k.prefix); ok {
					s := k.m[name]
					if s == nil {
						s = &Score{Name: name}
						k.m[name] = s
					}
					s.add(introduced, recall, secs)
				}
			}
		}
	}
	out.Score.finish(d.Left)
	out.Topics, out.Loops = scores(topics, d.Left), scores(loops, d.Left)
	return out, nil
}

// scores are m's scores finished, by name.
func scores(m map[string]*Score, days int) []Score {
	out := []Score{}
	for _, name := range slices.Sorted(maps.Keys(m)) {
		m[name].finish(days)
		out = append(out, *m[name])
	}
	return out
}

// project is the seconds a card takes from now to the date: learning it,
// if it is not introduced yet (on the day day days from today), each
// review its scheduler gives it before the date were every answer Good,
// and a final review if its recall on the day would still be below the
// target, each at what the user's cards take (Costs).
func (d *Day) project(c fsrs.Card, kind deck.Kind, introduced bool, day int) float64 {
	review := d.Costs.Review()
	secs := 0.0
	if !introduced {
		secs += d.Costs.New(kind)
		t := d.now
		if day > 0 {
			t = d.sched.DayStart(d.now, day).Add(d.now.Sub(d.Today.Start))
		}
		c = fsrs.NewCard(t)
		for i := 0; c.State != fsrs.Review && i < 10; i++ {
			next, err := d.sched.Next(c, t, fsrs.Good)
			if err != nil {
				return secs
			}
			c, t = next, later(t, next.Due)
		}
	}
	for i := 0; i < 100 && c.Due.Before(d.Date); i++ {
		next, err := d.sched.Next(c, later(c.Due, d.now), fsrs.Good)
		if err != nil {
			break
		}
		c = next
		secs += review
	}
	if d.RecallOnDay(c) < d.Plan.Target {
		secs += review
	}
	return secs
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// ReadAll is the readiness for each of the reader's user's plans at now,
// by date: ahead or past (DaysLeft), each over the user's scheduler.
func ReadAll(r *store.Reader, now time.Time) ([]*Readiness, error) {
	ps, err := r.Plans()
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	st, err := r.Settings()
	if err != nil {
		return nil, err
	}
	sched, err := fsrs.NewScheduler(st)
	if err != nil {
		return nil, err
	}
	out := make([]*Readiness, 0, len(ps))
	for _, p := range ps {
		rd, err := Read(r, p, sched, now)
		if err != nil {
			return nil, fmt.Errorf("plan %d: %w", p.ID, err)
		}
		out = append(out, rd)
	}
	return out, nil
}
