package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
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
}

func cardsCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:  "cards",
		Usage: "list cards with your state of each",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "deck", Usage: "only this deck"},
			&cli.StringFlag{Name: "tag", Usage: "only cards with this tag"},
			&cli.BoolFlag{Name: "retired", Usage: "include retired cards"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object per line"},
		},
		Action: func(c *cli.Context) error {
			return runCards(&cardsOptions{Env: *env, Deck: c.String("deck"), Tag: c.String("tag"), JSON: c.Bool("json"), Retired: c.Bool("retired")})
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
	enc := json.NewEncoder(o.Env.IO.Out)
	tw := tabwriter.NewWriter(o.Env.IO.Out, 0, 0, 2, ' ', 0)
	if !o.JSON {
		fmt.Fprintln(tw, "deck\tid\tkind\tstate\tdue\tfront")
	}
	err := o.Env.with(func(s *store.Store) error {
		loc, err := userZone(s, o.Env.User)
		if err != nil {
			return err
		}
		return s.EachCardState(o.Env.User, store.CardFilter{Deck: o.Deck, Tag: o.Tag, IncludeRetire: o.Retired},
			func(c store.StoredCard, st store.CardState, had bool) error {
				v := newCardJSON(c, st, had)
				if o.JSON {
					return enc.Encode(v)
				}
				due := ""
				if v.Due != "" {
					due = fsrs.FormatTime(st.Due, loc)
				}
				_, err := fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Deck, c.ID, c.Kind, v.State, due, truncate(c.Front, 60))
				return err
			})
	})
	if err != nil {
		return err
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
