package fsrs

import "time"

// Day is one of the user's days: from the day-start hour (local) to the
// next. A card is "due today" when it is due before End.
type Day struct {
	Start, End time.Time
}

// DayOf returns the user's day containing t.
func (s *Scheduler) DayOf(t time.Time) Day {
	return DayOf(t, s.loc, s.settings.DayStartHour)
}

// DayOf returns the day containing t for a user in loc whose day starts at
// hour. Days are computed on the local calendar, so a day spanning a DST
// change is 23 or 25 hours long.
func DayOf(t time.Time, loc *time.Location, hour int) Day {
	l := t.In(loc)
	start := time.Date(l.Year(), l.Month(), l.Day(), hour, 0, 0, 0, loc)
	if l.Before(start) {
		start = time.Date(l.Year(), l.Month(), l.Day()-1, hour, 0, 0, 0, loc)
	}
	end := time.Date(start.Year(), start.Month(), start.Day()+1, hour, 0, 0, 0, loc)
	return Day{Start: start.UTC(), End: end.UTC()}
}

// Contains reports whether t falls within the day.
func (d Day) Contains(t time.Time) bool { return !t.Before(d.Start) && t.Before(d.End) }

// DueToday reports whether a card due at due is due on the day containing now.
func (s *Scheduler) DueToday(due, now time.Time) bool {
	return due.Before(s.DayOf(now).End)
}
