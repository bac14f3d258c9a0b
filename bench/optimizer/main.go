// Command optimizer is the Go half of the side-by-side benchmark of
// srs's FSRS-6 optimizer (fsrs/optimize) and fsrs-rs (through its Node
// binding, fsrs-rs.mjs beside this file); run.sh drives both.
//
//	optimizer gen -dir D -reviews N     simulate a learner, write D/items.json, D/held.json, D/truth.json
//	optimizer fit -dir D [-peritem]     fit with srs, add the wall time to D/srs[-peritem].json
//	optimizer report -dir D             score every fit with srs's evaluator, print Markdown rows
//
// Items are written as built by optimize.Items, each a list of
// [rating, days since the previous review] pairs (items.json), with the
// number of the card each belongs to (items-cards.json), so that both
// optimizers train on the very same items.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/srs-tool/srs/fsrs/optimize"
)

type fitFile struct {
	Params []float64 `json:"params"`
	Ms     []float64 `json:"ms"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: optimizer gen|fit|report -dir D ...")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dir := fs.String("dir", "", "working directory")
	reviews := fs.Int("reviews", 10000, "reviews to simulate (gen)")
	perItem := fs.Bool("peritem", false, "fit item by item, as the Node binding does (fit)")
	fs.Parse(os.Args[2:])
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "-dir is required")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(*dir, *reviews)
	case "fit":
		err = fit(*dir, *perItem)
	case "report":
		err = report(*dir)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "optimizer:", err)
		os.Exit(1)
	}
}

// truth is the simulated user: FSRS-6's defaults moved as the recovery
// test moves them (initial stabilities scaled log-normally and kept in
// order, the rest by 0.3 of fsrs-rs's per-weight spread).
func truth() optimize.Params {
	rng := rand.New(rand.NewPCG(42, 42))
	p := optimize.DefaultParams
	for i := range 4 {
		p[i] *= math.Exp(0.5 * rng.NormFloat64())
	}
	sort.Float64s(p[:4])
	spread := [21]float64{6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6, 0.12, 0.39, 0.18, 0.33, 0.3, 0.09, 0.16, 0.57, 0.25, 1.03, 0.31, 0.32, 0.14, 0.27}
	for i := 4; i < 21; i++ {
		p[i] += rng.NormFloat64() * 0.3 * spread[i]
	}
	return p.Clip(1, true)
}

func learnerItems(reviews int, seed uint64) ([]optimize.Item, error) {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		return nil, err
	}
	l := optimize.Learner{Params: truth(), Reviews: reviews, Seed: seed, Loc: loc, DayStartHour: 4}
	return optimize.Items(l.Log(), optimize.DayNumber(loc, 4))
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func encodeItems(items []optimize.Item) [][][2]int {
	out := make([][][2]int, len(items))
	for i, it := range items {
		for _, s := range it.Steps {
			out[i] = append(out[i], [2]int{int(s.Rating), int(s.DeltaT)})
		}
	}
	return out
}

func loadItems(dir, name string) ([]optimize.Item, error) {
	var raw [][][2]int
	if err := readJSON(filepath.Join(dir, name+".json"), &raw); err != nil {
		return nil, err
	}
	var cards []int
	if err := readJSON(filepath.Join(dir, name+"-cards.json"), &cards); err != nil {
		return nil, err
	}
	items := make([]optimize.Item, len(raw))
	for i, r := range raw {
		steps := make([]optimize.Step, len(r))
		for j, s := range r {
			steps[j] = optimize.Step{Rating: uint8(s[0]), DeltaT: uint32(s[1])}
		}
		items[i] = optimize.Item{Steps: steps, Card: cards[i]}
	}
	return items, nil
}

func writeItems(dir, name string, items []optimize.Item) error {
	cards := make([]int, len(items))
	for i, it := range items {
		cards[i] = it.Card
	}
	if err := writeJSON(filepath.Join(dir, name+"-cards.json"), cards); err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, name+".json"), encodeItems(items))
}

func gen(dir string, reviews int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	items, err := learnerItems(reviews, 1)
	if err != nil {
		return err
	}
	held, err := learnerItems(20000, 2)
	if err != nil {
		return err
	}
	if err := writeItems(dir, "items", items); err != nil {
		return err
	}
	if err := writeItems(dir, "held", held); err != nil {
		return err
	}
	p := truth()
	fmt.Fprintf(os.Stderr, "gen: %d reviews -> %d items, held-out %d items\n", reviews, len(items), len(held))
	return writeJSON(filepath.Join(dir, "truth.json"), fitFile{Params: p[:]})
}

func fit(dir string, perItem bool) error {
	items, err := loadItems(dir, "items")
	if err != nil {
		return err
	}
	name := "srs.json"
	if perItem {
		name = "srs-peritem.json"
	}
	path := filepath.Join(dir, name)
	var f fitFile
	readJSON(path, &f) // a first run has none
	t0 := time.Now()
	res, err := optimize.Fit(context.Background(), items, optimize.Options{PerItem: perItem})
	el := time.Since(t0)
	if err != nil {
		return err
	}
	f.Params = res.Params[:]
	f.Ms = append(f.Ms, float64(el.Microseconds())/1000)
	return writeJSON(path, f)
}

type metricPair struct {
	LogLoss  float64 `json:"logLoss"`
	RMSEBins float64 `json:"rmseBins"`
}

type rsFile struct {
	Params []float64                        `json:"params"`
	Ms     []float64                        `json:"ms"`
	Eval   map[string]map[string]metricPair `json:"eval"` // fit name -> "items"|"held" -> metrics
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return math.NaN()
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func report(dir string) error {
	items, err := loadItems(dir, "items")
	if err != nil {
		return err
	}
	held, err := loadItems(dir, "held")
	if err != nil {
		return err
	}
	fits := map[string]fitFile{}
	for _, n := range []string{"truth", "srs", "srs-peritem"} {
		var f fitFile
		if err := readJSON(filepath.Join(dir, n+".json"), &f); err != nil {
			return err
		}
		fits[n] = f
	}
	var rs rsFile
	if err := readJSON(filepath.Join(dir, "rs.json"), &rs); err != nil {
		return err
	}
	fits["fsrs-rs"] = fitFile{Params: rs.Params, Ms: rs.Ms}
	fits["defaults"] = fitFile{Params: optimize.DefaultParams[:]}
	evItems, evHeld := optimize.EvaluationItems(items), optimize.EvaluationItems(held)
	fmt.Printf("\nitems: %d (%d after the outlier filter); held-out: %d (%d)\n\n", len(items), len(evItems), len(held), len(evHeld))
	fmt.Println("| fit | wall time (median) | LL (srs eval) | LL (fsrs-rs eval) | RMSE(bins) (srs eval) | RMSE(bins) (fsrs-rs eval) | held-out LL (srs / fsrs-rs eval) | held-out RMSE(bins) (srs / fsrs-rs eval) |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, n := range []string{"srs", "srs-peritem", "fsrs-rs", "truth", "defaults"} {
		f := fits[n]
		var p optimize.Params
		copy(p[:], f.Params)
		a, err := optimize.Evaluate(p, evItems)
		if err != nil {
			return err
		}
		h, err := optimize.Evaluate(p, evHeld)
		if err != nil {
			return err
		}
		ra, rh := rs.Eval[n]["items"], rs.Eval[n]["held"]
		wall := "—"
		if len(f.Ms) > 0 {
			wall = fmt.Sprintf("%.0f ms (%d runs)", median(f.Ms), len(f.Ms))
		}
		fmt.Printf("| %s | %s | %.5f | %.5f | %.5f | %.5f | %.5f / %.5f | %.5f / %.5f |\n",
			n, wall, a.LogLoss, ra.LogLoss, a.RMSEBins, ra.RMSEBins, h.LogLoss, rh.LogLoss, h.RMSEBins, rh.RMSEBins)
	}
	return nil
}
