package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/queue"
	"github.com/srs-tool/srs/store"
)

func decksCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:  "decks",
		Usage: "list the decks",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON"}},
		Action: func(c *cli.Context) error {
			return runDecks(*env, c.Bool("json"))
		},
	}
}

func runDecks(env *Env, asJSON bool) error {
	var decks []store.DeckInfo
	var loc *time.Location
	if err := env.with(func(s *store.Store) (err error) {
		if decks, err = s.Decks(); err != nil {
			return err
		}
		loc, err = userZone(s, env.User)
		return err
	}); err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(env.IO.Out).Encode(decks)
	}
	tw := tabwriter.NewWriter(env.IO.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "deck\tcards\tretired\tsource\timported")
	for _, d := range decks {
		src := d.Source
		if d.Builtin {
			src = "built-in guide"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", d.Name, d.Cards, d.Retired, src, fsrs.FormatTime(d.ImportedAt, loc))
	}
	return tw.Flush()
}

type cardsOptions struct {
	Env     *Env
	Deck    string
	Tag     string
	JSON    bool
	Retired bool
	Search  string
	States  []string
	Today   bool // only the cards today holds, in the order a session shows them
}

func cardsCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:  "cards",
		Usage: "list cards with your state of each",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "deck", Usage: "only this deck"},
			&cli.StringFlag{Name: "tag", Usage: "only cards with this tag"},
			&cli.StringFlag{Name: "search", Usage: "only cards whose front, back, tags or ID contain `TEXT` (any case)"},
			&cli.StringSliceFlag{Name: "state", Usage: "only cards in `STATE`: new, learning (relearning too), relearning, review, suspended or retired (repeat or list with commas)"},
			&cli.BoolFlag{Name: "retired", Usage: "include retired cards"},
			&cli.BoolFlag{Name: "today", Usage: "only the cards today holds (what srs status counts), in the order srs review shows them"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object per line"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError{fmt.Errorf("cards takes no arguments (did you mean --search %s?)", c.Args().First())}
			}
			return runCards(&cardsOptions{Env: *env, Deck: c.String("deck"), Tag: c.String("tag"), JSON: c.Bool("json"),
				Retired: c.Bool("retired"), Search: c.String("search"), States: c.StringSlice("state"), Today: c.Bool("today")})
		},
	}
}

// cardJSON is a card with the user's state: the JSONL export and
// `srs cards --json` share it.
type cardJSON struct {
	deck.Card
	Context    string   `json:"context,omitempty"` // a follow-up's question (export)
	Retired    bool     `json:"retired,omitempty"`
	State      string   `json:"state"`
	Due        string   `json:"due,omitempty"`
	Stability  *float64 `json:"stability,omitempty"`
	Difficulty *float64 `json:"difficulty,omitempty"`
	Reps       uint64   `json:"reps"`
	Lapses     uint64   `json:"lapses"`
	Suspended  bool     `json:"suspended,omitempty"`
	Today      string   `json:"today,omitempty"` // with --today: learning, review or new, as today counts it
}

func newCardJSON(c store.StoredCard, st store.CardState, had bool) cardJSON {
	v := cardJSON{Card: c.Card, Retired: c.Retired, State: "new"}
	if v.Tags == nil {
		v.Tags = []string{}
	}
	if had {
		v.State = stateName(st)
		if st.State != fsrs.New {
			v.Due = st.Due.UTC().Format("2006-01-02T15:04:05Z")
			s, d := st.Stability, st.Difficulty
			v.Stability, v.Difficulty = &s, &d
		}
		v.Reps, v.Lapses, v.Suspended = st.Reps, st.Lapses, st.Suspended
	}
	return v
}

func stateName(st store.CardState) string {
	switch st.State {
	case fsrs.Learning:
		return "learning"
	case fsrs.Review:
		return "review"
	case fsrs.Relearning:
		return "relearning"
	}
	return "new"
}

func runCards(o *cardsOptions) error {
	filter := store.CardFilter{Deck: o.Deck, Tag: o.Tag, IncludeRetire: o.Retired, Search: o.Search}
	for _, v := range o.States {
		for _, name := range strings.Split(v, ",") {
			st, err := store.ParseCardStatus(strings.TrimSpace(name))
			if err != nil {
				return usageError{fmt.Errorf("--state: %w", err)}
			}
			filter.Status = append(filter.Status, st)
		}
	}
	enc := json.NewEncoder(o.Env.IO.Out)
	tw := tabwriter.NewWriter(o.Env.IO.Out, 0, 0, 2, ' ', 0)
	if !o.JSON {
		if o.Today {
			fmt.Fprintln(tw, "deck\tid\tkind\tstate\ttoday\tdue\tfront")
		} else {
			fmt.Fprintln(tw, "deck\tid\tkind\tstate\tdue\tfront")
		}
	}
	n := 0
	err := o.Env.with(func(s *store.Store) error {
		if o.Deck != "" {
			if _, err := s.DeckInfo(o.Deck); err != nil {
				return err
			}
		}
		loc, err := userZone(s, o.Env.User)
		if err != nil {
			return err
		}
		line := func(c store.StoredCard, st store.CardState, had bool, today queue.Kind) error {
			n++
			v := newCardJSON(c, st, had)
			if today != 0 {
				v.Today = today.String()
			}
			if o.JSON {
				return enc.Encode(v)
			}
			// A due time means something only for a card in the schedule.
			status, due := store.StatusOf(c, st, had), ""
			if v.Due != "" && (status != store.StatusSuspended && status != store.StatusRetired) {
				due = fsrs.FormatTime(st.Due, loc)
			}
			if o.Today {
				_, err := fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Deck, c.ID, c.Kind, status, v.Today, due, truncate(c.Front, 60))
				return err
			}
			_, err := fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Deck, c.ID, c.Kind, status, due, truncate(c.Front, 60))
			return err
		}
		if !o.Today {
			return s.EachCardState(o.Env.User, filter, func(c store.StoredCard, st store.CardState, had bool) error {
				return line(c, st, had, 0)
			})
		}
		// Today's cards, as status counts them (the session over all
		// decks), in the session's order; the filters narrow the list.
		t, err := queue.Load(s, o.Env.User, o.Env.Now(), queue.Options{})
		if err != nil {
			return err
		}
		kinds := map[string]queue.Kind{}
		for _, sl := range t.Cards {
			kinds[sl.Card] = sl.Kind
		}
		type row struct {
			c   store.StoredCard
			st  store.CardState
			had bool
		}
		rows := map[string]row{}
		err = s.EachCardState(o.Env.User, filter, func(c store.StoredCard, st store.CardState, had bool) error {
			if _, ok := kinds[c.Key()]; ok {
				rows[c.Key()] = row{c, st, had}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, sl := range t.Cards {
			if r, ok := rows[sl.Card]; ok {
				if err := line(r.c, r.st, r.had, sl.Kind); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 && !o.JSON && (o.Search != "" || len(filter.Status) > 0 || o.Tag != "" || o.Today) {
		tw.Flush()
		if o.Today {
			fmt.Fprintln(o.Env.IO.ErrOut, "srs: nothing left today")
		} else {
			fmt.Fprintln(o.Env.IO.ErrOut, "srs: no cards match")
		}
		return nil
	}
	return tw.Flush()
}

func truncate(s string, n int) string {
	r := []rune(s)
	for i, c := range r {
		if c == '\n' {
			r[i] = ' '
		}
	}
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}
