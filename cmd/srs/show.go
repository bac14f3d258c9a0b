package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/internal/termmd"
	"github.com/srs-tool/srs/store"
)

type showOptions struct {
	Env  *Env
	Card string // DECK/ID
	JSON bool
}

func showCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "one card: front, back, tags, parent, your state of it and its history",
		ArgsUsage: "DECK/ID",
		Flags:     []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON"}},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError{fmt.Errorf("show takes one card, as deck/id (see srs cards)")}
			}
			return runShow(&showOptions{Env: *env, Card: c.Args().First(), JSON: c.Bool("json")})
		},
	}
}

// shown is everything `srs show` prints of a card.
type shown struct {
	card    store.StoredCard
	parent  *deck.Card
	state   store.CardState
	had     bool
	history []store.Entry
	loc     *time.Location
	now     time.Time
}

// showJSON is `srs show --json`: the card as `srs cards --json` has it,
// its status, and its log entries as `srs log --json` has them.
type showJSON struct {
	cardJSON
	Status  string    `json:"status"`
	History []logJSON `json:"history"`
}

func runShow(o *showOptions) error {
	var v shown
	v.now = o.Env.Now()
	err := o.Env.with(func(s *store.Store) (err error) {
		if v.card, err = findCard(s, o.Card); err != nil {
			return err
		}
		c := v.card
		if c.Parent != "" {
			if p, err := s.Card(c.Deck, c.Parent); err == nil {
				v.parent = &p.Card
			}
		}
		if v.state, v.had, err = s.State(o.Env.User, c.Deck, c.ID); err != nil {
			return err
		}
		if v.history, err = s.CardLog(o.Env.User, c.Deck, c.ID); err != nil {
			return err
		}
		v.loc, err = userZone(s, o.Env.User)
		return err
	})
	if err != nil {
		return err
	}
	status := store.StatusOf(v.card, v.state, v.had)
	if o.JSON {
		out := showJSON{cardJSON: newCardJSON(v.card, v.state, v.had), Status: string(status), History: []logJSON{}}
		for _, e := range v.history {
			out.History = append(out.History, newLogJSON(e))
		}
		return json.NewEncoder(o.Env.IO.Out).Encode(out)
	}
	return v.print(o.Env, status)
}

func (v *shown) print(env *Env, status store.CardStatus) error {
	w := env.IO.Out
	c := v.card
	fmt.Fprintf(w, "%s/%s · %s · %s\n", c.Deck, c.ID, c.Kind, status)
	fmt.Fprintf(w, "state:   %s\n", v.stateLine(status))
	if len(c.Tags) > 0 {
		fmt.Fprintf(w, "tags:    %s\n", strings.Join(c.Tags, ", "))
	}
	if c.Parent != "" {
		front := "(not found)"
		if v.parent != nil {
			front = truncate(v.parent.Front, 70)
		}
		fmt.Fprintf(w, "parent:  %s/%s · %s\n", c.Deck, c.Parent, front)
	}
	if c.Source != "" {
		fmt.Fprintf(w, "source:  %s\n", c.Source)
	}
	fmt.Fprintln(w)
	// On a terminal the card is laid out as the review screen lays it
	// out; piped, it is the Markdown itself, to be read or copied.
	if width, ok := termWidth(env.IO); ok {
		opt := termmd.Options{Color: !env.NoColor}
		front := termmd.Options{Color: !env.NoColor, Base: termmd.Bold}
		fmt.Fprintln(w, strings.Join(termmd.Render(c.Front, width, front), "\n"))
		fmt.Fprintln(w, strings.Repeat("─", min(width, 40)))
		if back := termmd.Render(c.Back, width, opt); len(back) > 0 {
			fmt.Fprintln(w, strings.Join(back, "\n"))
		}
	} else {
		fmt.Fprintf(w, "Q: %s\n\nA:\n", c.Front)
		if c.Back != "" {
			fmt.Fprintln(w, c.Back)
		}
	}
	fmt.Fprintln(w)
	if len(v.history) == 0 {
		fmt.Fprintln(w, "history: none yet")
		return nil
	}
	entries := "1 entry"
	if len(v.history) != 1 {
		entries = fmt.Sprintf("%d entries", len(v.history))
	}
	fmt.Fprintf(w, "history: %s\n", entries)
	return writeHistory(w, v.history, v.loc, "  ")
}

// stateLine says where the card stands and when it is due next.
func (v *shown) stateLine(status store.CardStatus) string {
	st := v.state
	switch status {
	case store.StatusRetired:
		return "retired: no longer in its source, kept with its history, never scheduled"
	case store.StatusNew:
		if !v.had {
			return "new, not seen yet"
		}
	}
	var parts []string
	if status == store.StatusSuspended {
		parts = append(parts, fmt.Sprintf("suspended (%s; srs unsuspend puts it back)", stateName(st)))
	} else if st.State != fsrs.New {
		due := "due " + fsrs.FormatWhen(st.Due, v.now, v.loc)
		if !st.Due.After(v.now) {
			due += " (since " + fsrs.FormatTime(st.Due, v.loc) + ")"
		}
		parts = append(parts, string(status)+", "+due)
	} else {
		parts = append(parts, string(status))
	}
	if st.BuriedUntil.After(v.now) {
		parts = append(parts, "buried until "+fsrs.FormatTime(st.BuriedUntil, v.loc))
	}
	parts = append(parts, count(int(st.Reps), "review"), count(int(st.Lapses), "lapse"))
	if st.State != fsrs.New {
		parts = append(parts, fmt.Sprintf("stability %.2fd, difficulty %.2f", st.Stability, st.Difficulty))
	}
	return strings.Join(parts, " · ")
}

// writeHistory prints log entries oldest first, one a line.
func writeHistory(w io.Writer, entries []store.Entry, loc *time.Location, indent string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, e := range entries {
		did := didName(e)
		after := stateName(e.After)
		if e.After.Suspended {
			after = "suspended"
		}
		due := "-"
		if e.After.State != fsrs.New {
			due = "due " + fsrs.FormatTime(e.After.Due, loc)
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\t%s\n", indent, fsrs.FormatTime(e.Time(), loc), did, e.Duration.Round(time.Second), after, due)
	}
	return tw.Flush()
}

// termWidth is the width of the terminal standard output is, if it is one.
func termWidth(io *IO) (int, bool) {
	if !io.OutTTY {
		return 0, false
	}
	f, ok := io.Out.(*os.File)
	if !ok {
		return 80, true
	}
	w, _, err := term.GetSize(f.Fd())
	if err != nil || w <= 0 {
		return 80, true
	}
	return min(w, 100), true
}
