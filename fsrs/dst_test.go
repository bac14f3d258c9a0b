package fsrs

import (
	"testing"
	"time"
)

// userDate is the user's day of t as a calendar date, worked out here
// from the wall clock rather than through DayOf: the local date, or the
// one before when t is before the day-start hour.
func userDate(t time.Time, loc *time.Location, hour int) time.Time {
	l := t.In(loc)
	d := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
	if l.Hour() < hour {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// A due in N days is the day start (04:00 local) of the user's day N days
// after the review's, in America/Los_Angeles across both 2026 changes, at
// times either side of the 4 am day start and of the 02:00 change.
func TestDuesLandOnLocalDaysAcrossDST(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	s := DefaultSettings()
	s.TimeZone = "America/Los_Angeles"
	sc := mustScheduler(t, s)
	clock := [][2]int{{0, 30}, {1, 30}, {3, 30}, {3, 59}, {4, 0}, {4, 30}, {12, 0}, {21, 0}, {23, 30}}
	for _, change := range []time.Time{
		time.Date(2026, 3, 8, 12, 0, 0, 0, la),  // spring forward at 02:00
		time.Date(2026, 11, 1, 12, 0, 0, 0, la), // fall back at 02:00
	} {
		for day := -2; day <= 1; day++ {
			for _, hm := range clock {
				now := time.Date(change.Year(), change.Month(), change.Day()+day, hm[0], hm[1], 0, 0, la)
				for _, stab := range []float64{0.4, 1.3, 2.4, 5, 30} {
					c := Card{State: Review, Stability: stab, Difficulty: 5, Reps: 4, ScheduledDays: 3,
						LastReview: now.AddDate(0, 0, -3), Due: now.Add(-time.Hour)}
					got, err := sc.Preview(c, now)
					if err != nil {
						t.Fatal(err)
					}
					today := userDate(now, la, 4)
					for _, o := range got {
						n := o.Card
						if n.State != Review {
							// A relearning step is a fixed time after now.
							if want := now.Add(s.RelearningSteps[0]); !n.Due.Equal(want) {
								t.Errorf("%s %v: step due %s, want %s", now, o.Rating, n.Due.In(la), want)
							}
							continue
						}
						want := time.Date(today.Year(), today.Month(), today.Day()+int(n.ScheduledDays), 4, 0, 0, 0, la)
						if !n.Due.Equal(want) {
							t.Errorf("reviewed %s, %v for %d days: due %s, want %s", now, o.Rating, n.ScheduledDays, n.Due.In(la), want)
						}
						if days := int(userDate(n.Due, la, 4).Sub(today).Hours() / 24); days != int(n.ScheduledDays) {
							t.Errorf("reviewed %s: due %s is %d of the user's days on, want %d", now, n.Due.In(la), days, n.ScheduledDays)
						}
						if !sc.DayOf(n.Due).Start.Equal(n.Due) {
							t.Errorf("due %s is not the start of a day", n.Due.In(la))
						}
					}
				}
			}
		}
	}
}

// The cases the issue reported. Before: a Good at 03:30 the day before
// spring-forward landed two of the user's days later for a one-day
// interval, and one just after the day start the day before fall-back
// landed on the same day. Each row says where now + N×24h (the old rule)
// lands, so the test shows it was wrong there.
func TestDSTReportedCases(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	s := DefaultSettings()
	s.TimeZone, s.Fuzz = "America/Los_Angeles", false
	sc := mustScheduler(t, s)
	tests := []struct {
		name      string
		now       time.Time
		userToday time.Time // calendar date of the user's day
		oldDay    int       // user's days from today to now + 24h
	}{
		{"03:30 the day before spring-forward", time.Date(2026, 3, 7, 3, 30, 0, 0, la), time.Date(2026, 3, 6, 0, 0, 0, 0, la), 2},
		{"04:30 the day before fall-back", time.Date(2026, 10, 31, 4, 30, 0, 0, la), time.Date(2026, 10, 31, 0, 0, 0, 0, la), 0},
		{"03:30 the day before fall-back", time.Date(2026, 10, 31, 3, 30, 0, 0, la), time.Date(2026, 10, 30, 0, 0, 0, 0, la), 1},
		{"21:00 the evening before spring-forward", time.Date(2026, 3, 7, 21, 0, 0, 0, la), time.Date(2026, 3, 7, 0, 0, 0, 0, la), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A card on its last learning step, whose Good graduates.
			c := Card{State: Learning, Stability: 0.6, Difficulty: 5, Reps: 2, RemainingSteps: 1,
				LastReview: tt.now.Add(-10 * time.Minute), Due: tt.now}
			got, err := sc.Next(c, tt.now, Good)
			if err != nil {
				t.Fatal(err)
			}
			if got.State != Review || got.ScheduledDays != 1 {
				t.Fatalf("Good: %+v, want a 1-day review", got)
			}
			want := time.Date(tt.userToday.Year(), tt.userToday.Month(), tt.userToday.Day()+1, 4, 0, 0, 0, la)
			if !got.Due.Equal(want) {
				t.Errorf("due %s, want %s", got.Due.In(la), want)
			}
			old := tt.now.Add(24 * time.Hour)
			if d := int(userDate(old, la, 4).Sub(userDate(tt.now, la, 4)).Hours() / 24); d != tt.oldDay {
				t.Errorf("now + 24h = %s is %d days on, the table says %d", old, d, tt.oldDay)
			}
			if !sc.DueToday(got.Due, want) || sc.DueToday(got.Due, want.Add(-time.Second)) {
				t.Errorf("due %s is not due from the start of its day", got.Due.In(la))
			}
		})
	}
}

// In the hour a fall-back repeats, a card rated at 01:50 PDT and again at
// 01:10 PST (20 minutes later) is scheduled: the earlier review is not
// taken for one after now, which go-fsrs would refuse.
func TestRepeatedHourAfterFallBack(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	s := DefaultSettings()
	s.TimeZone = "America/Los_Angeles"
	sc := mustScheduler(t, s)
	first := time.Date(2026, 11, 1, 8, 50, 0, 0, time.UTC) // 01:50 PDT
	second := first.Add(20 * time.Minute)                  // 01:10 PST
	if first.In(la).Hour() != 1 || second.In(la).Hour() != 1 {
		t.Fatalf("setup: %s, %s", first.In(la), second.In(la))
	}
	c, err := sc.Next(NewCard(first), first, Again)
	if err != nil {
		t.Fatal(err)
	}
	next, err := sc.Next(c, second, Good)
	if err != nil {
		t.Fatalf("rating 20 minutes later in the repeated hour: %v", err)
	}
	if !next.LastReview.Equal(second) || next.State != Learning || !next.Due.Equal(second.Add(10*time.Minute)) {
		t.Errorf("got %+v", next)
	}
	// A review that really is after now is still refused.
	if _, err := sc.Next(c, first.Add(-time.Minute), Good); err == nil {
		t.Error("a rating before the card's last review was accepted")
	}
}
