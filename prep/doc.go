// Package prep holds the rules of preparing for a date (`srs plan`): which
// cards a plan is about, what it asks of each day until the date, and how
// ready the user is. The store keeps the plans; package queue applies what
// this package decides to the day it builds, so status, review, stats and
// cards see the same day.
//
// # A plan's scope
//
// A plan names a date, and optionally a deck, interview loops and topics.
// A card is in scope when it is in the deck (any deck if none is named),
// carries a loop:NAME tag of one of the loops (if any are named) and a
// topic:NAME tag of one of the topics (if any are named). A card in the
// scope of several plans belongs to the one with the earliest date.
//
// # The days until the date
//
// The date is a day of the user's calendar (from their day_start_hour).
// Lead (3) days before it, every card in scope should have been
// introduced; those last Lead days are the final days. Each day before
// the date:
//
//   - New cards in scope: the day's number is raised from the user's
//     new_per_day to the pace ceil(cards left to introduce / days left
//     before the final days), counting the cards introduced today in
//     both. They come the longest chain first (Chain), then questions
//     before follow-ups before the rest (Class). A group's chain is the
//     days it still needs: a follow-up comes only after its question
//     reached Review and a day shows one card of a group, so each of its
//     cards still to introduce takes a day of its own (a question with
//     four follow-ups, five days). A group whose chain is as long as the
//     days left must start today; the pace has room for every such
//     group (each has as many cards as there are days), as long as they
//     come first, which the order sees to, and such a group's next card
//     comes today ahead of a review of the group due today, which waits
//     a day (a group with a card due most days would otherwise not
//     finish). Where the day allows fewer, it is the minutes that hold
//     cards back, not the count.
//   - Minutes: the plan's minutes a day cap what it adds; it fills nine
//     tenths of them (Fill), leaving the rest for answers that run long.
//     A day's cost is estimated from the user's own answers (Measure:
//     their ratings of cards in scope over the 14 days before today,
//     each figure pulled toward a prior while measured on few, as
//     history's habits are): seconds an answer (60 s, what one of the
//     guide's long answers takes out loud, until measured; per kind of
//     card for new cards, so a probe costs less than a question: the
//     answer scaled by how the kind's answers compare with all, a ratio
//     pulled toward 1 by five answers of the kind, not the fifty a
//     population's prior needs, for the kinds a plan introduces last
//     would otherwise be costed at nearly twice what they take), the
//     answers a new card takes on its first day and those a review
//     takes. A review's cost is counted once for each sibling group of
//     the cards in scope due or rated today, a new card's for each
//     introduced today. New cards come in order only as far as the
//     minutes left allow: when reviews take the whole day, the pace
//     falls behind and readiness says how many minutes the plan needs.
//   - Final days: a card in scope due on or after the date, not reviewed
//     today, is reviewed ahead of its due when it was last reviewed before
//     the final days (so every card's next review comes before the date)
//     or its predicted recall on the day (its FSRS retrievability at the
//     date's start) is below the plan's target. They come after the day's
//     due reviews, the lowest recall on the day first, as far as the
//     minutes left allow.
//
// All of it is computed from what the day started with (cards due or
// rated today count once, whichever they are now), so the day's counts
// hold steady while the user works through it.
//
// # The log stays the source of truth
//
// A plan moves no card's due: the queue shows a card ahead of it, and
// the rating is an ordinary review at the time it was made, which FSRS
// schedules from the time elapsed. Rebuilding the states from the log
// needs no plan and gives the same states. After the date the plan is
// over and nothing of it remains in the schedule.
//
// # Readiness
//
// For each plan, over its scope and each topic and loop in it: the cards
// in scope (suspended ones are not) and how many are introduced; the
// predicted recall on the day, the mean retrievability at the date's
// start of the introduced cards if nothing more were reviewed (cards not
// introduced yet are counted apart, not as zero); and the minutes a day
// needed until the date to introduce the rest and reach the target,
// projected with the user's scheduler as if every answer were Good, with
// the relearning an Again costs at the desired retention added.
package prep
