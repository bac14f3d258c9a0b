package fsrs

import (
	"fmt"
	"time"
)

// TimeLayout is how srs prints a moment for a user: date, time and the
// zone's abbreviation (or its offset, for zones without one).
const TimeLayout = "2006-01-02 15:04 MST"

// FormatTime renders t in the user's zone loc, naming the zone:
// "2026-03-09 04:00 PDT". Every time srs prints for a user goes through
// here or FormatWhen, with loc from the user's time_zone setting
// (Settings.Location), so none comes out in the machine's zone when the
// setting names another.
func FormatTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(TimeLayout)
}

// FormatWhen renders a due time as seen from now: "now", "in 8m" within
// the hour, "in 7h (04:00 PST)" within a day, else FormatTime. Hours and
// minutes are real elapsed time, so across a DST change "in 7h" is seven
// hours even when the wall clock moves by six or eight.
func FormatWhen(t, now time.Time, loc *time.Location) string {
	d := t.Sub(now)
	switch {
	case d <= 0:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("in %dm", int(d.Minutes()+0.5))
	case d < 24*time.Hour:
		return fmt.Sprintf("in %dh (%s)", int(d.Hours()+0.5), t.In(loc).Format("15:04 MST"))
	}
	return FormatTime(t, loc)
}
