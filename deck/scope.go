package deck

import (
	"fmt"
	"slices"
	"strings"
)

// Tag prefixes that say what a card is about: the built-in guide tags
// its questions and their follow-ups with the interview loops they come
// up in and their topics (content/topics.txt), and a user's deck may do
// the same. Plans (srs plan), mock interviews (srs mock) and the weakest
// topics of srs stats read them.
const (
	LoopTag  = "loop:"
	TopicTag = "topic:"
)

// Scope selects cards by deck and by loop and topic tags: a card is in
// it when it is in Deck (if named), carries one of the Loops (if any)
// and one of the Topics (if any).
type Scope struct {
	Deck          string
	Loops, Topics []string
}

// Has reports whether c is in the scope.
func (s Scope) Has(c *Card) bool {
	return (s.Deck == "" || c.Deck == s.Deck) && anyTag(c.Tags, LoopTag, s.Loops) && anyTag(c.Tags, TopicTag, s.Topics)
}

func anyTag(tags []string, prefix string, names []string) bool {
	if len(names) == 0 {
		return true
	}
	for _, t := range tags {
		if n, ok := strings.CutPrefix(t, prefix); ok && slices.Contains(names, n) {
			return true
		}
	}
	return false
}

// String names the scope in a sentence ("deck k, loop debugging, topic
// caching"), "" for every card.
func (s Scope) String() string {
	var parts []string
	if s.Deck != "" {
		parts = append(parts, "deck "+s.Deck)
	}
	if len(s.Loops) > 0 {
		parts = append(parts, "loop "+strings.Join(s.Loops, " or "))
	}
	if len(s.Topics) > 0 {
		parts = append(parts, "topic "+strings.Join(s.Topics, " or "))
	}
	return strings.Join(parts, ", ")
}

// ScopeNames gathers the loop and topic names cards carry, so that a
// scope naming one no card has is refused with those there are.
type ScopeNames struct {
	loops, topics map[string]bool
}

// Add notes the loop and topic tags of c.
func (n *ScopeNames) Add(c *Card) {
	if n.loops == nil {
		n.loops, n.topics = map[string]bool{}, map[string]bool{}
	}
	for _, t := range c.Tags {
		if name, ok := strings.CutPrefix(t, LoopTag); ok {
			n.loops[name] = true
		} else if name, ok := strings.CutPrefix(t, TopicTag); ok {
			n.topics[name] = true
		}
	}
}

// Check refuses a loop or topic of s that none of the cards added
// carries, naming those they do (the cards of s.Deck, or of any deck).
func (n *ScopeNames) Check(s Scope) error {
	where := "any deck"
	if s.Deck != "" {
		where = "deck " + s.Deck
	}
	for _, k := range []struct {
		kind  string
		names []string
		known map[string]bool
	}{{"loop", s.Loops, n.loops}, {"topic", s.Topics, n.topics}} {
		for _, name := range k.names {
			if k.known[name] {
				continue
			}
			if len(k.known) == 0 {
				return fmt.Errorf("unknown %s %q: no card in %s has a %s: tag", k.kind, name, where, k.kind)
			}
			known := make([]string, 0, len(k.known))
			for name := range k.known {
				known = append(known, name)
			}
			slices.Sort(known)
			return fmt.Errorf("unknown %s %q; the %ss of %s: %s", k.kind, name, k.kind, where, strings.Join(known, ", "))
		}
	}
	return nil
}
