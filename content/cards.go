package content

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/srs-tool/srs/deck"
)

// cards finishes the units: backs, and tags that depend on answers.
func (c *compiler) cards() []deck.Card {
	rubric := c.rubric()
	cards := make([]deck.Card, 0, len(c.units))
	for _, u := range c.units {
		switch {
		case u.card.Kind == deck.KindQuestion:
			u.card.Tags = []string{tagQuestions}
			if loop := selfDescribedLoop(u); loop != "" {
				u.card.Tags = append(u.card.Tags, deck.LoopTag+loop)
			}
		case u.parent != nil:
			u.card.Tags = slices.Clone(u.parent.card.Tags)
		}
		card := u.card
		card.Deck = c.deckName
		card.Back = u.back(rubric)
		cards = append(cards, card)
	}
	return cards
}

func (u *unit) back(rubric string) string {
	var parts []string
	if u.lead != "" {
		parts = append(parts, u.lead)
	}
	if md := markdown(u.answer.blocks); md != "" {
		parts = append(parts, md)
	}
	for _, s := range u.sections {
		if md := markdown(s.blocks); md != "" {
			parts = append(parts, "### "+s.title+"\n\n"+md)
		}
	}
	if u.rubric {
		parts = append(parts, rubric)
	}
	return strings.Join(parts, "\n\n")
}

// rubric is the back of a prompt or probe the guide gives no answer for:
// the probe patterns, which the guide says every interviewer reaches for.
func (c *compiler) rubric() string {
	if len(c.patterns) == 0 {
		return "_No model answer in the guide: answer out loud, then ask what fails first, how you would ship and roll it back, how you would know it works, what it costs and what it exposes._"
	}
	var b strings.Builder
	b.WriteString("### Probe Patterns\n\nNo model answer in the guide: check yours against the probe patterns.\n")
	for _, p := range c.patterns {
		name := strings.TrimSuffix(strings.TrimPrefix(p.lead, "**"), "**")
		_, name, _ = strings.Cut(name, ": ")
		fmt.Fprintf(&b, "\n- **%s** — %s", name, escapeStart(p.card.Front))
	}
	return b.String()
}

// selfDescribed matches an answer that names its interview type, like
// Q3's "This is a behavioral question, but ...". Only such explicit
// statements tag a question with a loop: guessing from topics would tag
// half the guide "system design".
var selfDescribed = regexp.MustCompile(`^This is an? ([A-Za-z -]{1,40}?) question\b`)

func selfDescribedLoop(u *unit) string {
	if len(u.answer.blocks) == 0 {
		return ""
	}
	m := selfDescribed.FindStringSubmatch(u.answer.blocks[0].text)
	if m == nil {
		return ""
	}
	return loopFor(m[1])
}
