package content

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/srs-tool/srs/deck"
)

// compileGuide compiles the built-in guide, topics and all, in source
// order.
func compileGuide(t *testing.T) (*deck.Deck, []Warning) {
	t.Helper()
	d, warnings, err := compileBuiltIn()
	if err != nil {
		t.Fatal(err)
	}
	return d, warnings
}

func byID(d *deck.Deck) map[string]deck.Card {
	m := make(map[string]deck.Card, len(d.Cards))
	for _, c := range d.Cards {
		m[c.ID] = c
	}
	return m
}

// The counts come from reading the guide, not from the compiler:
//
//	question  24 "Qn:" lines followed by "Strong Answer" or "What weak candidates say"
//	          (grep -c '^Q[0-9]*: ' finds 28; four are Q24's roadmap) + 3 "Interview:"
//	follow-up 43 "Follow-up:" + 7 "Going Deeper:" + 9 `“...” - Strong answer:` probes
//	prompt    3+2+3+5+4 prompts in the five groups, 3+2+3 in the "Additional" ones
//	probe     5+4+4+4 after-any-answer probes + 2 universal ones (lines 466-488)
//	pattern   6 ("1. Failure Mode — ..." to "6. Security and Governance — ...")
func TestGuideCounts(t *testing.T) {
	d, _ := compileGuide(t)
	want := map[deck.Kind]int{
		deck.KindQuestion: 27,
		deck.KindFollowUp: 59,
		deck.KindPrompt:   25,
		deck.KindProbe:    19,
		deck.KindPattern:  6,
	}
	got := map[deck.Kind]int{}
	for _, c := range d.Cards {
		got[c.Kind]++
	}
	for _, k := range deck.Kinds {
		if got[k] != want[k] {
			t.Errorf("%s cards: got %d, want %d", k, got[k], want[k])
		}
	}
}

// TestGuideQuestions checks every question once, in order, with its
// follow-ups (f) and quoted probes (p) counted from the guide by hand.
func TestGuideQuestions(t *testing.T) {
	d, _ := compileGuide(t)
	want := []struct {
		id      string
		follows int
		probes  int
	}{
		{"q01", 3, 0}, {"q02", 3, 0}, {"q03", 2, 0}, {"q04", 2, 0}, {"q05", 2, 0},
		{"q06", 2, 0}, {"q07", 2, 0}, {"q08", 2, 0}, {"q09", 2, 0}, {"q10", 2, 0},
		{"q11", 2, 0}, {"q12", 2, 0}, {"q13", 2, 0}, {"q14", 2, 0}, {"q15", 2, 0},
		{"q16", 2, 0}, {"q17", 2, 0}, {"q18", 2, 0}, {"q19", 2, 0}, {"q20", 2, 0},
		{"q21", 2, 0}, {"q22", 2, 0}, {"q23", 1, 0},
		{"interview.1", 0, 3}, {"interview.2", 0, 3},
		// The on-call follow-up at line 1194 is about Q4/Q23 but follows
		// interview.3 in the guide; source order wins.
		{"interview.3", 1, 3},
		{"q24", 2, 0},
	}
	var questions []string
	follows, probes := map[string]int{}, map[string]int{}
	for _, c := range d.Cards {
		switch {
		case c.Kind == deck.KindQuestion:
			questions = append(questions, c.ID)
		case c.Kind == deck.KindFollowUp && strings.HasPrefix(c.ID, c.Parent+".f"):
			follows[c.Parent]++
		case c.Kind == deck.KindFollowUp && strings.HasPrefix(c.ID, c.Parent+".p"):
			probes[c.Parent]++
		case c.Kind == deck.KindFollowUp:
			t.Errorf("follow-up %s has parent %q, not a prefix of its id", c.ID, c.Parent)
		}
	}
	var wantIDs []string
	for _, w := range want {
		wantIDs = append(wantIDs, w.id)
		if follows[w.id] != w.follows || probes[w.id] != w.probes {
			t.Errorf("%s: %d follow-ups and %d probes, want %d and %d", w.id, follows[w.id], probes[w.id], w.follows, w.probes)
		}
	}
	if !slices.Equal(questions, wantIDs) {
		t.Errorf("questions:\ngot  %v\nwant %v", questions, wantIDs)
	}
}

// TestGuideSources checks that each card's Source names the line it was
// compiled from: the line holds the card's front.
func TestGuideSources(t *testing.T) {
	d, _ := compileGuide(t)
	lines := strings.Split(string(guide), "\n")
	for _, c := range d.Cards {
		var n int
		if _, err := fmt.Sscanf(c.Source, "guide.txt:%d", &n); err != nil || n < 1 || n > len(lines) {
			t.Errorf("%s: bad source %q", c.ID, c.Source)
			continue
		}
		if !strings.Contains(lines[n-1], c.Front) {
			t.Errorf("%s: line %d does not hold the front %q", c.ID, n, clip(c.Front, 40))
		}
		if c.Deck != DeckName || c.Back == "" || len(c.Tags) == 0 {
			t.Errorf("%s: deck %q, %d-byte back, tags %v", c.ID, c.Deck, len(c.Back), c.Tags)
		}
	}
}

func TestGuideRoadmapIsNotQuestions(t *testing.T) {
	d, warnings := compileGuide(t)
	for _, c := range d.Cards {
		if strings.HasPrefix(c.Front, "CI/CD pipeline") || strings.HasPrefix(c.Front, "Observability (logging") {
			t.Errorf("roadmap line became card %s", c.ID)
		}
	}
	q24 := byID(d)["q24"].Back
	for _, want := range []string{"- Q1: CI/CD pipeline", "- Q4: Code review process"} {
		if !strings.Contains(q24, want) {
			t.Errorf("q24 back lacks roadmap item %q", want)
		}
	}
	for _, w := range warnings {
		if w.Line >= 1216 && w.Line <= 1219 {
			t.Errorf("unexpected warning on the roadmap: %s", w)
		}
	}
}

func TestGuideBacks(t *testing.T) {
	d, _ := compileGuide(t)
	cards := byID(d)
	tests := []struct {
		id       string
		front    []string // the front contains these
		back     []string // the back contains these
		notFront []string
		notBack  []string
		tags     []string
	}{
		{
			id: "q01",
			back: []string{
				"The way I think about it: a mid-level engineer",
				"\n- Scope of ownership.",
				"### War Story\n\nAt a Series B e-commerce company",
				"### Contrarian Take\n\nMost people say",
				"### Most Candidates\n\n“Senior engineers have more experience",
				"### Great Candidates\n\n“The biggest difference",
				"### Red Flag Answer\n\n“Senior engineers just have more years",
			},
			notBack: []string{"What Most Candidates Say vs.", "Follow-up:"},
			tags:    []string{"section:deep-questions", "topic:career-growth", "topic:engineering-mindset", "topic:leadership", "loop:behavioral"},
		},
		{
			id: "q01.f2",
			back: []string{
				"### What would you validate after shipping (at each level)?\n\n- Senior: “Are the metrics",
				"\n- Staff: “Did the other 3 teams",
			},
		},
		{id: "q02.f2", back: []string{"- 15% on requirements and scope\n- 15% on high-level design"}},
		{id: "q02.f3", back: []string{"### Production Edge Case\n\nThe “Obvious Architecture” Trap."}},
		{id: "q03", back: []string{"This is a behavioral question"}, tags: []string{"section:deep-questions", "topic:databases", "topic:legacy-modernization", "loop:behavioral"}},
		{id: "q03.f1", tags: []string{"section:deep-questions", "topic:databases", "topic:legacy-modernization", "loop:behavioral"}},
		{id: "q17.f2", tags: []string{"section:deep-questions", "topic:reliability", "topic:distributed-systems", "topic:cloud", "topic:cost", "loop:system-design"}},
		{id: "q04", back: []string{"**Minutes 2-5: Assess the blast radius.**\n\n- Which services are affected?"}},
		{id: "q07.f2", back: []string{"### Production Note\n\nCache Failure Modes"}},
		{id: "q10.f2", back: []string{"### Senior vs Staff\n\nHow “production-ready” changes", "### What would you validate 30 days after shipping?"}},
		{
			id:   "q13",
			back: []string{"Neither blind obedience nor outright refusal.", "### What Weak Candidates Say\n\n“I would start planning"},
		},
		{id: "q13.f2", back: []string{"### Senior vs Staff\n\nA senior engineer responds", "- Have downstream consumers confirmed"}},
		{
			id:      "interview.1",
			back:    []string{"Step 1 - Map the target", "### Real-World Example", "### Common Wrong Answers\n\n- “I will read all 40", "### Further Reading\n\n- “Ultralearning”"},
			notBack: []string{"Breadth is a trap", "Senior Follow-up Questions"},
		},
		{id: "interview.1.p1", front: []string{"What if you do not know what role you want"}, back: []string{"Breadth is a trap disguised as safety."}, notFront: []string{"“", "Strong answer"}},
		// Placed after interview.3 but about being on call: a row of its own.
		{id: "interview.3.f1", front: []string{"What if you are on-call and you do not own the service"}, tags: []string{"section:deep-questions", "topic:incidents", "topic:reliability", "loop:debugging"}},
		{id: "interview.3.p1", tags: []string{"section:deep-questions", "topic:interview-meta-skills", "topic:communication", "loop:behavioral"}},
		{id: "q24.f2", front: []string{"How do you prioritize which technical debt"}},
		{
			id:       "prompt.what-would-you-validate-after-shipping.1",
			front:    []string{"What 5 things do you check?"},
			back:     []string{"### Strong Answer\n\ncache hit ratio per key prefix"},
			notFront: []string{"Strong answer", "cache hit ratio", "("},
			notBack:  []string{"Probe Patterns"},
			tags:     []string{"section:prompts", "group:what-would-you-validate-after-shipping", "loop:validation"},
		},
		{
			id:       "prompt.senior-vs-staff-calibration.4",
			back:     []string{"### Hint\n\nthe answer is not “add more alerts”"},
			notFront: []string{"Hint", "add more alerts"},
			tags:     []string{"section:prompts", "group:senior-vs-staff-calibration", "loop:calibration"},
		},
		{
			id:   "prompt.live-debugging.1",
			back: []string{"### Probe Patterns", "- **Failure Mode** — What is the most likely way this fails in production?", "- **Security and Governance** — What are the security and compliance implications?"},
			tags: []string{"section:prompts", "group:live-debugging", "loop:debugging"},
		},
		{id: "prompt.migration-review.1", tags: []string{"section:prompts", "group:migration-review", "loop:migration-review"}},
		{id: "prompt.evaluate-this-proposal.3", front: []string{"The CTO sends a Slack message"}, tags: []string{"section:prompts", "group:evaluate-this-proposal", "loop:arch-review"}},
		{id: "prompt.additional-live-debugging.1", back: []string{"### Hint\n\na runaway background process"}, notFront: []string{"autovacuum"}, tags: []string{"section:prompts", "group:additional-live-debugging", "loop:debugging"}},
		{id: "prompt.additional-evaluate-this-proposal.3", tags: []string{"section:prompts", "group:additional-evaluate-this-proposal", "loop:arch-review"}},
		{
			id:       "probe.system-design.5",
			front:    []string{"How would this change at senior vs staff level?"},
			back:     []string{"_After any system design answer._", "### Staff Expectation\n\nyou address cross-team ownership"},
			notFront: []string{"Staff expectation", "“"},
			tags:     []string{"section:universal-probes", "group:system-design", "loop:system-design"},
		},
		{id: "probe.architecture.1", back: []string{"### Strong Answer\n\nspecific metrics, canary duration"}, tags: []string{"section:universal-probes", "group:architecture", "loop:arch-review"}},
		{id: "probe.debugging.4", back: []string{"### Probe Patterns"}, tags: []string{"section:universal-probes", "group:debugging", "loop:debugging"}},
		{id: "probe.behavioral.1", tags: []string{"section:universal-probes", "group:behavioral", "loop:behavioral"}},
		{id: "probe.universal.2", front: []string{"What is the most likely way this fails in production?"}, tags: []string{"section:universal-probes", "group:universal"}},
		{
			id:    "pattern.failure-mode",
			front: []string{"What is the most likely way this fails in production?"},
			back:  []string{"**Probe pattern 1: Failure Mode**", "This is not “what if the server crashes.”", "### Senior Answer\n\nNames 2-3 specific failure modes", "### Staff Answer\n\nAlso identifies cascading failures"},
			tags:  []string{"section:probe-patterns"},
		},
		{id: "pattern.rollback", back: []string{"### Red Flag\n\n“We would revert the commit", "### Staff-Level Nuance\n\n“For data migrations"}},
		{id: "pattern.security-and-governance", front: []string{"What are the security and compliance implications?"}, notBack: []string{"These prompts mirror"}},
	}
	for _, tt := range tests {
		c, ok := cards[tt.id]
		if !ok {
			t.Errorf("no card %s", tt.id)
			continue
		}
		for _, s := range tt.front {
			if !strings.Contains(c.Front, s) {
				t.Errorf("%s: front lacks %q:\n%s", tt.id, s, c.Front)
			}
		}
		for _, s := range tt.notFront {
			if strings.Contains(c.Front, s) {
				t.Errorf("%s: front has %q:\n%s", tt.id, s, c.Front)
			}
		}
		for _, s := range tt.back {
			if !strings.Contains(c.Back, s) {
				t.Errorf("%s: back lacks %q:\n%s", tt.id, s, clip(c.Back, 2000))
			}
		}
		for _, s := range tt.notBack {
			if strings.Contains(c.Back, s) {
				t.Errorf("%s: back has %q", tt.id, s)
			}
		}
		if tt.tags != nil && !slices.Equal(c.Tags, tt.tags) {
			t.Errorf("%s: tags %v, want %v", tt.id, c.Tags, tt.tags)
		}
	}
	// Without the topics table, only the questions that name their loop
	// have one.
	raw, _, err := Compile("guide.txt", guide, DeckName)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range raw.Cards {
		hasLoop := slices.ContainsFunc(c.Tags, func(s string) bool { return strings.HasPrefix(s, "loop:") })
		if (c.Kind == deck.KindQuestion || c.Kind == deck.KindFollowUp) && hasLoop != (c.ID == "q03" || c.Parent == "q03") {
			t.Errorf("compiled %s has tags %v", c.ID, c.Tags)
		}
	}
}

// TestGuideWarnings pins the lines whose dollar amounts the web page
// rendered as math, found by reading the guide (grep for long words that
// mix digits and glued English, and for U+2212 inside words). The other
// warnings are the separated sentences (TestGuideSentences).
func TestGuideWarnings(t *testing.T) {
	_, warnings := compileGuide(t)
	want := []int{509, 640, 728, 733, 735, 738, 752, 816, 818, 820, 897, 900, 958, 1040, 1042, 1046, 1069, 1140, 1145}
	var got []int
	for _, w := range warnings {
		switch {
		case strings.Contains(w.Msg, "mangled"):
			got = append(got, w.Line)
		case !strings.HasPrefix(w.Msg, "run-together sentences separated: "):
			t.Errorf("unexpected warning %s", w)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("mangled lines:\ngot  %v\nwant %v", got, want)
	}
	for _, w := range warnings {
		if w.Line == 509 && !strings.Contains(w.String(), "guide.txt:509: ") {
			t.Errorf("warning string %q", w)
		}
	}
}

// The embedded guide has valid UTF-8; break a line of a copy and check the
// repair.
func TestGuideBrokenUTF8(t *testing.T) {
	lines := bytes.Split(bytes.Clone(guide), []byte("\n"))
	lines[552] = append([]byte("Scope of \xff\xfeownership."), lines[552][len("Scope of ownership."):]...)
	src := bytes.Join(lines, []byte("\n"))
	if utf8.Valid(src) {
		t.Fatal("test input is valid UTF-8")
	}
	d, warnings, err := Compile("guide.txt", src, DeckName)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(warnings, func(w Warning) bool { return w.Line == 553 && strings.Contains(w.Msg, "UTF-8") }) {
		t.Errorf("no UTF-8 warning for line 553 in %v", warnings)
	}
	checkUTF8(t, d)
	if back := byID(d)["q01"].Back; !strings.Contains(back, "Scope of \uFFFDownership.") {
		t.Errorf("q01 back does not hold the repaired line:\n%s", clip(back, 600))
	}
}

func checkUTF8(t *testing.T, d *deck.Deck) {
	t.Helper()
	for _, c := range d.Cards {
		for _, s := range append([]string{c.ID, c.Deck, string(c.Kind), c.Front, c.Back, c.Parent, c.Source}, c.Tags...) {
			if !utf8.ValidString(s) {
				t.Fatalf("%s: invalid UTF-8 in %q", c.ID, s)
			}
		}
	}
	for _, w := range d.Warnings {
		if !utf8.ValidString(w) {
			t.Fatalf("invalid UTF-8 in warning %q", w)
		}
	}
}

func TestBuiltIn(t *testing.T) {
	d, err := BuiltIn()
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != DeckName || d.Source != "built-in" || len(d.Cards) != 136 {
		t.Fatalf("deck %q from %q with %d cards", d.Name, d.Source, len(d.Cards))
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	checkUTF8(t, d)
	// Callers get their own copy.
	d.Cards[0].Front = "changed"
	d.Cards[0].Tags[0] = "changed"
	again, _ := BuiltIn()
	if again.Cards[0].Front == "changed" || again.Cards[0].Tags[0] == "changed" {
		t.Error("BuiltIn shares its cards between callers")
	}
}

func TestBuiltInVersion(t *testing.T) {
	v := BuiltInVersion()
	if v == "" || v != BuiltInVersion() || v != version(guide, topicsTable) {
		t.Fatalf("unstable version %q", v)
	}
	if !strings.HasPrefix(v, CompilerVersion+"-") {
		t.Errorf("version %q does not name compiler version %q", v, CompilerVersion)
	}
	edited := bytes.Replace(guide, []byte("Scope of ownership."), []byte("Scope of ownership!"), 1)
	if version(edited, topicsTable) == v {
		t.Error("version does not change with the guide")
	}
	retagged := bytes.Replace(topicsTable, []byte("card q07  caching,performance"), []byte("card q07  caching"), 1)
	if bytes.Equal(retagged, topicsTable) {
		t.Fatal("the q07 row is not in the table")
	}
	if version(guide, retagged) == v {
		t.Error("version does not change with the topics table")
	}
}

// TestIDsSurviveEdits edits answers, drops a section and rewrites a model
// answer: the cards keep their IDs, kinds, parents and fronts.
func TestIDsSurviveEdits(t *testing.T) {
	lines := strings.Split(string(guide), "\n")
	edit := func(n int, from, to string) {
		t.Helper()
		if !strings.Contains(lines[n-1], from) {
			t.Fatalf("line %d does not contain %q", n, from)
		}
		lines[n-1] = strings.Replace(lines[n-1], from, to, 1)
	}
	edit(552, "The way I think about it", "Edited: the way I see it")
	lines[556] = "War Story: shortened."                    // line 557
	edit(562, "three things", "four things")                // a follow-up's answer
	edit(534, "cache hit ratio per key prefix", "hit rate") // a prompt's strong answer
	edit(1158, "Breadth is a trap", "Breadth is a snare")   // a quoted probe's answer
	lines[1215] = "Q1: something else entirely"             // the roadmap trap
	edited := []byte(strings.Join(lines, "\n"))

	before, _ := compileGuide(t)
	after, _, err := Compile("guide.txt", edited, DeckName)
	if err != nil {
		t.Fatal(err)
	}
	type identity struct {
		id, parent, front, source string
		kind                      deck.Kind
	}
	ids := func(d *deck.Deck) []identity {
		var out []identity
		for _, c := range d.Cards {
			out = append(out, identity{c.ID, c.Parent, c.Front, c.Source, c.Kind})
		}
		return out
	}
	if !slices.Equal(ids(before), ids(after)) {
		t.Error("identities changed after editing answers")
	}
	if byID(before)["q01"].Back == byID(after)["q01"].Back {
		t.Error("the edit did not reach q01's back")
	}
}

func TestBuiltInStudyOrder(t *testing.T) {
	d, err := BuiltIn()
	if err != nil {
		t.Fatal(err)
	}
	if d.Cards[0].ID != "q01" || d.Cards[1].ID != "q01.f1" {
		t.Fatalf("built-in deck starts with %s, %s; want q01 and its follow-ups first", d.Cards[0].ID, d.Cards[1].ID)
	}
	last := map[deck.Kind]int{}
	for i, c := range d.Cards {
		last[c.Kind] = i
	}
	if !(last[deck.KindQuestion] < last[deck.KindPrompt] && last[deck.KindPrompt] < last[deck.KindProbe] && last[deck.KindProbe] < last[deck.KindPattern]) {
		t.Fatalf("kinds out of study order: %v", last)
	}
	// A follow-up never comes before its question.
	seen := map[string]bool{}
	for _, c := range d.Cards {
		if c.Parent != "" && !seen[c.Parent] {
			t.Fatalf("%s comes before its question %s", c.ID, c.Parent)
		}
		seen[c.ID] = true
	}
}
