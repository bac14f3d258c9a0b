package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bPlans is the user's bucket of interview dates (`srs plan`), created
// with the first one added: a user without it has none, so no migration.
//
//	plans/<id BE8>   JSON Plan; id from the bucket's sequence, never reused
var bPlans = []byte("plans")

// ErrNoPlan reports a plan that does not exist.
var ErrNoPlan = errors.New("no such plan")

// Plan is a date a user prepares for, and what for: the cards in scope
// (a deck, interview loops, topics), the minutes a day they give it and
// the recall they want on the day. The store keeps it; how a day is
// paced for it is package prep's and queue's. A plan changes no card's
// state (the queue shows cards earlier, it does not move their due), so
// unlike settings it keeps no history: a rebuild never needs it.
type Plan struct {
	ID      uint64    `json:"id"`
	Name    string    `json:"name,omitempty"`   // what the user calls it ("staff loop")
	Date    string    `json:"date"`             // YYYY-MM-DD, a day of the user's calendar
	Deck    string    `json:"deck,omitempty"`   // "" for every deck
	Loops   []string  `json:"loops,omitempty"`  // loop:NAME tags, any of them
	Topics  []string  `json:"topics,omitempty"` // topic:NAME tags, any of them
	Minutes int       `json:"minutes"`          // a day
	Target  float64   `json:"target"`           // predicted recall wanted on the day
	Added   time.Time `json:"added"`
}

// DateLayout is how a plan's date is written.
const DateLayout = "2006-01-02"

// Validate refuses a plan the store could not keep sensibly, naming the
// field. Whether its date is still ahead, and whether its loops and
// topics exist, depend on the user's day and cards: package prep checks
// those.
func (p Plan) Validate() error {
	if _, err := time.Parse(DateLayout, p.Date); err != nil {
		return fmt.Errorf("date %q: want YYYY-MM-DD", p.Date)
	}
	if p.Minutes < 1 || p.Minutes > 1440 {
		return fmt.Errorf("minutes %d: must be 1..1440", p.Minutes)
	}
	if !(p.Target > 0 && p.Target < 1) {
		return fmt.Errorf("target %v: must be between 0 and 1 (exclusive)", p.Target)
	}
	if len(p.Name) > 80 || strings.ContainsAny(p.Name, "\n\r\t") {
		return fmt.Errorf("name %q: at most 80 characters on one line", p.Name)
	}
	for _, names := range [][]string{p.Loops, p.Topics} {
		for _, n := range names {
			if n == "" || strings.ContainsAny(n, ", \t\n") {
				return fmt.Errorf("loop or topic %q: must be one word", n)
			}
		}
	}
	return nil
}

// Plans are the user's plans, by date then id (none for a user not
// created yet).
func (s *Store) Plans(user string) ([]Plan, error) {
	var out []Plan
	err := s.Read(user, func(r *Reader) (err error) {
		out, err = r.Plans()
		return err
	})
	if errors.Is(err, ErrNoUser) {
		return nil, nil
	}
	return out, err
}

// Plans are the user's plans, by date then id.
func (r *Reader) Plans() ([]Plan, error) { return r.ub.plans() }

func (ub *userBuckets) plans() ([]Plan, error) {
	b := ub.user.Bucket(bPlans)
	if b == nil {
		return nil, nil
	}
	var out []Plan
	err := b.ForEach(func(k, v []byte) error {
		var p Plan
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("user %q plan %x: %w: %v", ub.name, k, ErrBadRecord, err)
		}
		if err := p.Validate(); err != nil {
			return fmt.Errorf("user %q plan %x: %w: %v", ub.name, k, ErrBadRecord, err)
		}
		out = append(out, p)
		return nil
	})
	slices.SortStableFunc(out, func(a, b Plan) int { return strings.Compare(a.Date, b.Date) })
	return out, err
}

// AddPlan keeps a new plan for the user and returns it with its id. A
// deck it names must exist.
func (s *Store) AddPlan(user string, p Plan, now time.Time) (Plan, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if p.Deck != "" && tx.Bucket(bDecks).Get([]byte(p.Deck)) == nil {
			return errNoDeck(p.Deck)
		}
		ub, err := ensureUser(tx, user, now)
		if err != nil {
			return err
		}
		b, err := ub.user.CreateBucketIfNotExists(bPlans)
		if err != nil {
			return err
		}
		if p.ID, err = b.NextSequence(); err != nil {
			return err
		}
		p.Added = now.UTC()
		v, err := json.Marshal(p)
		if err != nil {
			return err
		}
		return b.Put(binary.BigEndian.AppendUint64(nil, p.ID), v)
	})
	return p, err
}

// RemovePlan removes the user's plan with that id and returns it;
// ErrNoPlan if there is none.
func (s *Store) RemovePlan(user string, id uint64) (Plan, error) {
	var p Plan
	err := s.db.Update(func(tx *bolt.Tx) error {
		ub, err := openUser(tx, user)
		if err != nil {
			return err
		}
		b := ub.user.Bucket(bPlans)
		k := binary.BigEndian.AppendUint64(nil, id)
		var v []byte
		if b != nil {
			v = b.Get(k)
		}
		if v == nil {
			return fmt.Errorf("plan %d: %w", id, ErrNoPlan)
		}
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("user %q plan %d: %w: %v", user, id, ErrBadRecord, err)
		}
		return b.Delete(k)
	})
	return p, err
}
