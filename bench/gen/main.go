// Command gen builds a realistic srs database for benchmarks: N cards in
// decks of questions with follow-ups, and for each of K users a review
// history of about M reviews over two years, made by a simulated learner
// whose recall follows the FSRS forgetting curve (not random bytes).
//
//	go run ./bench/gen -db /tmp/big.db -cards 100000 -reviews 1000000 -users 1
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/srs-tool/srs/bench/synth"
)

func main() {
	dbPath := flag.String("db", "", "database to create (must not exist)")
	cards := flag.Int("cards", 1000, "number of cards")
	reviews := flag.Int("reviews", 10000, "reviews per user (approximate)")
	users := flag.Int("users", 1, "number of users")
	deckSize := flag.Int("deck-size", 10000, "cards per deck")
	seed := flag.Uint64("seed", 1, "random seed")
	end := flag.String("end", "2026-11-27T10:00:00Z", "the simulated 'today'")
	md := flag.String("markdown", "", "instead of a database, write a Markdown deck of -cards cards to this file")
	flag.Parse()
	if *md != "" {
		if err := synth.WriteMarkdown(*md, *cards); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		return
	}
	if *dbPath == "" {
		fmt.Fprintln(os.Stderr, "gen: -db is required")
		os.Exit(2)
	}
	if _, err := os.Stat(*dbPath); err == nil {
		fmt.Fprintf(os.Stderr, "gen: %s exists\n", *dbPath)
		os.Exit(2)
	}
	today, err := time.Parse(time.RFC3339, *end)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen: -end:", err)
		os.Exit(2)
	}
	if err := synth.Build(*dbPath, synth.Config{Cards: *cards, Reviews: *reviews, Users: *users,
		DeckSize: *deckSize, Seed: *seed, End: today, Log: os.Stderr}); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
