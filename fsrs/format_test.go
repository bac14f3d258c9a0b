package fsrs

import (
	"os"
	"testing"
	"time"
)

// Times print in the zone the user's settings name, whatever the
// machine's zone (time.Local) is, and name that zone.
func TestFormatInUserZone(t *testing.T) {
	saved := time.Local
	defer func() { time.Local = saved }()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	time.Local = tokyo // the machine's zone, as TZ=Asia/Tokyo would set it
	s := DefaultSettings()
	s.TimeZone = "America/Los_Angeles"
	loc, err := s.Location()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 8, 5, 0, 0, 0, time.UTC) // Sat 7 Mar 21:00 PST
	tests := []struct {
		t    time.Time
		want string
	}{
		{now.Add(-time.Minute), "now"},
		{now, "now"},
		{now.Add(8 * time.Minute), "in 8m"},
		// 04:00 PDT on the 8th is 6 hours after 21:00 PST: the clocks
		// went forward at 02:00.
		{time.Date(2026, 3, 8, 4, 0, 0, 0, loc), "in 6h (04:00 PDT)"},
		{time.Date(2026, 3, 9, 4, 0, 0, 0, loc), "2026-03-09 04:00 PDT"},
		{time.Date(2026, 11, 2, 4, 0, 0, 0, loc), "2026-11-02 04:00 PST"},
	}
	for _, tt := range tests {
		if got := FormatWhen(tt.t, now, loc); got != tt.want {
			t.Errorf("FormatWhen(%s) = %q, want %q", tt.t, got, tt.want)
		}
	}
	if got, want := FormatTime(now, loc), "2026-03-07 21:00 PST"; got != want {
		t.Errorf("FormatTime = %q, want %q (machine zone %s)", got, want, time.Local)
	}
	// A zone without an abbreviation is named by its offset.
	sp, _ := time.LoadLocation("America/Sao_Paulo")
	if got, want := FormatTime(now, sp), "2026-03-08 02:00 -03"; got != want {
		t.Errorf("FormatTime in São Paulo = %q, want %q", got, want)
	}
	// An empty time_zone means the machine's zone, named.
	s.TimeZone = ""
	loc, _ = s.Location()
	if got, want := FormatTime(now, loc), "2026-03-08 14:00 JST"; got != want {
		t.Errorf("FormatTime with time_zone unset = %q, want %q (TZ=%s)", got, want, os.Getenv("TZ"))
	}
}
