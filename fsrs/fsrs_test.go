package fsrs

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	gofsrs "github.com/open-spaced-repetition/go-fsrs/v4"
)

func mustScheduler(t *testing.T, s Settings) *Scheduler {
	t.Helper()
	sc, err := NewScheduler(s)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// cardsAt builds cards in each state by rating a new card through go-fsrs.
func cardsAt(t *testing.T, f *gofsrs.FSRS, start time.Time) map[string]gofsrs.Card {
	t.Helper()
	out := map[string]gofsrs.Card{"new": gofsrs.NewCard(start)}
	c := gofsrs.NewCard(start)
	now := start
	step := func(r gofsrs.Rating, after time.Duration) gofsrs.Card {
		now = now.Add(after)
		info, err := f.Next(c, now, r)
		if err != nil {
			t.Fatal(err)
		}
		c = info.Card
		return c
	}
	out["learning"] = step(gofsrs.Good, 0)
	out["review"] = step(gofsrs.Good, 10*time.Minute)
	step(gofsrs.Good, 4*24*time.Hour)
	out["relearning"] = step(gofsrs.Again, 9*24*time.Hour)
	return out
}

// The four button previews are go-fsrs's Repeat for the card when the
// user's day is the UTC day (no shift), with fuzz on and off: the same
// stabilities, difficulties, states, steps and intervals in days. Two
// things differ, by design: a due in N days is the start of the user's
// day N days on (midnight UTC here), not now + N×24h; and Easy on a
// new, learning or relearning card is at least a day longer than Good.
func TestPreviewMatchesRepeat(t *testing.T) {
	for _, fuzz := range []bool{false, true} {
		s := DefaultSettings()
		s.TimeZone, s.DayStartHour, s.Fuzz = "UTC", 0, fuzz
		sc := mustScheduler(t, s)
		ref := gofsrs.NewFSRS(s.parameters())
		start := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
		for name, c := range cardsAt(t, ref, start) {
			now := c.Due.Add(3 * time.Hour)
			if name == "new" {
				now = start
			}
			want, err := ref.Repeat(c, now)
			if err != nil {
				t.Fatal(err)
			}
			got, err := sc.Preview(c, now)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range Ratings {
				w := want[r].Card
				if r == Easy && c.State != Review {
					w.ScheduledDays = max(w.ScheduledDays, got[Good-1].Card.ScheduledDays+1)
				}
				wantDue := w.Due
				if w.State == Review {
					y, m, d := now.Date()
					wantDue = time.Date(y, m, d+int(w.ScheduledDays), 0, 0, 0, 0, time.UTC)
				}
				g := got[i].Card
				if !g.Due.Equal(wantDue) || g.Stability != w.Stability ||
					g.Difficulty != w.Difficulty || g.State != w.State ||
					g.ScheduledDays != w.ScheduledDays || g.RemainingSteps != w.RemainingSteps ||
					!g.LastReview.Equal(w.LastReview) || g.Reps != w.Reps || g.Lapses != w.Lapses {
					t.Errorf("fuzz=%v %s %v: preview %+v, want %+v due %s", fuzz, name, r, g, w, wantDue)
				}
				wantIv := w.Due.Sub(now)
				if w.State == Review {
					wantIv = time.Duration(w.ScheduledDays) * 24 * time.Hour
				}
				if got[i].Interval != wantIv {
					t.Errorf("fuzz=%v %s %v: interval %v, want %v", fuzz, name, r, got[i].Interval, wantIv)
				}
				next, err := sc.Next(c, now, r)
				if err != nil {
					t.Fatal(err)
				}
				if next != g {
					t.Errorf("fuzz=%v %s %v: Next %+v differs from its preview %+v", fuzz, name, r, next, g)
				}
			}
		}
	}
}

// In another zone, previews are go-fsrs's Repeat computed in the frame
// where UTC midnight is the user's local day start, with dues in days at
// the local day start.
func TestPreviewFollowsLocalDay(t *testing.T) {
	s := DefaultSettings()
	s.TimeZone, s.Fuzz = "Asia/Tokyo", false // UTC+9, day starts 04:00 local = 19:00 UTC
	sc := mustScheduler(t, s)
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	// Reviewed at 03:30 local (still "yesterday"), then at 05:00 local the
	// same calendar date: a new day for the user, though UTC says
	// 18:30 -> 20:00, the same UTC date.
	first := time.Date(2026, 5, 10, 3, 30, 0, 0, tokyo)
	c, err := sc.Next(NewCard(first), first, Good)
	if err != nil {
		t.Fatal(err)
	}
	c, err = sc.Next(c, first.Add(10*time.Minute), Good) // graduate
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 5, 9+int(c.ScheduledDays), 4, 0, 0, 0, tokyo); !c.Due.Equal(want) {
		t.Errorf("graduated at 03:40 on the 10th (the user's 9th) for %d days: due %s, want %s", c.ScheduledDays, c.Due.In(tokyo), want)
	}
	later := time.Date(2026, 5, 10, 5, 0, 0, 0, tokyo)
	got, err := sc.Preview(c, later)
	if err != nil {
		t.Fatal(err)
	}
	// go-fsrs on raw times sees 0 elapsed days (same UTC date) and uses
	// short-term stability; srs sees one elapsed day.
	raw := gofsrs.NewFSRS(s.parameters())
	rawLog, err := raw.Repeat(c, later)
	if err != nil {
		t.Fatal(err)
	}
	if got[2].Card.Stability == rawLog[gofsrs.Good].Card.Stability {
		t.Fatalf("preview ignored the local day start: stability %v equals the UTC-day computation", got[2].Card.Stability)
	}
	shift := 9*time.Hour - 4*time.Hour
	sc2 := c
	sc2.Due, sc2.LastReview = c.Due.Add(shift), c.LastReview.Add(shift)
	want, err := raw.Repeat(sc2, later.Add(shift))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range Ratings {
		w := want[r].Card
		wantDue := w.Due.Add(-shift)
		if w.State == Review {
			wantDue = time.Date(2026, 5, 10+int(w.ScheduledDays), 4, 0, 0, 0, tokyo)
		}
		if got[i].Card.Stability != w.Stability || got[i].Card.ScheduledDays != w.ScheduledDays || !got[i].Card.Due.Equal(wantDue) {
			t.Errorf("%v: got %+v, want %+v due %s", r, got[i].Card, w, wantDue)
		}
	}
}

func TestDueTodayFollowsDayStart(t *testing.T) {
	for _, zone := range []string{"Asia/Tokyo", "America/Los_Angeles", "Etc/GMT-9", "Etc/GMT+7"} {
		t.Run(zone, func(t *testing.T) {
			s := DefaultSettings()
			s.TimeZone = zone
			sc := mustScheduler(t, s)
			loc, _ := time.LoadLocation(zone)
			now := time.Date(2026, 11, 27, 10, 0, 0, 0, loc)
			cases := []struct {
				due  time.Time
				want bool
			}{
				{time.Date(2026, 11, 28, 3, 0, 0, 0, loc), true},   // 03:00 tomorrow: before the 4 am roll-over
				{time.Date(2026, 11, 28, 3, 59, 59, 0, loc), true}, // last second of today
				{time.Date(2026, 11, 28, 4, 0, 0, 0, loc), false},  // tomorrow has begun
				{time.Date(2026, 11, 20, 12, 0, 0, 0, loc), true},  // overdue
				{time.Date(2026, 11, 28, 12, 0, 0, 0, loc), false}, // tomorrow
			}
			for _, c := range cases {
				if got := sc.DueToday(c.due, now); got != c.want {
					t.Errorf("due %s, now %s: DueToday = %v, want %v", c.due, now, got, c.want)
				}
			}
			// At 02:00 local the day is still yesterday's.
			early := time.Date(2026, 11, 28, 2, 0, 0, 0, loc)
			d := sc.DayOf(early)
			if want := time.Date(2026, 11, 27, 4, 0, 0, 0, loc); !d.Start.Equal(want) {
				t.Errorf("DayOf(%s).Start = %s, want %s", early, d.Start.In(loc), want)
			}
		})
	}
}

func TestDayAcrossDST(t *testing.T) {
	loc, _ := time.LoadLocation("America/Los_Angeles")
	d := DayOf(time.Date(2026, 3, 8, 12, 0, 0, 0, loc), loc, 4) // spring forward at 02:00
	if got := d.End.Sub(d.Start); got != 24*time.Hour {
		// 04:00 to 04:00 spans the 02:00 jump only if the day starts
		// before it; here it starts after, so the day is 24h.
		t.Errorf("day length %v", got)
	}
	d = DayOf(time.Date(2026, 3, 7, 12, 0, 0, 0, loc), loc, 4)
	if got := d.End.Sub(d.Start); got != 23*time.Hour {
		t.Errorf("day containing the spring-forward: length %v, want 23h", got)
	}
}

func TestValidateNamesTheField(t *testing.T) {
	tests := []struct {
		edit func(*Settings)
		want string
	}{
		{func(s *Settings) { s.DesiredRetention = 1.2 }, "desired_retention"},
		{func(s *Settings) { s.DesiredRetention = 0 }, "desired_retention"},
		{func(s *Settings) { s.MaximumInterval = 0 }, "maximum_interval"},
		{func(s *Settings) { s.NewPerDay = -1 }, "new_per_day"},
		{func(s *Settings) { s.ReviewsPerDay = -5 }, "reviews_per_day"},
		{func(s *Settings) { s.LearningSteps = []time.Duration{0} }, "learning_steps[0]"},
		{func(s *Settings) { s.RelearningSteps = []time.Duration{time.Minute, -time.Minute} }, "relearning_steps[1]"},
		{func(s *Settings) { s.NewOrder = "random" }, "new_order"},
		{func(s *Settings) { s.DayStartHour = 24 }, "day_start_hour"},
		{func(s *Settings) { s.TimeZone = "Mars/Olympus" }, "time_zone"},
		{func(s *Settings) { s.Weights = []float64{1, 2} }, "weights"},
		{func(s *Settings) { s.Weights = append(make([]float64, 20), 0) }, "weights[20]"},
	}
	for _, tt := range tests {
		s := DefaultSettings()
		tt.edit(&s)
		err := s.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v", tt.want, err)
		}
		if _, err := NewScheduler(s); err == nil {
			t.Errorf("%s: NewScheduler accepted invalid settings", tt.want)
		}
	}
	if err := DefaultSettings().Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
}

func TestReplayMatchesNext(t *testing.T) {
	s := DefaultSettings()
	sc := mustScheduler(t, s)
	t0 := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	events := []ReviewEvent{{Time: t0, Rating: Good}, {Time: t0.Add(10 * time.Minute), Rating: Good},
		{Time: t0.Add(72 * time.Hour), Rating: Again}, {Time: t0.Add(72*time.Hour + 10*time.Minute), Rating: Hard}}
	before, after, err := sc.Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCard(t0)
	for i, e := range events {
		if before[i] != c {
			t.Fatalf("review %d: before %+v, want %+v", i, before[i], c)
		}
		c, _ = sc.Next(c, e.Time, e.Rating)
		if after[i] != c {
			t.Fatalf("review %d: after %+v, want %+v", i, after[i], c)
		}
	}
	if c.Lapses != 1 || c.State != Relearning {
		t.Errorf("end state %+v: want one lapse, relearning", c)
	}
	if _, _, err := sc.Replay([]ReviewEvent{{Time: t0.Add(time.Hour), Rating: Good}, {Time: t0, Rating: Good}}); err == nil {
		t.Error("Replay accepted reviews out of order")
	}
}

func TestRetrievabilityMatchesGoFSRS(t *testing.T) {
	for _, w20 := range []float64{0, 0.1542, 0.5} {
		s := DefaultSettings()
		if w20 != 0 {
			w := gofsrs.DefaultWeights()
			w[20] = w20
			s.Weights = w[:]
		}
		sc := mustScheduler(t, s)
		ref := gofsrs.NewFSRS(s.parameters())
		last := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, days := range []float64{0, 1, 3, 10, 100} {
			for _, stab := range []float64{0.5, 3, 40} {
				c := Card{State: Review, Stability: stab, LastReview: last}
				got := sc.Retrievability(c, last.Add(time.Duration(days*24)*time.Hour))
				want := ref.ForgettingCurve(days, stab)
				if math.Abs(got-want) > 1e-12 {
					t.Errorf("w20=%v t=%v S=%v: R=%v, go-fsrs %v", w20, days, stab, got, want)
				}
			}
		}
	}
}

// Overdue orders cards as Retrievability does: a larger t/S is never a
// higher retrievability, over random cards and weights.
func TestOverdueOrdersAsRetrievability(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	now := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	for _, w20 := range []float64{0.1, 0.1542, 0.8} {
		s := DefaultSettings()
		w := gofsrs.DefaultWeights()
		w[20] = w20
		s.Weights = w[:]
		sc := mustScheduler(t, s)
		card := func() Card {
			c := Card{State: Review, Stability: math.Exp(rng.Float64()*10 - 3), LastReview: now.Add(-time.Duration(rng.Int64N(int64(400 * 24 * time.Hour))))}
			switch rng.IntN(20) {
			case 0:
				c.LastReview = time.Time{}
			case 1:
				c.Stability = 0
			case 2:
				c.LastReview = now.Add(time.Hour) // reviewed "after" now: elapsed 0
			}
			return c
		}
		for range 5000 {
			a, b := card(), card()
			oa, ob := Overdue(a, now), Overdue(b, now)
			ra, rb := sc.Retrievability(a, now), sc.Retrievability(b, now)
			if oa > ob && ra > rb || oa < ob && ra < rb {
				t.Fatalf("w20=%v: overdue %v > %v but retrievability %v > %v (%+v, %+v)", w20, oa, ob, ra, rb, a, b)
			}
		}
	}
}

func BenchmarkPreview(b *testing.B) {
	sc, _ := NewScheduler(DefaultSettings())
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	c, _ := sc.Next(NewCard(t0), t0, Good)
	c, _ = sc.Next(c, t0.Add(10*time.Minute), Good)
	now := c.Due.Add(time.Hour)
	for b.Loop() {
		if _, err := sc.Preview(c, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNext(b *testing.B) {
	sc, _ := NewScheduler(DefaultSettings())
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	c, _ := sc.Next(NewCard(t0), t0, Good)
	c, _ = sc.Next(c, t0.Add(10*time.Minute), Good)
	now := c.Due.Add(time.Hour)
	for b.Loop() {
		if _, err := sc.Next(c, now, Good); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRetrievability(b *testing.B) {
	sc, _ := NewScheduler(DefaultSettings())
	c := Card{State: Review, Stability: 12, LastReview: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	now := c.LastReview.Add(200 * time.Hour)
	for b.Loop() {
		sc.Retrievability(c, now)
	}
}
