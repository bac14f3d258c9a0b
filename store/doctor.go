package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// Problem is one thing Check found wrong, in plain words.
type Problem struct {
	User string `json:"user,omitempty"`
	What string `json:"what"`
}

func (p Problem) String() string {
	if p.User != "" {
		return "user " + p.User + ": " + p.What
	}
	return p.What
}

// Report is what Check found.
type Report struct {
	// Damaged says the file's structure is broken (its problems say
	// where): no command can trust it, and a rebuild cannot repair it.
	Damaged  bool      `json:"damaged"`
	Schema   uint64    `json:"schema"`
	Cards    int       `json:"cards"`
	Users    int       `json:"users"`
	Entries  int       `json:"log_entries"`
	Problems []Problem `json:"problems"`
}

// maxProblems keeps a badly damaged file's report readable.
const maxProblems = 200

func (r *Report) add(user, format string, args ...any) {
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, Problem{User: user, What: clip(fmt.Sprintf(format, args...))})
	}
}

// Check verifies the database: first the file's structure (Verify), and
// on a sound file its invariants: every index entry matches a state and
// every state its index entries; states are what replaying the log
// through FSRS gives; no record points at a card that does not exist;
// every record decodes, and every card's text matches its fingerprint. It
// writes nothing.
func (s *Store) Check() (*Report, error) {
	r := &Report{}
	var damage []string
	if err := s.db.View(func(tx *bolt.Tx) error {
		damage = s.structureProblems(tx, maxProblems)
		return nil
	}); err != nil {
		return r, err
	}
	if len(damage) > 0 {
		r.Damaged = true
		for _, p := range damage {
			r.add("", "file: %s", p)
		}
		return r, nil
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		r.Schema = binary.BigEndian.Uint64(tx.Bucket(bMeta).Get(kSchema))
		if r.Schema != SchemaVersion {
			r.add("", "schema version %d, this srs uses %d", r.Schema, SchemaVersion)
		}
		cards := map[string]cardMeta{}
		err := tx.Bucket(bCards).ForEach(func(k, v []byte) error {
			c, err := decodeMeta(string(k), v)
			if err != nil {
				r.add("", "%v", err)
				return nil
			}
			if t, err := getText(tx, string(k)); err != nil {
				r.add("", "%v", err)
			} else if card := c.card(t); contentSum(&card.Card) != c.Sum {
				r.add("", "card %s/%s: its text does not match its fingerprint (damaged on disk); importing deck %s again repairs it", c.Deck, c.ID, c.Deck)
			}
			cards[string(k)] = c
			return nil
		})
		if err != nil {
			return err
		}
		r.Cards = len(cards)
		for _, c := range cards {
			if c.Parent != "" {
				if _, ok := cards[deck.Key(c.Deck, c.Parent)]; !ok {
					r.add("", "card %s/%s names parent %q, which does not exist", c.Deck, c.ID, c.Parent)
				}
			}
		}
		return forEachUser(tx, func(name string, _ *bolt.Bucket) error {
			r.Users++
			ub, err := openUser(tx, name)
			if err != nil {
				r.add(name, "%v", err)
				return nil
			}
			return checkUser(ub, cards, r)
		})
	})
	return r, err
}

func checkUser(ub *userBuckets, cards map[string]cardMeta, r *Report) error {
	u := ub.name
	// Expected index entries, from states and cards.
	states := map[string]CardState{}
	err := ub.state.ForEach(func(k, v []byte) error {
		st, err := decodeState(v)
		if err != nil {
			r.add(u, "state of %s does not decode: %v", showKey(k), err)
			return nil
		}
		if _, ok := cards[string(k)]; !ok {
			r.add(u, "state for card %s, which does not exist (orphan)", showKey(k))
			return nil
		}
		states[string(k)] = st
		return nil
	})
	if err != nil {
		return err
	}
	wantDue, wantNew := map[string]string{}, map[string]string{} // due key -> value; new key -> id
	for k, c := range cards {
		st, had := states[k]
		if c.Retired || had && st.Suspended {
			continue
		}
		if !had || st.State == fsrs.New {
			wantNew[string(newKey(c.Deck, c.Pos))] = c.ID
		} else {
			wantDue[string(dueKey(st.Due, k))] = string(encodeDue(newDueEntry(st, c.Parent)))
		}
	}
	err = ub.due.ForEach(func(k, v []byte) error {
		_, card, _ := parseDueKey(k)
		want, ok := wantDue[string(k)]
		switch {
		case !ok:
			r.add(u, "due index lists %s, which is not due then (stale entry)", showKey([]byte(card)))
		case want != string(v):
			got, _ := decodeDue(v)
			r.add(u, "due index entry of %s (parent %q) does not match its state and card", showKey([]byte(card)), got.parent)
		}
		delete(wantDue, string(k))
		return nil
	})
	if err != nil {
		return err
	}
	for k := range wantDue {
		_, card, _ := parseDueKey([]byte(k))
		r.add(u, "card %s is missing from the due index", showKey([]byte(card)))
	}
	err = ub.new.ForEach(func(k, v []byte) error {
		if id, ok := wantNew[string(k)]; !ok || id != string(v) {
			card, _, _ := parseNewKey(k, v)
			r.add(u, "new-card index lists %s, which is not new (stale entry)", showKey([]byte(card)))
			return nil
		}
		delete(wantNew, string(k))
		return nil
	})
	if err != nil {
		return err
	}
	for k, id := range wantNew {
		card, _, _ := parseNewKey([]byte(k), []byte(id))
		r.add(u, "new card %s is missing from the new-card index", showKey([]byte(card)))
	}

	// Replay the log and compare with the entries and the states.
	rp, err := newReplayer(ub)
	if err != nil {
		r.add(u, "%v", err)
		return nil
	}
	err = ub.log.ForEach(func(k, v []byte) error {
		r.Entries++
		e, err := decodeEntry(k, v)
		if err != nil {
			r.add(u, "log entry %x does not decode: %v", k, err)
			return nil
		}
		if _, ok := cards[e.Card]; !ok {
			r.add(u, "log entry %s is for card %s, which does not exist", e.Key, showKey([]byte(e.Card)))
		}
		before, had, after, err := rp.apply(e)
		if err != nil {
			r.add(u, "log entry %s cannot be replayed: %v", e.Key, err)
			return nil
		}
		if had != e.HadState || had && !bytes.Equal(encodeState(before), encodeState(e.Before)) {
			r.add(u, "log entry %s (%s) starts from a state the entries before it do not lead to", e.Key, showKey([]byte(e.Card)))
		}
		if !bytes.Equal(encodeState(after), encodeState(e.After)) {
			r.add(u, "log entry %s (%s) records a result FSRS does not give on replay", e.Key, showKey([]byte(e.Card)))
		}
		return nil
	})
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(states))
	for k := range states {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		want, ok := rp.states[k]
		if !ok {
			r.add(u, "card %s has a state but no log entries", showKey([]byte(k)))
			continue
		}
		if !bytes.Equal(encodeState(states[k]), encodeState(want)) {
			r.add(u, "state of %s differs from replaying its log", showKey([]byte(k)))
		}
	}
	for k := range rp.states {
		if _, ok := states[k]; !ok && cards[k].ID != "" {
			r.add(u, "card %s has log entries but no state", showKey([]byte(k)))
		}
	}
	return nil
}

func showKey(k []byte) string {
	d, id := deck.SplitKey(string(k))
	return d + "/" + id
}
