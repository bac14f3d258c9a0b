package main

import (
	"fmt"
	"strconv"

	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

// ankiOffer is the FSRS parameters an import found in the Anki packages'
// deck options (the preset scheduling most of their cards), which
// --adopt-params makes the user's.
type ankiOffer struct {
	found   bool
	params  fsrs.AnkiParams
	file    string
	current fsrs.Settings  // the user's settings before the import
	adopted *fsrs.Settings // with the offer adopted, when --adopt-params
}

// add considers the deck options of one package's cards; the package
// whose parameters schedule the most cards wins. Options srs cannot read
// are warned about.
func (a *ankiOffer) add(o *importOptions, file string, sched map[string]fsrs.AnkiProgress) {
	p, ok, errs := fsrs.FindAnkiParams(sched)
	for _, err := range errs {
		fmt.Fprintf(o.Env.IO.ErrOut, "srs: warning: %s: %v; not offered\n", file, err)
	}
	if ok && (!a.found || p.Cards > a.params.Cards) {
		a.found, a.params, a.file = true, p, file
	}
}

// settings are the settings the import converts history with and leaves
// the user with: their own, or with --adopt-params the offer adopted.
func (a *ankiOffer) settings(o *importOptions, s *store.Store) (fsrs.Settings, error) {
	st, err := s.Settings(o.Env.User)
	if err != nil {
		return st, err
	}
	a.current = st
	if !o.AdoptParams || !a.found {
		return st, nil
	}
	adopted, err := st.Adopt(a.params, a.source())
	if err != nil {
		return st, fmt.Errorf("--adopt-params: %s: %w", a.source(), err)
	}
	a.adopted = &adopted
	return adopted, nil
}

func (a *ankiOffer) source() string {
	return fmt.Sprintf("Anki deck options %q in %s", a.params.Preset, a.file)
}

// print says what was found and what became of it.
func (a *ankiOffer) print(o *importOptions, res store.ImportResult) {
	out := o.Env.IO.Out
	switch {
	case !a.found:
		if o.AdoptParams {
			fmt.Fprintf(o.Env.IO.ErrOut, "srs: warning: --adopt-params: no FSRS parameters in the packages' deck options; settings unchanged\n")
		}
		return
	case a.current.Schedules(a.params):
		if o.AdoptParams {
			fmt.Fprintf(out, "FSRS parameters of %s: already your settings\n", a.source())
		}
		return
	}
	what := "weights"
	if dr := a.params.DesiredRetention; dr > 0 {
		what += " and desired retention " + strconv.FormatFloat(dr, 'f', -1, 64)
	}
	switch {
	case o.AdoptParams && o.DryRun:
		fmt.Fprintf(out, "would adopt the FSRS %s of %s (%d cards)\n", what, a.source(), a.params.Cards)
	case o.AdoptParams && res.Settings:
		fmt.Fprintf(out, "adopted the FSRS %s of %s (%d cards); srs settings shows them\n", what, a.source(), a.params.Cards)
	case o.AdoptParams:
		return
	default:
		fmt.Fprintf(out, "FSRS %s found in %s (%d cards); not adopted: import with --adopt-params to schedule with them\n",
			what, a.source(), a.params.Cards)
	}
	fmt.Fprintf(out, "weights: %s\n", formatWeights(a.params.Weights))
}
