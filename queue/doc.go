// Package queue holds the rules of a user's day: which cards today holds,
// in what order a session shows them, and what is left. It reads the
// store's views (the due and new indexes, states, the log, settings) and
// decides; the store only keeps.
//
// Build is the one computation of "what today holds". `srs status`, the
// review session (and its header), `srs stats` (due today and the
// forecast) and `srs cards --today` all take their numbers from it, so
// they cannot differ.
//
// # The rules
//
// A day runs from the user's day_start_hour to the next, in their
// time_zone (fsrs.Day). Through it:
//
//   - Learning and relearning cards due today are shown when due (due
//     now first, by due time). Those rated today (intraday) are never
//     limited. Those carried over from an earlier day (last reviewed
//     before today began) count against the review limit, and are taken
//     before reviews, in due order.
//   - Review cards due today are taken in order of retrievability, the
//     most forgotten first, while the review limit lasts.
//   - New cards come after them, gathered across decks (new_order):
//     round-robin (the default) shares them out one at a time, each to
//     the deck that has introduced the fewest today, ties in deck name
//     order, so an imported deck gets new cards on its first day; deck
//     takes each deck's in deck name order, as far as its limit goes.
//     Within a deck they come in the order they were added.
//   - Limits (as Anki's v3 scheduler): reviews_per_day and new_per_day
//     are the user's, over all decks; a deck may have its own (srs
//     settings --deck), which caps that deck further. Reviews done today
//     (and carried-over learning cards rated today) count against the
//     review limit. Unless new_ignores_review_limit, every new card
//     introduced today counts against the review limit too, and new
//     cards are capped at what the review limit leaves after the
//     reviews: once it is reached, no new cards.
//   - A daily time budget (minutes_per_day, when above 0; budget.go)
//     holds back the user's own new cards, and nothing else: the day's
//     estimated seconds, at the user's costs as package prep measures
//     them over every card (prep.MeasureDay: their answers in the 14
//     days before today, 60 s an answer until measured), are a review's
//     cost (Costs.Review) for each card rated today that was not new
//     and each learning or review card today holds not rated today, and
//     a new card's first-day cost (Costs.New, by kind) for each card
//     introduced today and each new card of a plan's today holds. The
//     user's own new cards then come in order while their cost fits in
//     what is left; the first that does not, and every one after it,
//     wait. Reviews are never held back by it (FSRS schedules each for
//     the day its recall falls to the desired retention; skipping one
//     costs more later): when reviews alone fill the budget, no new card
//     comes. A plan's new cards come at the plan's own quota and minutes
//     (a plan is a commitment to a date) and take their share of the
//     budget first. Each card counts once, and the costs are measured
//     before today, so the estimate holds steady through the day. A
//     session narrowed to a deck or tag estimates its own cards and
//     everything done today, as the limits count.
//   - Siblings: a question and its follow-ups are one group, and a day
//     shows one of them. Once one was rated, buried or suspended today,
//     the others wait until tomorrow; among those due, the first the
//     order above takes holds the others back, so they are not counted.
//     A learning card is never held back (it is the group's card today).
//     A plan's follow-up chain with no day to spare takes its group
//     ahead of the reviews (prep; claimLate).
//   - A follow-up is not introduced until its question has reached the
//     Review state (Review or Relearning).
//   - A buried card, in any state, is not shown before the day it was
//     buried for ends.
//   - Learn-ahead: when nothing else is left, learning cards due within
//     LearnAhead are shown rather than making the user wait.
//   - Interview dates (srs plan; the rules are package prep's): until a
//     plan's date, its cards are introduced at its pace (the longest
//     follow-up chain first) before the user's own new cards, as far as
//     its minutes a day allow, and on its final days cards due after the
//     date are reviewed ahead of their due, after the day's reviews.
//     They count against the user's limits like any. A card in the
//     scope of several plans is the earliest date's. The plan moves no
//     card's due: what the queue shows early is rated as an ordinary
//     review, so the log stays the one source of truth and a rebuild
//     needs no plan.
//
// NextDue is the earliest time after now at which a card the queue does
// not show now becomes due: a learning card later today, the start of
// tomorrow when today held a due card back (buried, a sibling, over a
// limit), or the first card due after today.
package queue
