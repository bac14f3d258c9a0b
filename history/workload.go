package history

import (
	"errors"
	"math"
	"time"

	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/fsrs/optimize"
	"github.com/srs-tool/srs/store"
)

// Workload is what the simulator plays out for a user: their weights,
// daily limits, steps and habits (Config, Params), the cards they
// already know (Existing) and the number of cards in scope.
type Workload struct {
	Config   optimize.SimConfig
	Params   optimize.Params
	Existing []optimize.SimCard
	Cards    int
}

// ReadWorkload builds the user's workload at now over the cards of
// deckName ("" for all): the simulator's defaults with no daily time cap,
// the user's limits, steps, maximum interval and weights from st, their
// habits from l, and every card of theirs that is past new as it stands.
// With no new cards a day, only the known cards are simulated.
func ReadWorkload(s *store.Store, user, deckName string, st fsrs.Settings, l *Log, now time.Time) (Workload, error) {
	w := Workload{Params: optimize.DefaultParams}
	if len(st.Weights) == len(w.Params) {
		copy(w.Params[:], st.Weights)
	}
	cfg := optimize.DefaultSimConfig()
	cfg.LearnLimit, cfg.ReviewLimit = st.NewPerDay, st.ReviewsPerDay
	cfg.MaxCostPerDay = math.Inf(1)
	cfg.LearningSteps, cfg.RelearningSteps = len(st.LearningSteps), len(st.RelearningSteps)
	cfg.MaxInterval = float64(st.MaximumInterval)
	l.Habits().Apply(&cfg)
	err := s.EachCardState(user, store.CardFilter{Deck: deckName}, func(c store.StoredCard, cs store.CardState, had bool) error {
		w.Cards++
		if had && cs.State != fsrs.New && cs.Stability > 0 {
			w.Existing = append(w.Existing, optimize.SimCard{Stability: cs.Stability, Difficulty: cs.Difficulty,
				LastDate: -now.Sub(cs.LastReview).Hours() / 24, Due: math.Max(0, math.Floor(cs.Due.Sub(now).Hours()/24))})
		}
		return nil
	})
	if err != nil {
		return w, err
	}
	if w.Cards == 0 {
		return w, errors.New("no cards to simulate")
	}
	cfg.DeckSize = w.Cards
	if st.NewPerDay == 0 { // every card in scope is already known
		cfg.DeckSize = max(len(w.Existing), 1)
	}
	w.Config = cfg
	return w, nil
}
