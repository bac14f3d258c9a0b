package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/deck/ankitext"
	"github.com/srs-tool/srs/deck/apkg"
	"github.com/srs-tool/srs/deck/formats"
	"github.com/srs-tool/srs/deck/markdown"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

type exportOptions struct {
	Ctx    context.Context // cancelled by an interrupt
	Env    *Env
	Format string
	Deck   string
	Tag    string
	// Output is the file to write; "-" (the default) and the names of
	// standard output are standard output.
	Output string
	// OutputSet says -o was given: a package goes to standard output
	// only when asked for by name.
	OutputSet      bool
	WithScheduling bool
}

func exportCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:  "export",
		Usage: "export cards: Anki .apkg, Anki TSV or CSV, Markdown deck, or JSONL",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Required: true, Usage: "apkg, tsv, csv, md or jsonl"},
			&cli.StringFlag{Name: "deck", Usage: "only deck `D`"},
			&cli.StringFlag{Name: "tag", Usage: "only cards with tag `T`"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` (- for standard output, the default except for apkg)", Value: "-"},
			&cli.BoolFlag{Name: "with-scheduling", Usage: "apkg: include your due dates, FSRS memory states and review log"},
		},
		Action: func(c *cli.Context) error {
			ctx, stop := interruptible()
			defer stop()
			return runExport(&exportOptions{Ctx: ctx, Env: *env, Format: c.String("format"), Deck: c.String("deck"), Tag: c.String("tag"),
				Output: c.String("output"), OutputSet: c.IsSet("output"), WithScheduling: c.Bool("with-scheduling")})
		},
	}
}

func runExport(o *exportOptions) error {
	if o.Ctx == nil {
		o.Ctx = context.Background()
	}
	switch formats.Format(o.Format) {
	case formats.APKG, formats.TSV, formats.CSV, formats.Markdown, formats.JSONL:
	default:
		return usageError{fmt.Errorf("--format %q: want apkg, tsv, csv, md or jsonl", o.Format)}
	}
	toStdout := stdoutNames[o.Output]
	if o.Format == string(formats.APKG) && toStdout && (!o.OutputSet || o.Env.IO.OutTTY) {
		return usageError{fmt.Errorf("--format apkg needs -o FILE (or -o - with standard output not a terminal)")}
	}
	if o.WithScheduling && o.Format != string(formats.APKG) && o.Format != "jsonl" {
		return usageError{fmt.Errorf("--with-scheduling applies to apkg (jsonl always carries your state)")}
	}
	filter := store.CardFilter{Deck: o.Deck, Tag: o.Tag}
	n := 0
	write := func(w io.Writer) error {
		return o.Env.with(func(s *store.Store) error {
			if o.Deck != "" {
				if _, err := s.DeckInfo(o.Deck); err != nil {
					return err
				}
			}
			var err error
			n, err = o.write(s, ctxWriter{o.Ctx, w}, filter)
			return err
		})
	}
	var err error
	if toStdout {
		bw := bufio.NewWriter(o.Env.IO.Out)
		if err = write(bw); err == nil {
			err = bw.Flush()
		}
	} else {
		err = store.WriteFileAtomic(o.Output, write)
	}
	if err != nil {
		left := "what went to standard output is incomplete"
		if !toStdout {
			left = o.Output + " left as it was"
		}
		return interrupted(o.Ctx, fmt.Errorf("export: %w", err), "export interrupted; "+left)
	}
	if !toStdout {
		fmt.Fprintf(o.Env.IO.Out, "exported %d cards to %s\n", n, o.Output)
	}
	return nil
}

func (o *exportOptions) write(s *store.Store, w io.Writer, filter store.CardFilter) (int, error) {
	n := 0
	switch formats.Format(o.Format) {
	case formats.JSONL:
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		err := s.EachExport(o.Env.User, filter, func(c store.ExportCard) error {
			if n++; n%1024 == 0 {
				if err := o.Ctx.Err(); err != nil {
					return err
				}
			}
			v := newCardJSON(c.StoredCard, c.State, c.HadState)
			if c.Parent != nil {
				v.Context = c.Parent.Front
			}
			return enc.Encode(v)
		}, nil)
		return n, err
	case formats.Markdown, formats.TSV, formats.CSV:
		var cards []deck.Card
		err := s.EachExport(o.Env.User, filter, func(c store.ExportCard) error {
			cards = append(cards, c.Card)
			return nil
		}, nil)
		if err != nil {
			return 0, err
		}
		if err := o.Ctx.Err(); err != nil {
			return 0, err
		}
		switch formats.Format(o.Format) {
		case formats.TSV:
			return len(cards), ankitext.WriteTSV(w, cards)
		case formats.CSV:
			return len(cards), ankitext.WriteCSV(w, cards)
		}
		if len(cards) > 0 && o.Deck == "" && slices.ContainsFunc(cards, func(c deck.Card) bool { return c.Deck != cards[0].Deck }) {
			return 0, fmt.Errorf("a Markdown file holds one deck, and these cards are in several (%s, %s, ...); name one with --deck (srs decks lists them)",
				cards[0].Deck, cards[slices.IndexFunc(cards, func(c deck.Card) bool { return c.Deck != cards[0].Deck })].Deck)
		}
		return len(cards), markdown.Write(w, cards)
	}
	return o.writeAPKG(s, w, filter)
}

// apkgMemoryLimit is the soft heap limit of an .apkg export: the writer's
// garbage is plentiful (rendered HTML, SQLite rows), and collecting it
// more often keeps a 100k-card export under 200 MB for about 10% more
// time (bench/RESULTS.md).
const apkgMemoryLimit = 80 << 20

// stdoutNames are the -o values that mean standard output. They are
// written as standard output is, not opened by name: opening /dev/stdout
// afresh would write a file the shell opened for appending from its
// start.
var stdoutNames = map[string]bool{"-": true, "/dev/stdout": true, "/dev/fd/1": true, "/proc/self/fd/1": true}

func (o *exportOptions) writeAPKG(s *store.Store, w io.Writer, filter store.CardFilter) (int, error) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(apkgMemoryLimit))
	// The package is built in temporary files (inTempDir).
	_, done, err := inTempDir()
	if err != nil {
		return 0, err
	}
	defer done()
	settings, err := s.Settings(o.Env.User)
	if err != nil {
		return 0, err
	}
	sched, err := fsrs.NewScheduler(settings)
	if err != nil {
		return 0, err
	}
	now := o.Env.Now()
	progress := progressPrinter(o.Env.IO, time.Now, "cards exported")
	aw, err := apkg.NewWriter(w, apkg.Options{WithScheduling: o.WithScheduling, Now: now,
		Progress: func(done int) { progress(done, 0) }, Media: os.DirFS(filepath.Join(o.Env.DataDir(), "media"))})
	if err != nil {
		return 0, err
	}
	// Cards first, then the review log in its own (time) order: reading
	// each card's history separately would touch the log all over.
	n := 0
	card := func(c store.ExportCard) error {
		if n++; n%1024 == 0 {
			if err := o.Ctx.Err(); err != nil {
				return err
			}
		}
		var p *apkg.Scheduling
		if o.WithScheduling && c.HadState {
			p = &apkg.Scheduling{Card: sched.ToAnki(c.State.Card, c.State.Suspended, now.Location())}
		}
		return aw.Add(c.Card, c.Parent, p)
	}
	var entry func(store.Entry) error
	if o.WithScheduling {
		entries := 0
		entry = func(e store.Entry) error {
			if entries++; entries%4096 == 0 {
				if err := o.Ctx.Err(); err != nil {
					return err
				}
			}
			if e.Action != store.ActRate {
				return nil
			}
			deckName, id := deck.SplitKey(e.Card)
			return aw.AddReview(deckName, id, fsrs.ToAnkiReview(fsrs.ReviewEvent{Time: e.Time(), Rating: e.Rating,
				Duration: e.Duration}, e.Before.Card, e.After.Card))
		}
	}
	err = s.EachExport(o.Env.User, filter, card, entry)
	if err != nil {
		aw.Close()
		return 0, err
	}
	err = aw.Close()
	progress(-1, -1)
	if err == nil {
		// Close is long work the writer does not stop for: an interrupt
		// during it is noticed here, before the output is put in place.
		err = o.Ctx.Err()
	}
	for _, warning := range aw.Warnings {
		fmt.Fprintf(o.Env.IO.ErrOut, "srs: warning: %s\n", warning)
	}
	return n, err
}
