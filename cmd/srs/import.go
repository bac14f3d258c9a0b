package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
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
	"github.com/srs-tool/srs/deck/markdown"
	"github.com/srs-tool/srs/fsrs"
	"github.com/srs-tool/srs/store"
)

// Input limits (the README's table): text decks are read whole, so they
// are capped; Anki packages have their own limits in apkg.Limits.
const (
	maxTextFile       = 256 << 20
	maxCardsPerImport = 500_000
)

type importOptions struct {
	Env         *Env
	Files       []string
	Deck        string
	Format      string
	DryRun      bool
	WithHistory bool
}

func importCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "import decks: Markdown, CSV/TSV (Anki text), Anki .apkg, or a guide page",
		ArgsUsage: "FILE...",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "deck", Usage: "put every card in deck `D`"},
			&cli.StringFlag{Name: "format", Usage: "md, csv, tsv, apkg or guide (default: detected from the content)"},
			&cli.BoolFlag{Name: "dry-run", Usage: "say what would change; write nothing"},
			&cli.BoolFlag{Name: "with-history", Usage: "from an .apkg, also import Anki's review log into your schedule"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usageError{fmt.Errorf("import needs at least one FILE")}
			}
			return runImport(&importOptions{Env: *env, Files: c.Args().Slice(), Deck: c.String("deck"),
				Format: c.String("format"), DryRun: c.Bool("dry-run"), WithHistory: c.Bool("with-history")})
		},
	}
}

func runImport(o *importOptions) error {
	if o.Format != "" && !slices.Contains([]formats.Format{formats.Markdown, formats.CSV, formats.TSV, formats.APKG, formats.Guide}, formats.Format(o.Format)) {
		return usageError{fmt.Errorf("--format %q: want md, csv, tsv, apkg or guide", o.Format)}
	}
	if o.Deck != "" {
		if err := deck.ValidateDeckName(o.Deck); err != nil {
			return fmt.Errorf("--deck: %w", err)
		}
	}
	// Every file is parsed before anything is written, and all of them go
	// in as one transaction: a bad file leaves the database untouched.
	var merged *deck.Deck
	var sources []string
	anki := map[string]fsrs.AnkiProgress{} // the scheduling Anki packages carry
	for _, file := range o.Files {
		d, sched, err := o.parse(file)
		if err != nil {
			return err
		}
		maps.Copy(anki, sched)
		for _, w := range d.Warnings {
			fmt.Fprintf(o.Env.IO.ErrOut, "srs: warning: %s\n", w)
		}
		sources = append(sources, file)
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
	if len(merged.Cards) == 0 {
		fmt.Fprintf(o.Env.IO.ErrOut, "srs: warning: no cards in %s; every card of deck %q will be retired\n", merged.Source, merged.Name)
	}
	if o.WithHistory && len(anki) == 0 {
		fmt.Fprintf(o.Env.IO.ErrOut, "srs: warning: %s carries no review history; --with-history has nothing to import\n", merged.Source)
	}
	media, err := o.placeMedia(merged)
	if err != nil {
		return err
	}
	var res store.ImportResult
	start := time.Now()
	progress := progressPrinter(o.Env.IO, start, "writing cards")
	err = o.Env.with(func(s *store.Store) (err error) {
		var history map[string]fsrs.History
		if o.WithHistory {
			if history, err = ankiHistory(s, o.Env.User, anki); err != nil {
				return err
			}
		}
		res, err = s.ImportDeck(merged, store.ImportOptions{Now: o.Env.Now(), DryRun: o.DryRun,
			User: o.Env.User, WithHistory: o.WithHistory, History: history, Progress: progress})
		return err
	})
	progress(-1, -1)
	if err != nil {
		if errors.Is(err, store.ErrBuiltinDeck) {
			return err
		}
		return err
	}
	if !o.DryRun {
		if err := media.write(); err != nil {
			return err
		}
	}
	printImport(o, merged, res, len(media.files))
	return nil
}

// ankiHistory turns the scheduling Anki packages carry into the user's
// history, through the user's own FSRS parameters.
func ankiHistory(s *store.Store, user string, anki map[string]fsrs.AnkiProgress) (map[string]fsrs.History, error) {
	if len(anki) == 0 {
		return nil, nil
	}
	settings, err := s.Settings(user)
	if err != nil {
		return nil, err
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

// parse reads one file, and the scheduling it carries when it is an Anki
// package.
func (o *importOptions) parse(file string) (*deck.Deck, map[string]fsrs.AnkiProgress, error) {
	fi, err := os.Stat(file)
	if err != nil {
		return nil, nil, fmt.Errorf("import %s: %w", file, unwrapPath(err))
	}
	if fi.IsDir() {
		return nil, nil, fmt.Errorf("import %s: is a directory", file)
	}
	format := formats.Format(o.Format)
	if format == "" {
		head, err := readHead(file, formats.HeadSize)
		if err != nil {
			return nil, nil, fmt.Errorf("import %s: %w", file, unwrapPath(err))
		}
		if format, err = formats.Detect(file, head); err != nil {
			return nil, nil, err
		}
	}
	opt := deck.ParseOptions{File: file, Deck: o.Deck}
	if format == formats.APKG {
		return apkg.Read(file, opt, apkg.DefaultLimits)
	}
	if fi.Size() > maxTextFile {
		return nil, nil, fmt.Errorf("import %s: %d MiB; text decks are limited to %d MiB", file, fi.Size()>>20, maxTextFile>>20)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, fmt.Errorf("import %s: %w", file, unwrapPath(err))
	}
	switch format {
	case formats.Markdown:
		d, err := markdown.Parse(bytes.NewReader(data), opt)
		return d, nil, err
	case formats.CSV:
		d, err := ankitext.ParseCSV(bytes.NewReader(data), opt)
		return d, nil, err
	case formats.TSV:
		d, err := ankitext.ParseTSV(bytes.NewReader(data), opt)
		return d, nil, err
	case formats.Guide:
		name := o.Deck
		if name == "" {
			name = deck.DefaultDeckName(file)
		}
		d, warnings, err := content.Compile(file, data, name)
		if err != nil {
			return nil, nil, err
		}
		for _, w := range warnings {
			d.Warnings = append(d.Warnings, w.String())
		}
		d.Source = file
		return d, nil, nil
	}
	return nil, nil, fmt.Errorf("import %s: unknown format %q", file, format)
}

func readHead(file string, n int) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, n)
	m, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return head[:m], nil
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
	fmt.Fprintf(out, "%s %s into %s: added %d, updated %d, retired %d, unchanged %d",
		verb, d.Source, strings.Join(r.Decks, ", "), r.Added, r.Updated, r.Retired, r.Unchanged)
	if r.Revived > 0 {
		fmt.Fprintf(out, ", revived %d", r.Revived)
	}
	fmt.Fprintln(out)
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
// seconds: a line redrawn in place on a terminal, a line a second
// otherwise. Call it with -1, -1 to finish.
func progressPrinter(io *IO, start time.Time, what string) func(done, total int) {
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
		if time.Since(start) < 2*time.Second || time.Since(last) < every && done != total {
			return
		}
		last, shown = time.Now(), true
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
				c.Front = strings.ReplaceAll(c.Front, "]("+m.Name+")", "]("+name+")")
				c.Back = strings.ReplaceAll(c.Back, "]("+m.Name+")", "]("+name+")")
			}
		}
		p.files = append(p.files, deck.Media{Name: name, Data: m.Data})
	}
	return p, nil
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
