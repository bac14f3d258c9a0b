package store

import (
	"bytes"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/fsrs"
)

// Stats summarises a user's history for `srs stats`.
type Stats struct {
	User       string        `json:"user"`
	Reviews    int           `json:"log_entries"` // everything ever logged
	Today      int           `json:"today"`       // ratings today
	TodayCards int           `json:"today_cards"` // distinct cards rated today
	Week       int           `json:"last_7_days"` // ratings in the last 7 days, today included
	Month      int           `json:"last_30_days"`
	TimeMonth  time.Duration `json:"time_last_30_days_ns"`
	MockMonth  int           `json:"mock_last_30_days"` // of Month, ratings given in mock interviews
	// Retention is true retention over the last 30 days: the share of
	// reviews of cards in the Review state that were not rated Again.
	Retention       float64    `json:"retention"`
	Target          float64    `json:"desired_retention"`
	RetentionSample int        `json:"retention_sample"`
	Activity        []DayCount `json:"activity"` // last 14 days, oldest first
	Weakest         []TagScore `json:"weakest"`  // tags with the lowest retention in the last 90 days
	Cards           struct {
		New       int `json:"new"` // not yet introduced
		Learning  int `json:"learning"`
		Review    int `json:"review"`
		Suspended int `json:"suspended"`
	} `json:"cards"`
}

// DayCount is a count on one of the user's days.
type DayCount struct {
	Day   time.Time `json:"day"` // the day's start
	Count int       `json:"count"`
}

// TagScore is a tag's retention over recent reviews.
type TagScore struct {
	Tag       string  `json:"tag"`
	Retention float64 `json:"retention"`
	Reviews   int     `json:"reviews"`
}

// minTagReviews keeps a tag with a handful of reviews off the weakest list.
const minTagReviews = 5

// Stats reads the user's log (one pass over the last 90 days) and
// states. It is the one query that walks history, and it is only asked
// for on demand. What is due (today and the forecast) is package
// queue's.
func (s *Store) Stats(user string, now time.Time) (*Stats, error) {
	st := &Stats{User: user}
	err := s.db.View(func(tx *bolt.Tx) error {
		ub, err := openUser(tx, user)
		if err != nil {
			return err
		}
		settings, err := ub.currentSettings()
		if err != nil {
			return err
		}
		sched, err := fsrs.NewScheduler(settings)
		if err != nil {
			return err
		}
		st.Target = settings.DesiredRetention
		today := sched.DayOf(now)
		// The start of the user's day n days from today, on the local
		// calendar: across a DST change a day is 23 or 25 hours.
		days := func(n int) time.Time { return sched.DayStart(now, n) }
		st.Reviews = ub.log.Stats().KeyN
		for i := -13; i <= 0; i++ {
			st.Activity = append(st.Activity, DayCount{Day: days(i)})
		}
		activityEnd, monthStart, weekStart := days(1), days(-29), days(-6)
		type tally struct{ n, ok int }
		tags := map[string]*tally{}
		retained, sample := 0, 0
		todayCards := map[string]bool{}
		// Up to now: entries after it (made when the clock was later)
		// are not history yet.
		c := ub.log.Cursor()
		end := logFrom(now.Add(time.Nanosecond))
		for k, v := c.Seek(logFrom(days(-89))); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
			e, err := decodeEntry(k, v)
			if err != nil {
				return err
			}
			if e.Action != ActRate {
				continue
			}
			t := e.Time()
			if !t.Before(monthStart) {
				st.Month++
				st.TimeMonth += e.Duration
				if e.Mock {
					st.MockMonth++
				}
				if !t.Before(weekStart) {
					st.Week++
				}
				if today.Contains(t) {
					st.Today++
					todayCards[e.Card] = true
				}
				if e.Before.State == fsrs.Review {
					sample++
					if e.Rating != fsrs.Again {
						retained++
					}
				}
			}
			for i := len(st.Activity) - 1; i >= 0 && t.Before(activityEnd); i-- {
				if !t.Before(st.Activity[i].Day) {
					st.Activity[i].Count++
					break
				}
			}
			if e.Before.State != fsrs.Review {
				continue
			}
			m, ok, err := getMeta(tx, e.Card)
			if err != nil || !ok {
				continue
			}
			for _, tag := range m.Tags {
				if !isTopicTag(tag) {
					continue
				}
				tt := tags[tag]
				if tt == nil {
					tt = &tally{}
					tags[tag] = tt
				}
				tt.n++
				if e.Rating != fsrs.Again {
					tt.ok++
				}
			}
		}
		st.TodayCards = len(todayCards)
		if sample > 0 {
			st.Retention = float64(retained) / float64(sample)
		}
		st.RetentionSample = sample
		for tag, t := range tags {
			if t.n >= minTagReviews {
				st.Weakest = append(st.Weakest, TagScore{Tag: tag, Retention: float64(t.ok) / float64(t.n), Reviews: t.n})
			}
		}
		slices.SortFunc(st.Weakest, func(a, b TagScore) int {
			if a.Retention != b.Retention {
				if a.Retention < b.Retention {
					return -1
				}
				return 1
			}
			return strings.Compare(a.Tag, b.Tag)
		})
		if len(st.Weakest) > 5 {
			st.Weakest = st.Weakest[:5]
		}
		st.Cards.New = ub.new.Stats().KeyN
		return ub.state.ForEach(func(_, v []byte) error {
			cs, err := decodeState(v)
			if err != nil {
				return err
			}
			switch {
			case cs.Suspended:
				st.Cards.Suspended++
			case cs.State == fsrs.Review:
				st.Cards.Review++
			case cs.State != fsrs.New:
				st.Cards.Learning++
			}
			return nil
		})
	})
	return st, err
}

// isTopicTag reports whether a tag names what a card is about (a topic:
// or loop: tag, or a user's own plain tag); section:, group: and the like
// say where a card sits in its source, not what it tests.
func isTopicTag(tag string) bool {
	return strings.HasPrefix(tag, deck.TopicTag) || strings.HasPrefix(tag, deck.LoopTag) || !strings.Contains(tag, ":")
}
