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

// DayStart returns when the user's day n days after the one containing t
// begins: DayStart(t, 0) is the start of t's day, DayStart(t, 1) the start
// of the next. A card due in n days is due at DayStart(now, n).
func (s *Scheduler) DayStart(t time.Time, n int) time.Time {
	return dayStart(t, s.loc, s.settings.DayStartHour, n)
}

// Location is the user's time zone, the one their days and every time
// srs prints for them are in.
func (s *Scheduler) Location() *time.Location { return s.loc }

// DayOf returns the day containing t for a user in loc whose day starts at
// hour. Days are computed on the local calendar, so a day spanning a DST
// change is 23 or 25 hours long.
func DayOf(t time.Time, loc *time.Location, hour int) Day {
	return Day{Start: dayStart(t, loc, hour, 0), End: dayStart(t, loc, hour, 1)}
}

// dayStart counts n days on the local calendar from the day containing t
// and returns that day's start (in UTC). Counting calendar dates rather
// than adding n×24h is what keeps a due on the right day across DST.
func dayStart(t time.Time, loc *time.Location, hour, n int) time.Time {
	l := t.In(loc)
	d := l.Day()
	if l.Before(time.Date(l.Year(), l.Month(), d, hour, 0, 0, 0, loc)) {
		d-- // before the day-start hour: still the previous day
	}
	return time.Date(l.Year(), l.Month(), d+n, hour, 0, 0, 0, loc).UTC()
}

// Contains reports whether t falls within the day.
func (d Day) Contains(t time.Time) bool { return !t.Before(d.Start) && t.Before(d.End) }

// DueToday reports whether a card due at due is due on the day containing now.
func (s *Scheduler) DueToday(due, now time.Time) bool {
	return due.Before(s.DayOf(now).End)
}
