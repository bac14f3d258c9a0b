package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
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
	Env            *Env
	Format         string
	Deck           string
	Tag            string
	Output         string
	WithScheduling bool
}

func exportCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:  "export",
		Usage: "export cards: Anki .apkg, Anki TSV, Markdown deck, or JSONL",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Required: true, Usage: "apkg, tsv, md or jsonl"},
			&cli.StringFlag{Name: "deck", Usage: "only deck `D`"},
			&cli.StringFlag{Name: "tag", Usage: "only cards with tag `T`"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` (- for standard output; not for apkg)", Value: "-"},
			&cli.BoolFlag{Name: "with-scheduling", Usage: "apkg: include your due dates, FSRS memory states and review log"},
		},
		Action: func(c *cli.Context) error {
			return runExport(&exportOptions{Env: *env, Format: c.String("format"), Deck: c.String("deck"), Tag: c.String("tag"),
				Output: c.String("output"), WithScheduling: c.Bool("with-scheduling")})
		},
	}
}

func runExport(o *exportOptions) error {
	switch formats.Format(o.Format) {
	case formats.APKG, formats.TSV, formats.Markdown, "jsonl":
	default:
		return usageError{fmt.Errorf("--format %q: want apkg, tsv, md or jsonl", o.Format)}
	}
	if o.Format == string(formats.APKG) && o.Output == "-" {
		return usageError{fmt.Errorf("--format apkg needs -o FILE")}
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
			n, err = o.write(s, w, filter)
			return err
		})
	}
	var err error
	if o.Output == "-" {
		bw := bufio.NewWriter(o.Env.IO.Out)
		if err = write(bw); err == nil {
			err = bw.Flush()
		}
	} else {
		err = store.WriteFileAtomic(o.Output, write)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if o.Output != "-" {
		fmt.Fprintf(o.Env.IO.Out, "exported %d cards to %s\n", n, o.Output)
	}
	return nil
}

func (o *exportOptions) write(s *store.Store, w io.Writer, filter store.CardFilter) (int, error) {
	n := 0
	switch o.Format {
	case "jsonl":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		err := s.EachExport(o.Env.User, filter, func(c store.ExportCard) error {
			n++
			v := newCardJSON(c.StoredCard, c.State, c.HadState)
			if c.Parent != nil {
				v.Context = c.Parent.Front
			}
			return enc.Encode(v)
		}, nil)
		return n, err
	case string(formats.Markdown), string(formats.TSV):
		var cards []deck.Card
		err := s.EachExport(o.Env.User, filter, func(c store.ExportCard) error {
			cards = append(cards, c.Card)
			return nil
		}, nil)
		if err != nil {
			return 0, err
		}
		if o.Format == string(formats.TSV) {
			return len(cards), ankitext.WriteTSV(w, cards)
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

func (o *exportOptions) writeAPKG(s *store.Store, w io.Writer, filter store.CardFilter) (int, error) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(apkgMemoryLimit))
	settings, err := s.Settings(o.Env.User)
	if err != nil {
		return 0, err
	}
	sched, err := fsrs.NewScheduler(settings)
	if err != nil {
		return 0, err
	}
	now := o.Env.Now()
	start := time.Now()
	progress := progressPrinter(o.Env.IO, start, "cards exported")
	aw, err := apkg.NewWriter(w, apkg.Options{WithScheduling: o.WithScheduling, Now: now,
		Progress: func(done int) { progress(done, 0) }, Media: os.DirFS(filepath.Join(o.Env.DataDir(), "media"))})
	if err != nil {
		return 0, err
	}
	// Cards first, then the review log in its own (time) order: reading
	// each card's history separately would touch the log all over.
	n := 0
	card := func(c store.ExportCard) error {
		n++
		var p *apkg.Scheduling
		if o.WithScheduling && c.HadState {
			p = &apkg.Scheduling{Card: sched.ToAnki(c.State.Card, c.State.Suspended, now.Location())}
		}
		return aw.Add(c.Card, c.Parent, p)
	}
	var entry func(store.Entry) error
	if o.WithScheduling {
		entry = func(e store.Entry) error {
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
	for _, warning := range aw.Warnings {
		fmt.Fprintf(o.Env.IO.ErrOut, "srs: warning: %s\n", warning)
	}
	return n, err
}
