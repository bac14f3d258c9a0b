package main

import (
	"fmt"
	"time"

	"github.com/srs-tool/srs/store"
)

// userZone is the user's time_zone setting (the machine's zone when it is
// empty). Every time a command prints is shown in it, through
// fsrs.FormatTime or fsrs.FormatWhen, never in the machine's zone when
// the setting names another.
func userZone(s *store.Store, user string) (*time.Location, error) {
	st, err := s.Settings(user)
	if err != nil {
		return nil, err
	}
	loc, err := st.Location()
	if err != nil {
		return nil, fmt.Errorf("time_zone %q: %w", st.TimeZone, err)
	}
	return loc, nil
}

// count says how many of a thing, the noun in the singular or plural as
// n asks: "1 card", "2 cards", "0 reviews".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
