package fsrs

import (
	"fmt"
	"math"
	"time"

	gofsrs "github.com/open-spaced-repetition/go-fsrs/v4"
)

// Settings are one user's scheduling preferences.
type Settings struct {
	DesiredRetention float64         `json:"desired_retention"` // target recall probability, (0, 1)
	MaximumInterval  int             `json:"maximum_interval"`  // days, 1..36500
	NewPerDay        int             `json:"new_per_day"`       // new cards introduced per day
	ReviewsPerDay    int             `json:"reviews_per_day"`   // review cards shown per day
	LearningSteps    []time.Duration `json:"learning_steps"`    // same-day steps for new cards
	RelearningSteps  []time.Duration `json:"relearning_steps"`  // same-day steps after a lapse
	DayStartHour     int             `json:"day_start_hour"`    // local hour the day rolls over, 0..23
	TimeZone         string          `json:"time_zone"`         // IANA zone; "" means the machine's
	Fuzz             bool            `json:"fuzz"`              // spread review intervals a little
	Weights          []float64       `json:"weights,omitempty"` // 21 FSRS-6 weights; empty means defaults
	// NewOrder is how a day's new cards are gathered across decks:
	// NewOrderRoundRobin or NewOrderDeck; "" (settings saved before
	// there was a choice) is round-robin.
	NewOrder string `json:"new_order,omitempty"`
	// NewIgnoresReviewLimit lets new cards come once the review limit
	// is reached. By default, as in Anki, every new card introduced
	// counts against the review limit and none come once it is reached.
	NewIgnoresReviewLimit bool `json:"new_ignores_review_limit,omitempty"`
	// MinutesPerDay is a daily time budget: when above 0, a day's new
	// cards are held back so that its estimated time (package queue)
	// stays within it. Reviews are never held back by it. 0 is no
	// budget, and what settings saved before there was one read as.
	MinutesPerDay int `json:"minutes_per_day,omitempty"`
	// FittedAt and FittedReviews say when `srs optimize` fitted Weights
	// to the user's log, and to how many reviews; zero for weights that
	// were not fitted here.
	FittedAt      time.Time `json:"fitted_at,omitzero"`
	FittedReviews int       `json:"fitted_reviews,omitempty"`
	// WeightsFrom names where Weights came from when they were neither
	// fitted here nor typed: the Anki deck options an import adopted
	// (`srs import --adopt-params`).
	WeightsFrom string `json:"weights_from,omitempty"`
}

// The orders new cards can be gathered in across decks (package queue
// says what each means).
const (
	NewOrderRoundRobin = "round-robin"
	NewOrderDeck       = "deck"
)

// DefaultSettings are what a new user gets.
func DefaultSettings() Settings {
	return Settings{
		DesiredRetention: 0.9,
		MaximumInterval:  36500,
		NewPerDay:        10,
		ReviewsPerDay:    200,
		LearningSteps:    []time.Duration{time.Minute, 10 * time.Minute},
		RelearningSteps:  []time.Duration{10 * time.Minute},
		DayStartHour:     4,
		Fuzz:             true,
		// NewOrder "" is round-robin: a settings record without the
		// key reads the same whichever srs wrote it.
	}
}

// Validate refuses settings go-fsrs would silently replace with defaults,
// and those srs itself cannot honour. The error names the field.
func (s Settings) Validate() error {
	if !(s.DesiredRetention > 0 && s.DesiredRetention < 1) {
		return fmt.Errorf("desired_retention %v: must be between 0 and 1 (exclusive)", s.DesiredRetention)
	}
	if s.MaximumInterval < 1 || s.MaximumInterval > 36500 {
		return fmt.Errorf("maximum_interval %d: must be 1..36500 days", s.MaximumInterval)
	}
	if s.NewPerDay < 0 || s.NewPerDay > 100000 {
		return fmt.Errorf("new_per_day %d: must be 0..100000", s.NewPerDay)
	}
	if s.MinutesPerDay < 0 || s.MinutesPerDay > 1440 {
		return fmt.Errorf("minutes_per_day %d: must be 0..1440 (0: no budget)", s.MinutesPerDay)
	}
	if s.ReviewsPerDay < 0 || s.ReviewsPerDay > 1000000 {
		return fmt.Errorf("reviews_per_day %d: must be 0..1000000", s.ReviewsPerDay)
	}
	for name, steps := range map[string][]time.Duration{"learning_steps": s.LearningSteps, "relearning_steps": s.RelearningSteps} {
		if len(steps) > 10 {
			return fmt.Errorf("%s: at most 10 steps, got %d", name, len(steps))
		}
		for i, d := range steps {
			if d < time.Second || d > 30*24*time.Hour {
				return fmt.Errorf("%s[%d] %v: must be between 1s and 30 days", name, i, d)
			}
		}
	}
	if s.NewOrder != "" && s.NewOrder != NewOrderRoundRobin && s.NewOrder != NewOrderDeck {
		return fmt.Errorf("new_order %q: want %s or %s", s.NewOrder, NewOrderRoundRobin, NewOrderDeck)
	}
	if s.DayStartHour < 0 || s.DayStartHour > 23 {
		return fmt.Errorf("day_start_hour %d: must be 0..23", s.DayStartHour)
	}
	if _, err := s.Location(); err != nil {
		return fmt.Errorf("time_zone %q: %v", s.TimeZone, err)
	}
	if len(s.Weights) != 0 {
		if len(s.Weights) != len(gofsrs.Weights{}) {
			return fmt.Errorf("weights: need %d FSRS-6 weights, got %d", len(gofsrs.Weights{}), len(s.Weights))
		}
		for i, w := range s.Weights {
			if math.IsNaN(w) || math.IsInf(w, 0) {
				return fmt.Errorf("weights[%d]: must be a finite number", i)
			}
		}
		if s.Weights[20] <= 0 {
			return fmt.Errorf("weights[20] %v: the decay must be positive", s.Weights[20])
		}
	}
	p := s.parameters()
	if err := p.Validate(); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	return nil
}

// Location is the user's time zone.
func (s Settings) Location() (*time.Location, error) {
	if s.TimeZone == "" || s.TimeZone == "Local" {
		return time.Local, nil
	}
	return time.LoadLocation(s.TimeZone)
}

func (s Settings) parameters() gofsrs.Parameters {
	p := gofsrs.DefaultParam()
	p.RequestRetention = s.DesiredRetention
	p.MaximumInterval = float64(s.MaximumInterval)
	p.EnableFuzz = s.Fuzz
	p.EnableShortTerm = true
	p.LearningSteps = minutes(s.LearningSteps)
	p.RelearningSteps = minutes(s.RelearningSteps)
	if len(s.Weights) == len(p.W) {
		copy(p.W[:], s.Weights)
	}
	return p
}

func minutes(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = d.Minutes()
	}
	return out
}

// DecayWeight is the FSRS-6 decay (w20) these settings schedule with.
func (s Settings) DecayWeight() float64 {
	if len(s.Weights) == 21 {
		return s.Weights[20]
	}
	return gofsrs.DefaultWeights()[20]
}
