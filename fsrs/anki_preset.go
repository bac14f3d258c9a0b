package fsrs

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	gofsrs "github.com/open-spaced-repetition/go-fsrs/v4"
)

// AnkiPreset is the FSRS part of an Anki deck options preset (a deck
// config) as a collection stores it, for the deck a card is in: legacy
// collections keep it as JSON (fsrsWeights, fsrsParams5, fsrsParams6,
// desiredRetention, sm2Retention), newer ones as DeckConfig.Config
// protobuf (fields 3, 5, 6, 37 and 40). A deck may override the preset's
// desired retention; DesiredRetention is the deck's then.
type AnkiPreset struct {
	Name string
	// Params4, Params5 and Params6 are the parameters of FSRS 4.5 (17),
	// FSRS-5 (19) and FSRS-6 (21): Anki keeps the newest it has fitted
	// and falls back to older ones (DeckConfig::fsrs_params).
	Params4, Params5, Params6 []float64
	DesiredRetention          float64 // 0 when unset
	HistoricalRetention       float64 // the retention SM-2 is assumed to have kept; 0 when unset
}

// Weights returns the preset's parameters as FSRS-6's 21 weights, as Anki
// and fsrs-rs read them: the FSRS-6 set when there is one, else FSRS-5's,
// else FSRS 4.5's, converted as fsrs-rs's check_and_fill_parameters does
// (FSRS-5: no short-term decay w19 = 0, decay w20 = 0.5; FSRS 4.5 also:
// w4 += 2·w5, w5 = ln(3·w5 + 1)/3, w6 += 0.5, w17 = w18 = 0). It returns
// nil when the preset has none, and an error for a set of another size
// or with a number that is not finite.
func (p AnkiPreset) Weights() ([]float64, error) {
	src := p.Params6
	if len(src) == 0 {
		src = p.Params5
	}
	if len(src) == 0 {
		src = p.Params4
	}
	w := slices.Clone(src)
	switch len(w) {
	case 0:
		return nil, nil
	case 17:
		w[4] += 2 * w[5]
		w[5] = math.Log(3*w[5]+1) / 3
		w[6] += 0.5
		w = append(w, 0, 0, 0, 0.5)
	case 19:
		w = append(w, 0, 0.5)
	case 21:
	default:
		return nil, fmt.Errorf("deck options %q: %d FSRS parameters; want 17, 19 or 21", p.Name, len(w))
	}
	for i, x := range w {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("deck options %q: FSRS parameter %d is not a finite number", p.Name, i)
		}
	}
	return w, nil
}

// historicalRetention is the retention to infer SM-2 memory states at:
// the preset's when it has a usable one, else Anki's default.
func (p *AnkiPreset) historicalRetention() float64 {
	if p != nil && p.HistoricalRetention > 0 && p.HistoricalRetention < 1 {
		return p.HistoricalRetention
	}
	return ankiHistoricalRetention
}

// AnkiParams are FSRS parameters found in a package's deck options, which
// a user may adopt.
type AnkiParams struct {
	Preset           string    // the deck options' name
	Weights          []float64 // FSRS-6's 21 weights (converted from older versions)
	DesiredRetention float64   // 0 when the deck options set none
	Cards            int       // the package's cards scheduled under them
}

// FindAnkiParams picks, among the deck options of the cards' decks, the
// FSRS parameters that schedule the most of the cards (ties: by preset
// name, then parameters), and reports whether any carried parameters.
// Presets whose parameters srs cannot read are left out, each with an
// error saying why.
func FindAnkiParams(cards map[string]AnkiProgress) (AnkiParams, bool, []error) {
	type key struct {
		name string
		w    string
		dr   float64
	}
	found := map[key]*AnkiParams{}
	var errs []error
	bad := map[*AnkiPreset]bool{}
	for _, p := range cards {
		if p.Preset == nil || bad[p.Preset] {
			continue
		}
		w, err := p.Preset.Weights()
		if err != nil {
			bad[p.Preset] = true
			errs = append(errs, err)
			continue
		}
		if w == nil {
			continue
		}
		dr := p.Preset.DesiredRetention
		if !(dr > 0 && dr < 1) {
			dr = 0
		}
		k := key{p.Preset.Name, fmt.Sprint(w), dr}
		if found[k] == nil {
			found[k] = &AnkiParams{Preset: p.Preset.Name, Weights: w, DesiredRetention: dr}
		}
		found[k].Cards++
	}
	keys := make([]key, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if found[a].Cards != found[b].Cards {
			return found[a].Cards > found[b].Cards
		}
		if a.name != b.name {
			return a.name < b.name
		}
		if a.w != b.w {
			return a.w < b.w
		}
		return a.dr < b.dr
	})
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	if len(keys) == 0 {
		return AnkiParams{}, false, errs
	}
	return *found[keys[0]], true, errs
}

// Adopt returns s scheduling with p: its weights, and its desired
// retention when it sets one; from names where they came from (shown by
// `srs settings`). The weights are no longer those `srs optimize` fitted.
func (s Settings) Adopt(p AnkiParams, from string) (Settings, error) {
	s.Weights = slices.Clone(p.Weights)
	if p.DesiredRetention > 0 {
		s.DesiredRetention = p.DesiredRetention
	}
	s.FittedAt, s.FittedReviews = time.Time{}, 0
	s.WeightsFrom = from
	return s, s.Validate()
}

// Schedules reports whether s already schedules with p: the same weights
// (the defaults when s has none) and, when p sets one, the same desired
// retention.
func (s Settings) Schedules(p AnkiParams) bool {
	w := s.Weights
	if len(w) == 0 {
		d := gofsrs.DefaultWeights()
		w = d[:]
	}
	return slices.Equal(w, p.Weights) && (p.DesiredRetention == 0 || p.DesiredRetention == s.DesiredRetention)
}
