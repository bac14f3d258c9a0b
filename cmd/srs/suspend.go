package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/store"
)

// suspendCommand builds `srs suspend` and `srs unsuspend`: the same change
// a review session's `s` makes, for cards named outside a session.
func suspendCommand(env **Env, suspend bool) *cli.Command {
	name, usage := "unsuspend", "put suspended cards back into your schedule"
	if suspend {
		name, usage = "suspend", "take cards out of your schedule until unsuspended"
	}
	return &cli.Command{
		Name:      name,
		Usage:     usage,
		ArgsUsage: "DECK/ID...",
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usageError{fmt.Errorf("%s needs cards, as deck/id (see srs cards)", name)}
			}
			return runSuspend(*env, c.Args().Slice(), suspend)
		},
	}
}

func runSuspend(env *Env, cards []string, suspend bool) error {
	now := env.Now()
	return env.with(func(s *store.Store) error {
		for _, arg := range cards {
			c, err := findCard(s, arg)
			if err != nil {
				return err
			}
			deckName, id := c.Deck, c.ID
			st, had, err := s.State(env.User, deckName, id)
			if err != nil {
				return err
			}
			if st.Suspended == suspend {
				fmt.Fprintf(env.IO.Out, "%s: already %s\n", arg, map[bool]string{true: "suspended", false: "not suspended"}[suspend])
				continue
			}
			after := st
			if !had {
				after.Card.Due = now
			}
			after.Suspended = suspend
			act, done := store.ActUnsuspend, "unsuspended"
			if suspend {
				act, done = store.ActSuspend, "suspended"
			}
			if _, err := s.Record(env.User, store.Change{Card: deck.Key(deckName, id), Time: now, Action: act,
				Before: st, HadState: had, After: after}); err != nil {
				return err
			}
			fmt.Fprintf(env.IO.Out, "%s: %s\n", arg, done)
		}
		return nil
	})
}
