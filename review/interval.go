package review

import (
	"fmt"
	"math"
	"time"
)

// FormatInterval renders the time until a card is due again the way Anki
// labels its buttons: a step within the learn-ahead limit as "<10m" (it
// may come back sooner), then minutes, hours, days, months and years with
// one decimal where it helps.
func FormatInterval(d time.Duration) string {
	switch {
	case d < 20*time.Minute:
		return fmt.Sprintf("<%dm", max(1, int(math.Ceil(d.Minutes()))))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(math.Round(d.Minutes())))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", int(math.Round(d.Hours())))
	}
	days := d.Hours() / 24
	switch {
	case days < 30:
		return fmt.Sprintf("%dd", int(math.Round(days)))
	case days < 365:
		return trimZero(days/30.4375) + "mo"
	default:
		return trimZero(days/365.25) + "y"
	}
}

func trimZero(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}
