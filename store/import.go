package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// ImportOptions control ImportDeck.
type ImportOptions struct {
	Now    time.Time
	DryRun bool // compute the summary, write nothing
	// Builtin marks the deck as the built-in one at this version. Only
	// the built-in import may write a deck marked built-in, so that a
	// user's file cannot silently replace the guide.
	Builtin string
	// User receives History, the scheduling the source carries (by
	// deck.Key), when WithHistory is set: each card's reviews replayed
	// through User's scheduler (from the state History.State gives, when
	// it gives one), or its state set.
	User        string
	WithHistory bool
	History     map[string]fsrs.History
	// EmptyDecks names the decks of sources that hold no cards (an
	// emptied file among others): every card of each is retired, as
	// importing such a source alone retires them.
	EmptyDecks []string
	// Settings, when set, become User's settings in the same transaction,
	// before History is replayed (settings adopted from the source: Anki's
	// deck options). A user with no log yet replays the history under
	// them; one with a log has them from after its last entry, as
	// SetSettings does.
	Settings *fsrs.Settings
	// Progress, if set, is called as cards are written.
	Progress func(done, total int)
	// Context, if set, is asked every thousand cards whether to go on:
	// once it is done, the import stops with its error and the
	// transaction rolls back (an interrupt).
	Context context.Context
}

// ImportResult says what an import did (or, dry, would do).
type ImportResult struct {
	Added     int      `json:"added"`
	Updated   int      `json:"updated"`
	Retired   int      `json:"retired"`
	Revived   int      `json:"revived"` // retired cards that came back
	Unchanged int      `json:"unchanged"`
	History   int      `json:"history"`  // review-log entries imported
	Settings  bool     `json:"settings"` // the user's settings changed (ImportOptions.Settings)
	Decks     []string `json:"decks"`
	// RetiredIDs names the cards retired, so the user can see what
	// disappeared from the source.
	RetiredIDs []string `json:"retired_ids,omitempty"`
	// Builtin counts the cards of the built-in deck (BuiltinDeck) the
	// source holds, as a whole-collection export does: recognised and
	// left as they are, since the built-in deck comes with srs. Their
	// history is imported all the same.
	Builtin     int    `json:"builtin,omitempty"`
	BuiltinDeck string `json:"builtin_deck,omitempty"`
}

// Changed reports whether the import writes anything.
func (r ImportResult) Changed() bool {
	return r.Added+r.Updated+r.Retired+r.Revived+r.History > 0 || r.Settings
}

// ImportDeck merges d into the store. Each deck d names is the unit of
// import: its cards are matched by ID, new ones added, changed ones
// updated (history kept), and cards of that deck missing from d retired
// (kept with their history, no longer scheduled). Cards of the built-in
// deck are never written by a user's import (opt.Builtin unset): they
// are counted in the result and left as they are. It runs in one
// transaction; when nothing would change it writes nothing at all.
func (s *Store) ImportDeck(d *deck.Deck, opt ImportOptions) (ImportResult, error) {
	if err := d.Validate(); err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", d.Source, err)
	}
	var res ImportResult
	err := s.db.View(func(tx *bolt.Tx) error {
		p, err := plan(tx, d, opt)
		if err != nil {
			return err
		}
		res = p.result
		return nil
	})
	if err != nil || opt.DryRun || !res.Changed() && opt.Builtin == "" {
		return res, err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		p, err := plan(tx, d, opt)
		if err != nil {
			return err
		}
		res = p.result
		return p.apply(tx)
	})
	return res, err
}

// importPlan is what an import will write, computed before writing so that
// a dry run and the real thing agree.
type importPlan struct {
	deck    *deck.Deck
	opt     ImportOptions
	result  ImportResult
	put     []cardRecord // added, updated or revived
	added   []cardRecord
	revived []cardRecord
	retired []cardMeta
	// reparented cards moved to another question: their due-index
	// entries, which name the parent, are rewritten.
	reparented []cardRecord
	history    []deck.Card // cards whose Progress the user takes over
	nextPos    uint64
	counts     map[string][2]int // deck -> live, retired after the import
}

func plan(tx *bolt.Tx, d *deck.Deck, opt ImportOptions) (*importPlan, error) {
	p := &importPlan{deck: d, opt: opt, counts: map[string][2]int{}}
	p.nextPos = binary.BigEndian.Uint64(tx.Bucket(bMeta).Get(kNextPos))
	// The decks the source is about: those its cards name. A source whose
	// cards all sit in one deck (or that has none left) is about its own
	// deck, so that emptying a file retires its cards.
	byDeck := map[string][]deck.Card{}
	var names []string
	for _, c := range d.Cards {
		if _, ok := byDeck[c.Deck]; !ok {
			names = append(names, c.Deck)
		}
		byDeck[c.Deck] = append(byDeck[c.Deck], c)
	}
	if len(names) == 0 {
		names = []string{d.Name}
	}
	for _, name := range opt.EmptyDecks {
		if _, ok := byDeck[name]; !ok && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	builtin := map[string]bool{}
	for _, name := range names {
		if v := tx.Bucket(bDecks).Get([]byte(name)); v != nil && opt.Builtin == "" {
			var r deckRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return nil, fmt.Errorf("deck %q: %w: %v", name, ErrBadRecord, err)
			}
			if r.Builtin {
				// A whole-collection export holds the built-in deck:
				// it came with srs and stays as srs has it.
				builtin[name] = true
				p.result.Builtin += len(byDeck[name])
				p.result.BuiltinDeck = name
				continue
			}
		}
		p.result.Decks = append(p.result.Decks, name)
		if err := p.planDeck(tx, name, byDeck[name]); err != nil {
			return nil, err
		}
	}
	if opt.Settings != nil && opt.User != "" {
		if err := opt.Settings.Validate(); err != nil {
			return nil, fmt.Errorf("import %s: settings: %w", d.Source, err)
		}
		cur := fsrs.DefaultSettings()
		if ub, _ := openUser(tx, opt.User); ub != nil {
			var err error
			if cur, err = ub.currentSettings(); err != nil {
				return nil, err
			}
		}
		p.result.Settings = !reflect.DeepEqual(cur, *opt.Settings)
	}
	if opt.WithHistory && opt.User != "" {
		ub, _ := openUser(tx, opt.User)
		cards := tx.Bucket(bCards)
		for _, c := range d.Cards {
			pr, ok := opt.History[c.Key()]
			if !ok || len(pr.Reviews) == 0 && pr.State.Due.IsZero() && !pr.Suspended {
				continue
			}
			if builtin[c.Deck] {
				// The progress on a built-in card comes along when
				// the card is one srs has.
				v := cards.Get([]byte(c.Key()))
				if v == nil {
					continue
				}
				if m, err := decodeMeta(c.Key(), v); err != nil || m.Retired {
					continue
				}
			}
			if ub != nil {
				if _, had, _ := ub.getState(c.Key()); had {
					continue // the user already has history for it; never double it
				}
			}
			p.history = append(p.history, c)
			p.result.History += len(pr.Reviews)
			if !pr.State.Due.IsZero() || len(pr.Reviews) == 0 {
				p.result.History++ // the state set, or the suspension alone
			}
		}
	}
	return p, nil
}

func (p *importPlan) planDeck(tx *bolt.Tx, name string, cards []deck.Card) error {
	existing := make(map[string]cardMeta, len(cards))
	// Each card's stored text, read alongside its record: the two
	// buckets have the same keys, so one cursor step each.
	texts := make(map[string][]byte, len(cards))
	prefix := []byte(name + "\x00")
	c := tx.Bucket(bCards).Cursor()
	tc := tx.Bucket(bText).Cursor()
	tk, tv := tc.Seek(prefix)
	for k, v := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, v = c.Next() {
		m, err := decodeMeta(string(k), v)
		if err != nil {
			return err
		}
		existing[m.ID] = m
		for tk != nil && bytes.Compare(tk, k) < 0 {
			tk, tv = tc.Next()
		}
		if bytes.Equal(tk, k) {
			texts[m.ID] = tv
		}
	}
	live, retired := 0, 0
	for _, card := range cards {
		old, ok := existing[card.ID]
		delete(existing, card.ID)
		live++
		switch {
		case !ok:
			r := cardRecord{Card: card, Pos: p.nextPos}
			p.nextPos++
			p.added = append(p.added, r)
			p.put = append(p.put, r)
			p.result.Added++
		case old.Retired:
			r := cardRecord{Card: card, Pos: old.Pos}
			p.revived = append(p.revived, r)
			p.put = append(p.put, r)
			p.result.Revived++
		case old.Sum != contentSum(&card) || !storedAs(old, texts[card.ID], &card):
			// A stored record that no longer matches its own
			// fingerprint was damaged on disk: writing the card
			// again repairs it.
			r := cardRecord{Card: card, Pos: old.Pos}
			p.put = append(p.put, r)
			if old.Parent != card.Parent {
				p.reparented = append(p.reparented, r)
			}
			p.result.Updated++
		default:
			p.result.Unchanged++
		}
	}
	gone := make([]string, 0, len(existing))
	for id, r := range existing {
		if r.Retired {
			retired++
			continue
		}
		gone = append(gone, id)
	}
	slices.Sort(gone)
	for _, id := range gone {
		r := existing[id]
		r.Retired = true
		p.retired = append(p.retired, r)
		p.result.Retired++
		p.result.RetiredIDs = append(p.result.RetiredIDs, name+"/"+id)
		retired++
	}
	p.counts[name] = [2]int{live, retired}
	return nil
}

func (p *importPlan) apply(tx *bolt.Tx) error {
	total := len(p.put) + len(p.retired)
	done := 0
	tick := func() error {
		done++
		if done%1000 != 0 && done != total {
			return nil
		}
		if p.opt.Progress != nil {
			p.opt.Progress(done, total)
		}
		if p.opt.Context != nil {
			return p.opt.Context.Err()
		}
		return nil
	}
	// Writing in key order makes every put an append to bbolt's node:
	// in source order, a big import's random IDs made each put shift the
	// node's whole slice (quadratic). Pages are then written nearly full.
	slices.SortFunc(p.put, func(a, b cardRecord) int { return strings.Compare(a.Key(), b.Key()) })
	tx.Bucket(bCards).FillPercent = 0.9
	tx.Bucket(bText).FillPercent = 0.9
	for _, r := range p.put {
		if err := putCard(tx, r); err != nil {
			return err
		}
		if err := tick(); err != nil {
			return err
		}
	}
	for _, r := range p.retired {
		if err := putMeta(tx, r); err != nil {
			return err
		}
		if err := tick(); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bMeta).Put(kNextPos, u64(p.nextPos)); err != nil {
		return err
	}
	if err := p.reindexUsers(tx); err != nil {
		return err
	}
	for name, n := range p.counts {
		r := deckRecord{Name: name, Source: p.deck.Source, ImportedAt: p.opt.Now.UTC(),
			Cards: n[0], Retired: n[1], Builtin: p.opt.Builtin != ""}
		v, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bDecks).Put([]byte(name), v); err != nil {
			return err
		}
	}
	if p.opt.Builtin != "" {
		if err := tx.Bucket(bMeta).Put(kBuiltin, []byte(p.opt.Builtin)); err != nil {
			return err
		}
	}
	if p.result.Settings {
		ub, err := ensureUser(tx, p.opt.User, p.opt.Now)
		if err != nil {
			return err
		}
		if err := ub.putSettings(*p.opt.Settings, p.opt.Now); err != nil {
			return err
		}
	}
	return p.importHistory(tx)
}

// reindexUsers brings every user's indexes in line with the added, revived
// and retired cards.
func (p *importPlan) reindexUsers(tx *bolt.Tx) error {
	if len(p.added)+len(p.revived)+len(p.retired)+len(p.reparented) == 0 {
		return nil
	}
	return forEachUser(tx, func(name string, _ *bolt.Bucket) error {
		ub, err := openUser(tx, name)
		if err != nil {
			return err
		}
		for _, r := range p.added {
			if err := ub.new.Put(newKey(r.Deck, r.Pos), []byte(r.ID)); err != nil {
				return err
			}
		}
		for _, r := range p.revived {
			st, had, err := ub.getState(r.Key())
			if err != nil {
				return err
			}
			if err := ub.index(r.meta(), st, had); err != nil {
				return err
			}
		}
		for _, r := range p.retired {
			st, had, err := ub.getState(r.Key())
			if err != nil {
				return err
			}
			if err := ub.unindex(r, st, had); err != nil {
				return err
			}
		}
		for _, r := range p.reparented {
			st, had, err := ub.getState(r.Key())
			if err != nil {
				return err
			}
			if err := ub.index(r.meta(), st, had); err != nil {
				return err
			}
		}
		return nil
	})
}

// importHistory gives the user the scheduling the source carried: each
// review replayed through the user's scheduler (as a rebuild would replay
// it) and logged, so that the states are exactly what srs would have
// computed had the reviews been made here.
func (p *importPlan) importHistory(tx *bolt.Tx) error {
	if len(p.history) == 0 {
		return nil
	}
	ub, err := ensureUser(tx, p.opt.User, p.opt.Now)
	if err != nil {
		return err
	}
	rp, err := newReplayer(ub)
	if err != nil {
		return err
	}
	for _, c := range p.history {
		pr := p.opt.History[c.Key()]
		var changes []Change
		// A state set from outside comes first: the state the reviews
		// start from, set when it was reached; or, with no reviews, the
		// card's state as of the import.
		switch {
		case pr.State.Due.IsZero():
		case len(pr.Reviews) == 0:
			changes = append(changes, Change{Time: p.opt.Now, Action: ActSet, After: CardState{Card: pr.State}})
		case pr.State.LastReview.IsZero() || pr.Reviews[0].Time.Before(pr.State.LastReview):
			return fmt.Errorf("import %s card %s history: the state the reviews start from is not before them", p.deck.Source, c.ID)
		default:
			changes = append(changes, Change{Time: pr.State.LastReview, Action: ActSet, After: CardState{Card: pr.State}})
		}
		for i, e := range pr.Reviews {
			if i > 0 && e.Time.Before(pr.Reviews[i-1].Time) {
				return fmt.Errorf("import %s card %s history: review %d is older than the one before it", p.deck.Source, c.ID, i+1)
			}
			changes = append(changes, Change{Time: e.Time, Action: ActRate, Rating: e.Rating, Duration: e.Duration})
		}
		if pr.Suspended {
			changes = append(changes, Change{Time: p.opt.Now, Action: ActSuspend})
		}
		for _, ch := range changes {
			ch.Card = c.Key()
			ch.Before, ch.HadState, ch.After, err = rp.apply(Entry{Key: newLogKey(ch.Time, 0), Card: ch.Card,
				Action: ch.Action, Rating: ch.Rating, After: ch.After})
			if err != nil {
				return fmt.Errorf("import %s card %s history: %w", p.deck.Source, c.ID, err)
			}
			if _, err := ub.record(tx, ch); err != nil {
				return fmt.Errorf("import %s card %s history: %w", p.deck.Source, c.ID, err)
			}
		}
	}
	return nil
}

// BuiltinVersion is the version of the built-in deck last loaded, "" if
// none.
func (s *Store) BuiltinVersion() (string, error) {
	var v string
	err := s.db.View(func(tx *bolt.Tx) error {
		v = string(tx.Bucket(bMeta).Get(kBuiltin))
		return nil
	})
	return v, err
}

// storedAs reports whether the records of a card whose fingerprint
// matches c hold what c holds. The fingerprint stands for the card's
// content, but it cannot vouch for records damaged on disk after it was
// taken; comparing the text where it lies costs little next to hashing it
// again, and nothing next to the import.
func storedAs(m cardMeta, text []byte, c *deck.Card) bool {
	return m.Kind == c.Kind && m.Parent == c.Parent && slices.Equal(m.Tags, c.Tags) && textIs(text, c.Front, c.Back)
}

// textIs reports whether the text record v holds front and back, reading
// it in place.
func textIs(v []byte, front, back string) bool {
	if len(v) > 0 && v[0] == '{' {
		t, err := decodeTextValue(v)
		return err == nil && t.Front == front && t.Back == back
	}
	if len(v) == 0 || v[0] != textV1 {
		return false
	}
	v = v[1:]
	for _, want := range []string{front, back} {
		n, w := binary.Uvarint(v)
		if w <= 0 || n != uint64(len(want)) || uint64(len(v)-w) < n || string(v[w:w+int(n)]) != want {
			return false
		}
		v = v[w+int(n):]
	}
	return true
}
