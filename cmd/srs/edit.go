package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/deck/formats"
	"github.com/srs-tool/srs/deck/markdown"
	"github.com/srs-tool/srs/store"
)

// srs edit, and the review screen's e: a card opens in the user's editor
// and the change is stored with the card's ID, so its history stays.
//
// Where the edit happens: a card whose deck came from one Markdown file
// that is still there (at the path it was imported from, relative paths
// from the current directory) is edited in that file, at its heading,
// and the file is imported again afterwards, so the file and the
// database stay one. Any other card (the built-in guide, a CSV or Anki
// deck, a deck imported from several files at once, a file no longer
// there) is edited on a temporary Markdown copy whose front, back and
// tags are stored; a later import of the deck's source replaces them.
//
// An ID derived from the front (a heading without {#id}) would change
// with the front and the card would be retired for a new one, so before
// the editor opens, srs writes the ID into the heading (markdown.PinID):
// the file itself then carries it, and every later import, by srs edit
// or by hand, keeps the card.

type editOptions struct {
	Env  *Env
	Card string // DECK/ID
}

func editCommand(env **Env) *cli.Command {
	return &cli.Command{
		Name:      "edit",
		Usage:     "edit a card in $EDITOR (its Markdown source, else a copy); its ID and history stay",
		ArgsUsage: "DECK/ID",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError{fmt.Errorf("edit takes one card, as deck/id (see srs cards)")}
			}
			return runEdit(&editOptions{Env: *env, Card: c.Args().First()})
		},
	}
}

func runEdit(o *editOptions) error {
	env := o.Env
	ed, err := prepareEdit(env, func(s *store.Store) (store.StoredCard, error) { return findCard(s, o.Card) })
	if err != nil {
		return err
	}
	for _, n := range ed.notes {
		fmt.Fprintf(env.IO.ErrOut, "srs: %s\n", n)
	}
	cmd := editorCommand(env.Editor, ed.line, ed.file)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = env.IO.In, env.IO.Out, env.IO.ErrOut
	if env.IO.InFile != nil {
		cmd.Stdin = env.IO.InFile
	}
	res, err := ed.finish(env, cmd.Run())
	if err != nil {
		return err
	}
	res.print(env)
	return nil
}

// cardEdit is one card being edited.
type cardEdit struct {
	card   store.StoredCard // as it was before the edit
	file   string           // what the editor opens
	line   int              // the card's heading in file
	source bool             // file is the deck's Markdown source, imported again after the edit
	dir    string           // a copy's temporary directory (store.TempDir), until the copy is kept
	notes  []string         // said before the editor opens: why a copy, an ID pinned
}

// editResult is what an edit did.
type editResult struct {
	card     string // deck/id
	changed  bool
	retired  bool                // the edited source no longer holds the card
	imported *store.ImportResult // the source's import, when the edit was on the source
	file     string
	warnings []string
}

// prepareEdit finds the card and the file to edit it in: its source,
// with its ID pinned there, or a temporary copy.
func prepareEdit(env *Env, find func(*store.Store) (store.StoredCard, error)) (*cardEdit, error) {
	ed := &cardEdit{}
	var info store.DeckInfo
	err := env.with(func(s *store.Store) (err error) {
		if ed.card, err = find(s); err != nil {
			return err
		}
		info, err = s.DeckInfo(ed.card.Deck)
		return err
	})
	if err != nil {
		return nil, err
	}
	if ok, err := ed.onSource(info); ok || err != nil {
		return ed, err
	}
	return ed, ed.onCopy()
}

// sourceFile is the file of a card's Source ("file:line"), "" if it has
// no line.
func sourceFile(src string) string {
	i := strings.LastIndexByte(src, ':')
	if i <= 0 {
		return ""
	}
	if _, err := strconv.Atoi(src[i+1:]); err != nil {
		return ""
	}
	return src[:i]
}

// onSource sets the edit up on the deck's Markdown source, if the card
// has one to edit, and reports whether it did. Otherwise it notes why a
// copy is edited instead.
func (ed *cardEdit) onSource(info store.DeckInfo) (bool, error) {
	c := ed.card
	file := sourceFile(c.Source)
	copyNote := func(why string) (bool, error) {
		ed.notes = append(ed.notes, fmt.Sprintf("%s: editing a copy; importing %s again will replace the edit", why, info.Source))
		return false, nil
	}
	switch {
	case info.Builtin:
		ed.notes = append(ed.notes, fmt.Sprintf("%s is the built-in deck: editing a copy; a newer srs's guide replaces the edit", c.Deck))
		return false, nil
	case file == "":
		return copyNote(fmt.Sprintf("%s/%s has no source line", c.Deck, c.ID))
	case info.Source != file:
		// Importing one of several files alone would retire the cards
		// of the others.
		return copyNote(fmt.Sprintf("deck %s came from more than one file", c.Deck))
	}
	fi, err := os.Stat(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return copyNote(fmt.Sprintf("%s is not here", file))
	case err != nil:
		return false, fmt.Errorf("edit %s: %w", file, unwrapPath(err))
	case fi.Size() > maxTextFile:
		return copyNote(fmt.Sprintf("%s is larger than %d MiB", file, maxTextFile>>20))
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return false, fmt.Errorf("edit %s: %w", file, unwrapPath(err))
	}
	if f, _ := formats.Detect(file, data[:min(len(data), formats.HeadSize)]); f != formats.Markdown {
		return copyNote(fmt.Sprintf("%s is not a Markdown deck", file))
	}
	out, line, pinned, err := markdown.PinID(data, deck.ParseOptions{File: file, Deck: c.Deck}, c.ID)
	switch {
	case errors.Is(err, markdown.ErrNoSuchCard):
		return copyNote(fmt.Sprintf("%s no longer holds %s/%s", file, c.Deck, c.ID))
	case err != nil:
		// A source that no longer imports cannot take the edit back.
		return false, fmt.Errorf("edit: %w", err)
	}
	if pinned {
		if err := replaceFile(file, out); err != nil {
			return false, fmt.Errorf("edit: %w", err)
		}
		ed.notes = append(ed.notes, fmt.Sprintf("%s:%d: wrote {#%s} into the heading, so the card keeps its ID and history if its front changes", file, line, c.ID))
	}
	ed.file, ed.line, ed.source = file, line, true
	return true, nil
}

// onCopy writes the card to a temporary Markdown file. The heading has
// no {#id}: the card keeps its ID whatever the copy says, and text typed
// at the end of the heading must not land after an ID.
func (ed *cardEdit) onCopy() error {
	var buf bytes.Buffer
	if err := markdown.Write(&buf, []deck.Card{ed.card.Card}); err != nil {
		return fmt.Errorf("edit: %w", err)
	}
	lines := strings.Split(buf.String(), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "## ") {
			lines[i] = strings.TrimSuffix(l, " {#"+ed.card.ID+"}")
			ed.line = i + 1
			break
		}
	}
	// The copy is a temporary file while srs owns it: in a directory
	// marked as srs's, which a later run removes if this one is killed
	// meanwhile (store.SweepTemp). One that is given to the user is
	// moved out of it first (keep).
	store.SweepTemp(os.TempDir())
	dir, err := store.TempDir()
	if err != nil {
		return fmt.Errorf("edit: %w", err)
	}
	file := filepath.Join(dir, "card.md")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		os.RemoveAll(dir)
		return fmt.Errorf("edit: %w", err)
	}
	ed.file, ed.dir = file, dir
	return nil
}

// discard removes a copy once done with (a source file stays).
func (ed *cardEdit) discard() {
	if ed.source {
		return
	}
	os.Remove(ed.file)
	if ed.dir != "" {
		os.RemoveAll(ed.dir)
	}
}

// keep moves a copy that could not be taken in out of its temporary
// directory, which a later run would sweep away, to a name of its own
// in the system's temporary directory (srs-edit-*.md), which the error
// then names. If it cannot be moved it stays where it is.
func (ed *cardEdit) keep() {
	if ed.source || ed.dir == "" {
		return
	}
	f, err := os.CreateTemp("", "srs-edit-*.md")
	if err != nil {
		return
	}
	f.Close()
	if err := os.Rename(ed.file, f.Name()); err != nil {
		os.Remove(f.Name())
		return
	}
	os.RemoveAll(ed.dir)
	ed.file, ed.dir = f.Name(), ""
}

// finish takes the edit in once the editor has exited (with ran, its
// error): the source imported again, or the copy's text stored. A copy
// that cannot be taken in is kept, and the error names it; finish may
// then run again (the review screen retries when the database is busy).
func (ed *cardEdit) finish(env *Env, ran error) (editResult, error) {
	res := editResult{card: ed.card.Deck + "/" + ed.card.ID, file: ed.file}
	if ran != nil {
		ed.discard()
		return res, fmt.Errorf("edit: editor %s: %v; nothing changed", editorName(env.Editor), ran)
	}
	if ed.source {
		return ed.reimport(env, res)
	}
	return ed.store(env, res)
}

// reimport imports the edited source file again.
func (ed *cardEdit) reimport(env *Env, res editResult) (editResult, error) {
	data, err := os.ReadFile(ed.file)
	if err != nil {
		return res, fmt.Errorf("edit %s: %w", ed.file, unwrapPath(err))
	}
	d, err := markdown.Parse(bytes.NewReader(data), deck.ParseOptions{File: ed.file, Deck: ed.card.Deck})
	if err != nil {
		return res, fmt.Errorf("%w; nothing imported: fix the file and run srs edit or srs import again", err)
	}
	if err := idMoved(d, ed.card.ID); err != nil {
		return res, err
	}
	res.warnings = d.Warnings
	err = env.with(func(s *store.Store) error {
		r, err := s.ImportDeck(d, store.ImportOptions{Now: env.Now()})
		if err != nil {
			return err
		}
		res.imported = &r
		after, err := s.Card(ed.card.Deck, ed.card.ID)
		if err != nil {
			return err
		}
		res.retired = after.Retired
		res.changed = !sameText(ed.card.Card, after.Card)
		return nil
	})
	return res, err
}

// idMoved catches the edit most likely to lose a card's history by
// mistake: text typed after the heading's {#id} (an editor's "append at
// the end of the line"), which makes the ID part of the front and the
// card a new one.
func idMoved(d *deck.Deck, id string) error {
	mark := "{#" + id + "}"
	for _, c := range d.Cards {
		if c.ID == id {
			return nil
		}
	}
	for _, c := range d.Cards {
		if strings.Contains(c.Front, mark) {
			return fmt.Errorf("%s: %s must end the heading, or the card loses its ID and history; nothing imported: move it back and run srs edit or srs import again", c.Source, mark)
		}
	}
	return nil
}

// store stores the copy's front, back and tags on the card.
func (ed *cardEdit) store(env *Env, res editResult) (editResult, error) {
	data, err := os.ReadFile(ed.file)
	if err != nil {
		return res, fmt.Errorf("edit %s: %w", ed.file, unwrapPath(err))
	}
	d, err := markdown.Parse(bytes.NewReader(data), deck.ParseOptions{File: ed.file, Deck: ed.card.Deck})
	if err != nil {
		// The error names the copy's place as it was parsed.
		was := ed.file
		ed.keep()
		return res, fmt.Errorf("%s; nothing changed (your text is kept in %s)", strings.ReplaceAll(err.Error(), was, ed.file), ed.file)
	}
	switch len(d.Cards) {
	case 1:
	case 0:
		ed.discard()
		return res, fmt.Errorf("edit: the copy holds no card; nothing changed")
	default:
		ed.keep()
		return res, fmt.Errorf("edit: the copy holds %d cards, and an edit keeps one; nothing changed (your text is kept in %s)", len(d.Cards), ed.file)
	}
	c := d.Cards[0]
	err = env.with(func(s *store.Store) (err error) {
		res.changed, err = s.EditCard(ed.card.Deck, ed.card.ID, store.CardText{Front: c.Front, Back: c.Back, Tags: c.Tags})
		return err
	})
	if err != nil {
		ed.keep()
		return res, fmt.Errorf("%w (your text is kept in %s)", err, ed.file)
	}
	ed.discard()
	return res, nil
}

// sameText reports whether an edit left a card as it was.
func sameText(a, b deck.Card) bool {
	return a.Front == b.Front && a.Back == b.Back && slices.Equal(a.Tags, b.Tags) && a.Kind == b.Kind && a.Parent == b.Parent
}

func (r editResult) print(env *Env) {
	for _, w := range r.warnings {
		fmt.Fprintf(env.IO.ErrOut, "srs: warning: %s\n", w)
	}
	if i := r.imported; i != nil {
		fmt.Fprintf(env.IO.Out, "imported %s again: added %d, updated %d, retired %d, unchanged %d\n", r.file, i.Added, i.Updated, i.Retired, i.Unchanged)
		if len(i.RetiredIDs) > 0 {
			fmt.Fprintf(env.IO.Out, "retired (no longer in the source; history kept): %s\n", strings.Join(i.RetiredIDs, " "))
		}
	}
	fmt.Fprintln(env.IO.Out, r.summary())
}

// summary is the edit's outcome in a line.
func (r editResult) summary() string {
	switch {
	case r.retired:
		return fmt.Sprintf("%s is no longer in %s: retired, its history kept", r.card, r.file)
	case r.changed:
		return fmt.Sprintf("edited %s; its ID and history are kept", r.card)
	}
	return r.card + ": unchanged"
}

// editorCommand runs the user's editor on file with the cursor at line.
// EDITOR may hold arguments ("code -w"), so on Unix it runs through the
// shell, as git runs it.
func editorCommand(editor string, line int, file string) *exec.Cmd {
	if strings.TrimSpace(editor) == "" {
		editor = "vi"
	}
	args := editorArgs(editor, line, file)
	if runtime.GOOS == "windows" {
		f := strings.Fields(editor)
		return exec.Command(f[0], append(f[1:], args...)...)
	}
	return exec.Command("sh", append([]string{"-c", editor + ` "$@"`, editor}, args...)...)
}

// editorArgs puts the cursor on the card's line: "+LINE FILE", which vi,
// vim, neovim, nano, emacs, micro, kakoune, joe and most others take; VS
// Code takes --goto FILE:LINE, Sublime Text and Helix FILE:LINE.
func editorArgs(editor string, line int, file string) []string {
	if line <= 0 {
		return []string{file}
	}
	switch editorName(editor) {
	case "code", "code-insiders", "codium":
		return []string{"--goto", fmt.Sprintf("%s:%d", file, line)}
	case "subl", "hx", "helix":
		return []string{fmt.Sprintf("%s:%d", file, line)}
	}
	return []string{"+" + strconv.Itoa(line), file}
}

// editorName is the program an editor command runs: "code" for
// "/usr/bin/code -w".
func editorName(editor string) string {
	f := strings.Fields(editor)
	if len(f) == 0 {
		return "vi"
	}
	return strings.TrimSuffix(filepath.Base(f[0]), ".exe")
}

// replaceFile writes data over file through a temporary file and a
// rename, so that a crash leaves the old file or the new one, never a
// part; a symbolic link keeps pointing to the file, with its mode.
func replaceFile(file string, data []byte) error {
	real, err := filepath.EvalSymlinks(file)
	if err != nil {
		return err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return err
	}
	// The temporary sibling is named as srs names them, so that a run
	// killed before the rename leaves one the next write here removes.
	store.SweepTemp(filepath.Dir(real))
	tmp, err := os.OpenFile(store.TempName(real), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), fi.Mode().Perm())
	}
	if err == nil {
		err = os.Rename(tmp.Name(), real)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", file, err)
	}
	return nil
}
