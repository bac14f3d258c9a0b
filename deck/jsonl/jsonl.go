// Package jsonl reads srs's JSON Lines export (`srs export --format
// jsonl`, and `srs cards --json`): one object per line, one card per
// object. The card's own keys (id, deck, kind, front, back, tags, parent)
// are read; the rest (a follow-up's context, one user's state, due,
// stability, difficulty) describe a schedule, not a card, and are left:
// a snapshot of one user's state is no review log to replay.
package jsonl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/internal/srcpos"
)

// record is the part of a line Parse reads. The keys are those of
// deck.Card's JSON, which the export writes.
type record struct {
	ID      string          `json:"id"`
	Deck    string          `json:"deck"`
	Kind    string          `json:"kind"`
	Front   *string         `json:"front"`
	Back    string          `json:"back"`
	Tags    []string        `json:"tags"`
	Parent  string          `json:"parent"`
	Retired bool            `json:"retired"`
	Source  json.RawMessage `json:"source"` // where the card came from: not where it comes from now
}

// Parse reads a JSONL deck. Blank lines are skipped; every other line
// must be one JSON object with a front. A line without an id gets one
// derived from its front (deck.DeriveID), without a deck the deck
// opt.DeckName picks, without a kind "basic". A card marked retired
// (`srs cards --json --retired`) is not read: it is no longer in the
// deck it was exported from. Every error names file:line; the deck passes
// Validate before it is returned.
func Parse(r io.Reader, opt deck.ParseOptions) (*deck.Deck, error) {
	src := srcpos.New(opt.File)
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	d := &deck.Deck{Source: opt.File}
	seen := srcpos.IDs{}
	decks := map[string]bool{}
	for n := 1; len(data) > 0; n++ {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte("\n"))
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		c, skip, err := parseLine(src, n, line, opt)
		if err != nil {
			return nil, err
		}
		if skip {
			continue
		}
		fix := ""
		if c.derived {
			fix = "give one of them an id"
		}
		if err := seen.Check(src, n, c.Deck, c.ID, fix); err != nil {
			return nil, err
		}
		if c.Deck != "" {
			decks[c.Deck] = true
		}
		d.Cards = append(d.Cards, c.Card)
	}
	// The deck the file is about: the one its cards share, else one
	// named after the file (as for a CSV file with a deck column).
	name := ""
	if len(decks) == 1 {
		for name = range decks {
		}
	}
	d.Name = opt.DeckName(name)
	if err := deck.ValidateDeckName(d.Name); err != nil {
		return nil, fmt.Errorf("%s: %s", src, srcpos.OneLine(err.Error()))
	}
	for i := range d.Cards {
		if d.Cards[i].Deck == "" {
			d.Cards[i].Deck = d.Name
		}
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("%s", srcpos.OneLine(err.Error()))
	}
	return d, nil
}

type parsedCard struct {
	deck.Card
	derived bool // the line gave no id
}

func parseLine(src srcpos.File, n int, line []byte, opt deck.ParseOptions) (parsedCard, bool, error) {
	var c parsedCard
	if !utf8.Valid(line) {
		return c, false, src.Errorf(n, "invalid UTF-8")
	}
	if line[0] != '{' {
		return c, false, src.Errorf(n, "not a JSON object")
	}
	var rec record
	if err := json.Unmarshal(line, &rec); err != nil {
		return c, false, src.Errorf(n, "%s", jsonError(err))
	}
	if rec.Retired {
		return c, true, nil
	}
	if rec.Front == nil {
		return c, false, src.Errorf(n, "no \"front\"")
	}
	c.Source = src.At(n)
	c.Front = strings.TrimSpace(deck.StripControls(*rec.Front))
	c.Back = strings.TrimSpace(deck.StripControls(rec.Back))
	if c.Front == "" {
		return c, false, src.Errorf(n, "empty front")
	}
	c.Kind = deck.KindBasic
	if rec.Kind != "" {
		k, ok := deck.ParseKind(rec.Kind)
		if !ok {
			return c, false, src.Errorf(n, "unknown kind %q (want one of %s)", rec.Kind, deck.KindNames())
		}
		c.Kind = k
	}
	c.ID = rec.ID
	if c.ID == "" {
		c.ID, c.derived = deck.DeriveID(c.Front), true
	} else if err := deck.ValidateID(c.ID); err != nil {
		return c, false, src.Errorf(n, "id: %v", err)
	}
	if opt.Deck != "" {
		c.Deck = opt.Deck
	} else if rec.Deck != "" {
		if err := deck.ValidateDeckName(rec.Deck); err != nil {
			return c, false, src.Errorf(n, "deck: %v", err)
		}
		c.Deck = rec.Deck
	}
	c.Parent = rec.Parent
	tags := make([]string, 0, len(rec.Tags))
	for _, t := range rec.Tags {
		tags = append(tags, strings.TrimSpace(deck.StripControls(t)))
	}
	c.Tags = deck.AppendTags(nil, tags...)
	return c, false, nil
}

// jsonError says what is wrong with a line without Go's type names.
func jsonError(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("not JSON: %v (byte %d)", e, e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("%q: want %s, got %s", e.Field, jsonKind(e.Type.Kind().String()), e.Value)
	}
	return "not JSON: " + err.Error()
}

func jsonKind(k string) string {
	switch k {
	case "slice":
		return "a list of strings"
	case "bool":
		return "true or false"
	case "ptr":
		return "a string"
	}
	return "a " + k
}
