package queue

import (
	"github.com/srs-tool/srs/store"
)

// Forecast counts the cards due on each of the user's next days, today
// first. Today's is what today holds of due cards (learning and review,
// as t counts them: what the session will show). A later day's is the
// due index's count of the cards due that day, before any limit, sibling
// or burying: a forecast of the load, not a promise of the queue.
func Forecast(r *store.Reader, t *Today, days int) ([]store.DayCount, error) {
	if days <= 0 {
		return nil, nil
	}
	out := []store.DayCount{{Day: t.Day.Start, Count: t.Counts.Learning + t.Counts.Review}}
	for i := 1; i < days; i++ {
		out = append(out, store.DayCount{Day: t.Scheduler.DayStart(t.Now, i)})
	}
	end := t.Scheduler.DayStart(t.Now, days)
	err := r.EachDue(t.Day.End, end, func(d store.Due) error {
		i := 1
		for i < days-1 && !d.Due.Before(out[i+1].Day) {
			i++
		}
		out[i].Count++
		return nil
	})
	return out, err
}
