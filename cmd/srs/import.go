package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/content"
	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/deck/ankitext"
	"github.com/srs-tool/srs/deck/apkg"
	"github.com/srs-tool/srs/deck/formats"
	"github.com/srs-tool/srs/deck/jsonl"
	"github.com/srs-tool/srs/deck/markdown"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/internal/srcpos"
	"github.com/srs-tool/srs/store"
)

// Input limits (the README's table): text decks are read whole, so they
// are capped; Anki packages have their own limits in apkg.Limits.
const (
	maxTextFile       = 256 << 20
	maxCardsPerImport = 500_000
)

type importOptions struct {
	Ctx         context.Context // cancelled by an interrupt
	Env         *Env
	Files       []string
	Deck        string
	Format      string
	DryRun      bool
	WithHistory bool
	AdoptParams bool // take the FSRS parameters in an .apkg's deck options
}

// importFormats are the formats `srs import --format` names.
var importFormats = []formats.Format{formats.Markdown, formats.CSV, formats.TSV, formats.APKG, formats.JSONL, formats.Guide}

func importCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "import decks: Markdown, CSV/TSV (Anki text), Anki .apkg, srs's JSONL, or a guide page",
		ArgsUsage: "FILE... (- for standard input)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "deck", Usage: "put every card in deck `D`"},
			&cli.StringFlag{Name: "format", Usage: "md, csv, tsv, apkg, jsonl or guide (default: detected from the content)"},
			&cli.BoolFlag{Name: "dry-run", Usage: "say what would change; write nothing"},
			&cli.BoolFlag{Name: "with-history", Usage: "from an .apkg, also import Anki's review log into your schedule"},
			&cli.BoolFlag{Name: "adopt-params", Usage: "from an .apkg, schedule with the FSRS parameters and desired retention of its deck options"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usageError{fmt.Errorf("import needs at least one FILE")}
			}
			ctx, stop := interruptible()
			defer stop()
			return runImport(&importOptions{Ctx: ctx, Env: *env, Files: c.Args().Slice(), Deck: c.String("deck"),
				Format: c.String("format"), DryRun: c.Bool("dry-run"), WithHistory: c.Bool("with-history"),
				AdoptParams: c.Bool("adopt-params")})
		},
	}
}

func runImport(o *importOptions) error {
	if o.Ctx == nil {
		o.Ctx = context.Background()
	}
	err := o.run()
	if o.Deck != "" && (errors.Is(err, deck.ErrDuplicateID) || errors.Is(err, srcpos.ErrDuplicateID)) {
		err = fmt.Errorf("%w (--deck %s puts the cards of every deck in one, where an ID serves once; import without --deck)", err, o.Deck)
	}
	return interrupted(o.Ctx, err, "import interrupted; nothing written")
}

func (o *importOptions) run() error {
	if o.Format != "" && !slices.Contains(importFormats, formats.Format(o.Format)) {
		return usageError{fmt.Errorf("--format %q: want md, csv, tsv, apkg, jsonl or guide", o.Format)}
	}
	if o.Deck != "" {
		if err := deck.ValidateDeckName(o.Deck); err != nil {
			return fmt.Errorf("--deck: %w", err)
		}
	}
	if n := slices.Index(o.Files, "-"); n >= 0 && slices.Index(o.Files[n+1:], "-") >= 0 {
		return usageError{fmt.Errorf("standard input (-) can be read once")}
	}
	// Every file is parsed before anything is written, and all of them go
	// in as one transaction: a bad file leaves the database untouched.
	var merged *deck.Deck
	var sources, empty []string
	anki := map[string]fsrs.AnkiProgress{} // the scheduling Anki packages carry
	var offer ankiOffer                    // the FSRS parameters in their deck options
	for _, file := range o.Files {
		if err := o.Ctx.Err(); err != nil {
			return err
		}
		d, sched, err := o.parse(file)
		if err != nil {
			return err
		}
		maps.Copy(anki, sched)
		offer.add(o, d.Source, sched)
		for _, w := range d.Warnings {
			fmt.Fprintf(o.Env.IO.ErrOut, "srs: warning: %s\n", w)
		}
		if len(d.Cards) == 0 {
			// An emptied file retires its deck's cards, alone or
			// beside other files.
			fmt.Fprintf(o.Env.IO.ErrOut, "srs: warning: no cards in %s; every card of deck %q will be retired\n", d.Source, d.Name)
			empty = append(empty, d.Name)
		}
		sources = append(sources, d.Source)
		if merged == nil {
			merged = d
			continue
		}
		merged.Cards = append(merged.Cards, d.Cards...)
		merged.Media = append(merged.Media, d.Media...)
	}
	merged.Source = strings.Join(sources, ", ")
	if n := len(merged.Cards); n > maxCardsPerImport {
		return fmt.Errorf("import %s: %d cards; at most %d per import", merged.Source, n, maxCardsPerImport)
	}
	if o.WithHistory && len(anki) == 0 {
		fmt.Fprintf(o.Env.IO.ErrOut, "srs: warning: %s carries no review history; --with-history has nothing to import\n", merged.Source)
	}
	media, err := o.placeMedia(merged)
	if err != nil {
		return err
	}
	var res store.ImportResult
	progress := progressPrinter(o.Env.IO, time.Now, "writing cards")
	err = o.Env.with(func(s *store.Store) (err error) {
		if o.Deck != "" {
			if info, err := s.DeckInfo(o.Deck); err == nil && info.Builtin {
				return fmt.Errorf("--deck %s: is the built-in deck, which comes with srs; import into another deck", o.Deck)
			}
		}
		settings, err := offer.settings(o, s)
		if err != nil {
			return err
		}
		var history map[string]fsrs.History
		if o.WithHistory {
			if history, err = ankiHistory(settings, anki); err != nil {
				return err
			}
		}
		res, err = s.ImportDeck(merged, store.ImportOptions{Now: o.Env.Now(), DryRun: o.DryRun, EmptyDecks: empty,
			User: o.Env.User, WithHistory: o.WithHistory, History: history, Settings: offer.adopted, Progress: progress, Context: o.Ctx})
		return err
	})
	progress(-1, -1)
	if err != nil {
		return err
	}
	if !o.DryRun {
		if err := media.write(); err != nil {
			return err
		}
	}
	printImport(o, merged, res, len(media.files))
	offer.print(o, res)
	return nil
}

// ankiHistory turns the scheduling Anki packages carry into the user's
// history, through the user's own FSRS parameters (those adopted from the
// packages, with --adopt-params).
func ankiHistory(settings fsrs.Settings, anki map[string]fsrs.AnkiProgress) (map[string]fsrs.History, error) {
	if len(anki) == 0 {
		return nil, nil
	}
	sched, err := fsrs.NewScheduler(settings)
	if err != nil {
		return nil, err
	}
	history := make(map[string]fsrs.History, len(anki))
	for k, p := range anki {
		if h, ok := sched.FromAnki(p); ok {
			history[k] = h
		}
	}
	return history, nil
}

// parse reads one file, once (see input), and the scheduling it carries
// when it is an Anki package.
func (o *importOptions) parse(file string) (*deck.Deck, map[string]fsrs.AnkiProgress, error) {
	in, err := openInput(o.Ctx, file, o.Env.IO.In, o.Env.IO.ErrOut)
	if err != nil {
		return nil, nil, err
	}
	defer in.Close()
	format := formats.Format(o.Format)
	if format == "" {
		head, err := in.Head(o.Ctx, formats.HeadSize)
		if err != nil {
			return nil, nil, err
		}
		if format, err = formats.Detect(in.name, head); err != nil {
			return nil, nil, err
		}
	}
	opt := deck.ParseOptions{File: in.name, Deck: o.Deck}
	if format == formats.APKG {
		// A piped package's copy and the collection unpacked from the
		// package are temporary files (inTempDir).
		_, done, err := inTempDir()
		if err != nil {
			return nil, nil, fmt.Errorf("import %s: %w", in.name, err)
		}
		defer done()
		f, err := in.File(o.Ctx, apkg.DefaultLimits.MaxFileSize)
		if err != nil {
			return nil, nil, err
		}
		return apkg.ReadFile(o.Ctx, f, opt, apkg.DefaultLimits)
	}
	data, err := in.ReadAll(o.Ctx, maxTextFile)
	if err != nil {
		return nil, nil, err
	}
	var d *deck.Deck
	switch format {
	case formats.Markdown:
		d, err = markdown.Parse(bytes.NewReader(data), opt)
	case formats.CSV:
		d, err = ankitext.ParseCSV(bytes.NewReader(data), opt)
	case formats.TSV:
		d, err = ankitext.ParseTSV(bytes.NewReader(data), opt)
	case formats.JSONL:
		d, err = jsonl.Parse(bytes.NewReader(data), opt)
	case formats.Guide:
		d, err = o.compileGuide(in.name, data)
	default:
		err = fmt.Errorf("import %s: unknown format %q", in.name, format)
	}
	return d, nil, err
}

func (o *importOptions) compileGuide(file string, data []byte) (*deck.Deck, error) {
	name := o.Deck
	if name == "" {
		name = deck.DefaultDeckName(file)
	}
	d, warnings, err := content.Compile(file, data, name)
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		d.Warnings = append(d.Warnings, w.String())
	}
	d.Source = file
	return d, nil
}

// unwrapPath drops the *PathError wrapper whose path the message already
// names.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func printImport(o *importOptions, d *deck.Deck, r store.ImportResult, media int) {
	out := o.Env.IO.Out
	verb := "imported"
	if o.DryRun {
		verb = "dry run, nothing written: would import"
	}
	into := ""
	if len(r.Decks) > 0 {
		into = " into " + strings.Join(r.Decks, ", ")
	}
	fmt.Fprintf(out, "%s %s%s: added %d, updated %d, retired %d, unchanged %d",
		verb, d.Source, into, r.Added, r.Updated, r.Retired, r.Unchanged)
	if r.Revived > 0 {
		fmt.Fprintf(out, ", revived %d", r.Revived)
	}
	fmt.Fprintln(out)
	if r.Builtin > 0 {
		fmt.Fprintf(out, "built-in deck %s: %s recognised and left as srs has them (the deck comes with srs)\n",
			r.BuiltinDeck, count(r.Builtin, "card"))
	}
	if r.History > 0 {
		fmt.Fprintf(out, "review history: %d entries for %s\n", r.History, o.Env.User)
	}
	if media > 0 {
		fmt.Fprintf(out, "media: %d files in %s\n", media, filepath.Join(o.Env.DataDir(), "media"))
	}
	if len(r.RetiredIDs) > 0 {
		shown := r.RetiredIDs
		if len(shown) > 20 {
			shown = shown[:20]
		}
		fmt.Fprintf(out, "retired (no longer in the source; history kept): %s", strings.Join(shown, " "))
		if n := len(r.RetiredIDs) - len(shown); n > 0 {
			fmt.Fprintf(out, " and %d more", n)
		}
		fmt.Fprintln(out)
	}
}

// progressPrinter reports long work on stderr once it has run for two
// seconds by clock (time.Now; a test's own), from now on: a line redrawn
// in place on a terminal, a line a second otherwise. Call it with -1, -1
// to finish.
func progressPrinter(io *IO, clock func() time.Time, what string) func(done, total int) {
	start := clock()
	shown := false
	var last time.Time
	every := 200 * time.Millisecond
	if !io.ErrTTY {
		every = time.Second
	}
	return func(done, total int) {
		if done < 0 {
			if shown && io.ErrTTY {
				fmt.Fprintln(io.ErrOut)
			}
			return
		}
		now := clock()
		if now.Sub(start) < 2*time.Second || now.Sub(last) < every && done != total {
			return
		}
		last, shown = now, true
		line := fmt.Sprintf("%s: %d", what, done)
		if total > 0 {
			line = fmt.Sprintf("%s: %d/%d (%d%%)", what, done, total, done*100/total)
		}
		if io.ErrTTY {
			fmt.Fprint(io.ErrOut, "\r"+line)
		} else {
			fmt.Fprintln(io.ErrOut, line)
		}
	}
}

// mediaPlan is where an import's media files go: the media directory
// beside the database, never anywhere else.
type mediaPlan struct {
	dir   string
	files []deck.Media
}

// placeMedia decides each media file's name in the media directory. A
// file of the same name and other content already there is not
// overwritten: the new one gets a content-hash suffix and the cards that
// refer to it are rewritten to match, as Anki does.
func (o *importOptions) placeMedia(d *deck.Deck) (*mediaPlan, error) {
	p := &mediaPlan{dir: filepath.Join(o.Env.DataDir(), "media")}
	for _, m := range d.Media {
		if err := safeMediaName(m.Name); err != nil {
			return nil, fmt.Errorf("import %s: media %q: %w", d.Source, m.Name, err)
		}
		name := m.Name
		if old, err := os.ReadFile(filepath.Join(p.dir, name)); err == nil && !bytes.Equal(old, m.Data) {
			sum := sha256.Sum256(m.Data)
			ext := filepath.Ext(name)
			name = strings.TrimSuffix(name, ext) + "-" + hex.EncodeToString(sum[:4]) + ext
			for i := range d.Cards {
				c := &d.Cards[i]
				c.Front = renameMedia(c.Front, m.Name, name)
				c.Back = renameMedia(c.Back, m.Name, name)
			}
		}
		p.files = append(p.files, deck.Media{Name: name, Data: m.Data})
	}
	return p, nil
}

// renameMedia rewrites a side's references to media file old as
// references to new, in every form a card holds them: an image
// ![](old), one in angle brackets ![](<old>) (a name with spaces), one
// with a title ![](old "t"), and a sound [sound:old].
func renameMedia(s, old, new string) string {
	if !strings.Contains(s, old) {
		return s
	}
	return strings.NewReplacer(
		"]("+old+")", "]("+new+")",
		"]("+old+" ", "]("+new+" ",
		"](<"+old+">", "](<"+new+">",
		"[sound:"+old+"]", "[sound:"+new+"]",
	).Replace(s)
}

func safeMediaName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\\x00") || filepath.Base(name) != name {
		return fmt.Errorf("not a plain file name")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("control character in name")
		}
	}
	return nil
}

// write puts the files in place through an os.Root, which refuses any
// path that would leave the media directory.
func (p *mediaPlan) write() error {
	if len(p.files) == 0 {
		return nil
	}
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	root, err := os.OpenRoot(p.dir)
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	defer root.Close()
	for _, m := range p.files {
		if old, err := root.ReadFile(m.Name); err == nil && bytes.Equal(old, m.Data) {
			continue
		}
		if err := root.WriteFile(m.Name, m.Data, 0o600); err != nil {
			return fmt.Errorf("media %s: %w", m.Name, err)
		}
	}
	return nil
}
