package prep

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/history"
	"github.com/srs-tool/srs/store"
)

// Lead is how many days before the date every card in scope should be
// introduced by; those days are the final days, when cards are reviewed
// ahead of their due.
const Lead = 3

// Defaults of `srs plan add`.
const (
	DefaultMinutes = 30
	DefaultTarget  = 0.9
)

// DefaultSeconds is the time one answer is taken to take before the user
// has any measured: one of the guide's questions answered out loud, then
// checked against its long answer, is a minute rather than the dozen
// seconds of a vocabulary card.
const DefaultSeconds = 60.0

// Fill is the share of a plan's minutes it fills with what it adds: the
// rest is for the answers that run long and the lapses an estimate
// cannot foresee, so that the day stays within the minutes.
const Fill = 0.9

// measureDays is how far back answer times are measured from.
const measureDays = 14

// Scope is which cards a plan is about.
type Scope = deck.Scope

// ScopeOf is p's scope.
func ScopeOf(p store.Plan) Scope { return Scope{Deck: p.Deck, Loops: p.Loops, Topics: p.Topics} }

// Label is how a plan is called in one line: its name, else its scope.
func Label(p store.Plan) string {
	if p.Name != "" {
		return p.Name
	}
	var parts []string
	if p.Deck != "" {
		parts = append(parts, "deck "+p.Deck)
	}
	if len(p.Loops) > 0 {
		parts = append(parts, strings.Join(p.Loops, "+"))
	}
	if len(p.Topics) > 0 {
		parts = append(parts, strings.Join(p.Topics, "+"))
	}
	if len(parts) == 0 {
		return "all cards"
	}
	return strings.Join(parts, " ")
}

// DateStart is when the user's day of the plan's date begins.
func DateStart(p store.Plan, sched *fsrs.Scheduler) (time.Time, error) {
	d, err := time.Parse(store.DateLayout, p.Date)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD", p.Date)
	}
	// Half past the day-start hour is inside the date's day whatever
	// the hour, and clear of a DST change at the hour itself.
	at := time.Date(d.Year(), d.Month(), d.Day(), sched.Settings().DayStartHour, 30, 0, 0, sched.Location())
	return sched.DayOf(at).Start, nil
}

// daysBetween counts the user's days from the one starting at from to
// the one starting at to, on the local calendar (a day across a DST
// change is 23 or 25 hours).
func daysBetween(from, to time.Time, loc *time.Location) int {
	civil := func(t time.Time) time.Time {
		y, m, d := t.In(loc).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return int(math.Round(civil(to).Sub(civil(from)).Hours() / 24))
}

// Day is a plan as it stands on one of the user's days.
type Day struct {
	Plan  store.Plan
	Scope Scope
	Today fsrs.Day
	Date  time.Time // the start of the date's day
	// Left is how many days there are from today to the date: 1 when
	// the date is tomorrow, 0 or less once it has come.
	Left  int
	Costs Costs // what a card in scope takes, measured before today
	sched *fsrs.Scheduler
	now   time.Time
}

// NewDay is p on the day containing now, its answer times measured by
// r's log (before today, so that they hold steady through the day).
func NewDay(r *store.Reader, p store.Plan, sched *fsrs.Scheduler, now time.Time) (*Day, error) {
	return NewDayCosts(r, p, sched, now, nil)
}

// NewDayCosts is NewDay with the costs measured already today for the
// same plan, if costs is not nil: they depend on the log before today
// only, and measuring reads up to 14 days of it.
func NewDayCosts(r *store.Reader, p store.Plan, sched *fsrs.Scheduler, now time.Time, costs *Costs) (*Day, error) {
	date, err := DateStart(p, sched)
	if err != nil {
		return nil, err
	}
	today := sched.DayOf(now)
	d := &Day{Plan: p, Scope: ScopeOf(p), Today: today, Date: date, sched: sched, now: now,
		Left: daysBetween(today.Start, date, sched.Location())}
	if d.Left < 1 {
		return d, nil
	}
	if costs != nil {
		d.Costs = *costs
		return d, nil
	}
	if d.Costs, err = MeasureDay(r, d.Scope, sched, now); err != nil {
		return nil, err
	}
	return d, nil
}

// Active reports whether the date is still ahead.
func (d *Day) Active() bool { return d.Left >= 1 }

// Final reports whether today is one of the final days.
func (d *Day) Final() bool { return d.Active() && d.Left <= Lead }

// FinalStart is when the final days begin.
func (d *Day) FinalStart() time.Time { return d.sched.DayStart(d.Date, -Lead) }

// IntroDays is how many days, today included, are left to introduce the
// scope's cards in before the final days; at least one.
func (d *Day) IntroDays() int { return max(1, d.Left-Lead) }

// RecallOnDay is the predicted recall of a card at the date's start.
func (d *Day) RecallOnDay(c fsrs.Card) float64 { return d.sched.Retrievability(c, d.Date) }

// Load is what a plan's scope holds of today, as the queue counts it.
type Load struct {
	Unseen   int // cards in scope not introduced yet
	NewToday int // cards in scope introduced today
	// Spent is the seconds today takes already: the cards in scope
	// introduced today (Costs.New) and the others rated or due today
	// (Costs.Review), each counted once.
	Spent     float64
	NewPerDay int // the user's own new cards a day (what earlier plans left of them)
}

// Quota is what a plan adds to what is left of today: new cards in
// scope, as many as New, and on a final day cards reviewed ahead of
// their due, as far as Seconds lasts for both (each at its cost, new
// cards first).
type Quota struct {
	New     int
	Seconds float64
}

// Quota applies the rules (package comment) to today's load. Every
// figure it reads stays the same as the day goes on (a card rated moves
// from due to rated, a card introduced from unseen to new today), so the
// quota only falls by the cards done.
func (d *Day) Quota(l Load) Quota {
	if !d.Active() {
		return Quota{}
	}
	pace := (l.Unseen + l.NewToday + d.IntroDays() - 1) / d.IntroDays()
	want := max(pace, l.NewPerDay) - l.NewToday
	return Quota{New: max(0, min(want, l.Unseen)), Seconds: max(0, Fill*float64(d.Plan.Minutes)*60-l.Spent)}
}

// Pulls reports whether a card in scope, in state c, is to be reviewed
// ahead of its due today (a final day): it is in Review, due on or after
// the date, not reviewed today, and either last reviewed before the final
// days or predicted to fall below the target on the day.
func (d *Day) Pulls(c fsrs.Card) bool {
	if !d.Final() || c.State != fsrs.Review || c.Due.Before(d.Date) || !c.LastReview.Before(d.Today.Start) {
		return false
	}
	return c.LastReview.Before(d.FinalStart()) || d.RecallOnDay(c) < d.Plan.Target
}

// Chain is how many days a card's sibling group still needs from the
// card on, a day for each of its cards still to introduce (a group
// shows one card a day, and a follow-up waits for its question):
// followUps are the group's follow-ups still to introduce, the card
// among them if it is one; a card that is not a follow-up counts itself
// too. A plan's new cards come the longest chain first, then by Class.
func Chain(k deck.Kind, followUps int) int {
	if k == deck.KindFollowUp {
		return followUps
	}
	return 1 + followUps
}

// Class orders a plan's new cards of the same Chain: questions first,
// then follow-ups, then the rest.
func Class(k deck.Kind) int {
	switch k {
	case deck.KindQuestion:
		return 0
	case deck.KindFollowUp:
		return 1
	}
	return 2
}

// Costs are what a card in scope takes of a day, measured on the user's
// ratings (Measure).
type Costs struct {
	// Seconds is an answer over every kind of card; Kinds an answer of
	// each kind measured (a probe is recalled in a line, a question
	// answered at length): Seconds scaled by the kind's measured answers
	// against all measured, that ratio pulled toward 1 while measured
	// on few (kindAnswers).
	Seconds float64               `json:"seconds"`
	Kinds   map[deck.Kind]float64 `json:"seconds_by_kind,omitempty"`
	// NewAnswers are the answers a card takes on the day it is
	// introduced (its learning steps, and the steps again after an
	// Again or a Hard); ReviewAnswers those a card takes on a day it is
	// reviewed (one, and a relearning step after a lapse).
	NewAnswers    float64 `json:"answers_new"`
	ReviewAnswers float64 `json:"answers_review"`
}

func (c Costs) answer(k deck.Kind) float64 {
	if s, ok := c.Kinds[k]; ok {
		return s
	}
	return c.Seconds
}

// New is the seconds a card of kind k takes on the day it is introduced.
func (c Costs) New(k deck.Kind) float64 { return c.answer(k) * c.NewAnswers }

// Review is the seconds a card takes on a day it is reviewed: at the
// answer over every kind, because which card of a sibling group a day
// shows is the queue's choice, and the day's budget must not change with
// it.
func (c Costs) Review() float64 { return c.Seconds * c.ReviewAnswers }

// measureAnswers is how many of the user's latest answers Measure reads
// at most: enough for their own figures to weigh 0.9 against the priors
// (history.Blend), few enough that a heavy user's two weeks of log are
// not all read.
const measureAnswers = 450

// MeasureDay is Measure as a day uses it: over the measureDays days
// before the day containing now, so that what it finds holds steady
// through the day. The zero Scope has every card (the user's own daily
// budget, minutes_per_day, is measured over all of them).
func MeasureDay(r *store.Reader, sc Scope, sched *fsrs.Scheduler, now time.Time) (Costs, error) {
	return Measure(r, sc, sched, sched.DayStart(now, -measureDays), sched.DayOf(now).Start)
}

// Measure is what cards in scope took the user in their latest answers
// (at most measureAnswers) from from to to: each figure their own,
// pulled toward a prior while measured on few (history.Blend). The
// priors: DefaultSeconds an answer (and the user's answer over all kinds
// for one kind); an answer per learning step and a quarter more on the
// day a card is introduced; one answer, and a relearning step for the
// lapses the desired retention expects, on a day a card is reviewed.
func Measure(r *store.Reader, sc Scope, sched *fsrs.Scheduler, from, to time.Time) (Costs, error) {
	st := sched.Settings()
	kinds := map[string]deck.Kind{} // "" for a card out of scope
	var times []time.Duration
	byKind := map[deck.Kind][]time.Duration{}
	type cardDay struct {
		card string
		day  time.Time
	}
	type answers struct {
		n     int
		isNew bool // the day's first answer was the card's first
	}
	days := map[cardDay]*answers{}
	var keep func([]byte) bool
	if sc.Deck != "" { // another deck's entries are not even decoded
		prefix := []byte(sc.Deck + "\x00")
		keep = func(card []byte) bool { return bytes.HasPrefix(card, prefix) }
	}
	err := r.EachLogBack(from, to, keep, func(e store.Entry) error {
		if e.Action != store.ActRate {
			return nil
		}
		k, seen := kinds[e.Card]
		if !seen {
			m, found, err := r.Meta(e.Card)
			if err != nil {
				return err
			}
			if found && sc.Has(&m.Card) {
				k = m.Kind
			}
			kinds[e.Card] = k
		}
		if k == "" {
			return nil
		}
		times = append(times, e.Duration)
		byKind[k] = append(byKind[k], e.Duration)
		cd := cardDay{e.Card, sched.DayOf(e.Time()).Start}
		a := days[cd]
		if a == nil {
			a = &answers{}
			days[cd] = a
		}
		a.n++
		a.isNew = !e.HadState || e.Before.State == fsrs.New // newest first: the day's first answer is seen last
		if len(times) == measureAnswers {
			return store.ErrStop
		}
		return nil
	})
	var newSum, newN, revSum, revN int
	for _, a := range days {
		if a.isNew {
			newSum += a.n
			newN++
		} else {
			revSum += a.n
			revN++
		}
	}
	mean := func(sum, n int) float64 { return float64(sum) / float64(max(n, 1)) }
	steps := len(st.LearningSteps)
	newPrior := 1.0
	if steps > 0 {
		newPrior = float64(steps) + 0.25
	}
	c := Costs{
		Seconds:       history.AnswerSeconds(times, DefaultSeconds),
		NewAnswers:    history.Blend(mean(newSum, newN), newN, newPrior),
		ReviewAnswers: history.Blend(mean(revSum, revN), revN, 1+(1-st.DesiredRetention)*float64(len(st.RelearningSteps))),
	}
	all := meanSeconds(times)
	for k, ts := range byKind {
		if c.Kinds == nil {
			c.Kinds = map[deck.Kind]float64{}
		}
		c.Kinds[k] = c.Seconds * kindRatio(meanSeconds(ts), all, len(ts))
	}
	return c, err
}

// kindAnswers is how many answers of a kind weigh as much as the prior
// that the kind takes as long as any (kindRatio). It is few, because
// the prior is the user's own figure rather than a population's: one
// user's answers of one kind spread by about a third, so the mean of
// five is within about a sixth, while kinds differ by half (a probe is
// recalled in a line, a question answered at length). Priced at the
// answer over every kind, the kinds a plan introduces last (probes,
// patterns) cost nearly twice what they take, and the plan's last days
// introduce half of what their minutes hold.
const kindAnswers = 5

// kindRatio is how long an answer of a kind takes against an answer of
// any kind, measured on n answers of the kind (mean seconds kind, all
// over every kind), pulled toward 1 while n is few.
func kindRatio(kind, all float64, n int) float64 {
	if n == 0 || kind <= 0 || all <= 0 {
		return 1
	}
	w := float64(n) / float64(n+kindAnswers)
	return w*kind/all + (1 - w)
}

// meanSeconds is the mean of the answer times history counts (a break
// of 20 minutes or more is not an answer), 0 with none.
func meanSeconds(times []time.Duration) float64 {
	var sum time.Duration
	n := 0
	for _, d := range times {
		if d > 0 && d < 20*time.Minute {
			sum += d
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum.Seconds() / float64(n)
}

// Check refuses a plan that cannot be kept for the reader's user at now:
// a date not after today, a deck that does not exist, a loop or topic no
// card has (naming those that exist), or a scope without cards.
func Check(r *store.Reader, p store.Plan, now time.Time) error {
	if err := p.Validate(); err != nil {
		return err
	}
	st, err := r.Settings()
	if err != nil {
		return err
	}
	sched, err := fsrs.NewScheduler(st)
	if err != nil {
		return err
	}
	date, err := DateStart(p, sched)
	if err != nil {
		return err
	}
	today := sched.DayOf(now)
	switch left := daysBetween(today.Start, date, sched.Location()); {
	case left < 0:
		return fmt.Errorf("date %s has passed (today is %s)", p.Date, today.Start.In(sched.Location()).Format(store.DateLayout))
	case left == 0:
		return fmt.Errorf("date %s is today: a plan needs a day before its date", p.Date)
	}
	if p.Deck != "" && !r.HasDeck(p.Deck) {
		return fmt.Errorf("no deck %q; `srs decks` lists them", p.Deck)
	}
	var names deck.ScopeNames
	sc := ScopeOf(p)
	n := 0
	if err := r.EachMeta(p.Deck, func(c store.StoredCard, _ uint64) error {
		if c.Retired {
			return nil
		}
		names.Add(&c.Card)
		if sc.Has(&c.Card) {
			n++
		}
		return nil
	}); err != nil {
		return err
	}
	if err := names.Check(sc); err != nil {
		return err
	}
	where := "any deck"
	if p.Deck != "" {
		where = "deck " + p.Deck
	}
	if n == 0 {
		return fmt.Errorf("no card of %s is in scope of %s", where, Label(p))
	}
	return nil
}
