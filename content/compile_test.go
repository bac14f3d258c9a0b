package content

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
)

type cardSpec struct {
	id     string
	kind   deck.Kind
	parent string
	front  string
}

type compileCase struct {
	name     string
	src      string
	cards    []cardSpec
	backs    map[string][]string // card id: substrings of its back
	notBacks map[string][]string // card id: what its back must not hold
	warnings []string            // substrings of the warnings, in order
}

func (tc compileCase) check(t *testing.T, file string) {
	t.Helper()
	d, warnings, err := Compile(file, []byte(tc.src), "test")
	if err != nil {
		t.Fatal(err)
	}
	var got []cardSpec
	for _, c := range d.Cards {
		got = append(got, cardSpec{c.ID, c.Kind, c.Parent, c.Front})
	}
	if !slices.Equal(got, tc.cards) {
		t.Errorf("cards:\ngot  %q\nwant %q", got, tc.cards)
	}
	cards := byID(d)
	for id, subs := range tc.backs {
		for _, s := range subs {
			if !strings.Contains(cards[id].Back, s) {
				t.Errorf("%s: back lacks %q:\n%s", id, s, cards[id].Back)
			}
		}
	}
	for id, subs := range tc.notBacks {
		for _, s := range subs {
			if strings.Contains(cards[id].Back, s) {
				t.Errorf("%s: back has %q:\n%s", id, s, cards[id].Back)
			}
		}
	}
	if len(warnings) != len(tc.warnings) {
		t.Errorf("warnings: got %q, want %d", warnings, len(tc.warnings))
	}
	for i, w := range warnings {
		if i < len(tc.warnings) && !strings.Contains(w.String(), tc.warnings[i]) {
			t.Errorf("warning %d: got %q, want it to contain %q", i, w, tc.warnings[i])
		}
	}
	checkUTF8(t, d)
}

// TestPage compiles a hand-written page in the guide's style.
func TestPage(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "page.txt"))
	if err != nil {
		t.Fatal(err)
	}
	compileCase{
		src: string(src),
		cards: []cardSpec{
			{"q01", deck.KindQuestion, "", "How do you pick a database for a new service?"},
			{"q01.f1", deck.KindFollowUp, "q01", "What if the access patterns change after launch?"},
			{"q02", deck.KindQuestion, "", "Your service pages you at 2 AM with 30% errors. What do you do first?"},
			{"q02.f1", deck.KindFollowUp, "q02", "How do you know the mitigation worked?"},
		},
		backs: map[string][]string{
			"q01": {
				"I start from the access patterns, not from brand names. There are three things I check:\n\n" +
					"- Read/write ratio. How often is each record read compared to written?\n" +
					"- Consistency needs. Can a reader see stale data, and for how long?\n" +
					"- Operational cost. Who runs it at 3 AM, and what does it cost per month?\n\n" +
					"### War Story\n\nWe once picked a document store for invoices and spent a year moving back.\n\n" +
					"### Contrarian Take\n\nMost teams should just use Postgres.\n\n" +
					"### Most Candidates\n\n“I would use MongoDB because it scales.”\n\n" +
					"### Great Candidates\n\n“It depends on the access pattern; here is how I would find out.”\n\n" +
					"### Red Flag Answer\n\n“Whatever is trending.” Chasing trends is a red flag.",
			},
			"q01.f1": {
				"Then I plan a migration, not a rewrite. The roadmap looks like this:\n\n" +
					"- Q1: Dual-write to the new store\n- Q2: Backfill and verify\n- Q3: Switch reads\n- Q4: Retire the old store\n\n" +
					"### Most Candidates\n\n“We would rewrite it.”",
				"### Red Flag Answer\n\n“A big-bang migration over a weekend.”",
			},
			"q02": {
				"Mitigate first, diagnose second, fix third.",
				"### What Weak Candidates Say\n\n“I would SSH into the box and read the logs.”",
			},
			"q02.f1": {
				"I watch the error rate return to baseline for a full traffic cycle.\n\n" +
					"### Production Edge Case\n\nThe alert recovers on its own because traffic dropped",
			},
		},
		notBacks: map[string][]string{
			"q01":    {"What Most Candidates Say vs.", "Follow-up", "intro"},
			"q02.f1": {"A note on this page"},
		},
		warnings: []string{
			`page.txt:16: "Q2: Backfill and verify" looks like question Q2 but no answer heading follows`,
			`page.txt:26: text looks mangled`,
		},
	}.check(t, "page.txt")
}

func TestCompileSnippets(t *testing.T) {
	tests := []compileCase{
		{
			name: "interview with quoted probes",
			src: "Interview: How do you prepare?\n" +
				"Strong Answer Framework:Step 1 - Map the target.Senior Follow-up Questions:\n" +
				"“What if time is short?” - Strong answer: Cut breadth.\n" +
				"\"Straight quotes?\" - Strong answer: Still a probe.\n" +
				"Common Wrong Answers:\n" +
				"“Read everything.” - Too slow.\n" +
				"“Mock only.” - Too shallow.\n" +
				"Follow-up: What if you are on-call?\n" +
				"Escalate.\n",
			cards: []cardSpec{
				{"interview.1", deck.KindQuestion, "", "How do you prepare?"},
				{"interview.1.p1", deck.KindFollowUp, "interview.1", "What if time is short?"},
				{"interview.1.p2", deck.KindFollowUp, "interview.1", "Straight quotes?"},
				{"interview.1.f1", deck.KindFollowUp, "interview.1", "What if you are on-call?"},
			},
			backs: map[string][]string{
				"interview.1":    {"Step 1 - Map the target.\n\n### Common Wrong Answers\n\n- “Read everything.” - Too slow.\n- “Mock only.” - Too shallow."},
				"interview.1.p1": {"Cut breadth."},
				"interview.1.f1": {"Escalate."},
			},
			notBacks: map[string][]string{"interview.1": {"Cut breadth", "Senior Follow-up"}},
		},
		{
			name: "patterns and prompts",
			src: "1. Failure Mode — “What fails first?”\n" +
				"It is never the obvious thing.\n" +
				"Senior answer: Names two failure modes.\n" +
				"2. Cost — \"What does it cost?\n" +
				"Money and time.\n" +
				"These prompts are for practice.\n" +
				"Live Debugging Prompts:\n" +
				"The API is slow. Walk through it.\n" +
				"The DB is hot. What now? (Hint: look at vacuum.)\n" +
				"“Evaluate This Proposal” Prompts:\n" +
				"Cache everything? (Strong answer: no, measure first.)\n" +
				"These questions are the deep ones.\n" +
				"Q1: Real question?\nStrong Answer\nYes.\n",
			cards: []cardSpec{
				{"pattern.failure-mode", deck.KindPattern, "", "What fails first?"},
				{"pattern.cost", deck.KindPattern, "", "What does it cost?"},
				{"prompt.live-debugging.1", deck.KindPrompt, "", "The API is slow. Walk through it."},
				{"prompt.live-debugging.2", deck.KindPrompt, "", "The DB is hot. What now?"},
				{"prompt.evaluate-this-proposal.1", deck.KindPrompt, "", "Cache everything?"},
				{"q01", deck.KindQuestion, "", "Real question?"},
			},
			backs: map[string][]string{
				"pattern.failure-mode":            {"**Probe pattern 1: Failure Mode**\n\nIt is never the obvious thing.\n\n### Senior Answer\n\nNames two failure modes."},
				"pattern.cost":                    {"Money and time."},
				"prompt.live-debugging.1":         {"### Probe Patterns", "- **Failure Mode** — What fails first?\n- **Cost** — What does it cost?"},
				"prompt.live-debugging.2":         {"### Hint\n\nlook at vacuum."},
				"prompt.evaluate-this-proposal.1": {"### Strong Answer\n\nno, measure first."},
			},
			notBacks: map[string][]string{
				"pattern.cost":            {"These prompts"},
				"prompt.live-debugging.2": {"Probe Patterns"},
			},
		},
		{
			name: "probe groups",
			src: "After any system design answer:\n" +
				"“What breaks first?”\n" +
				"“Where is the SPOF?” (Strong answer: the database.)\n" +
				"After any behavioral or leadership answer:\n" +
				"“What would you change?”\n" +
				"The three universal probes that always work:\n" +
				"“Why this approach?”\n" +
				"Preparation hack: not a probe.\n" +
				"Q1: Question?\nStrong Answer\nAnswer.\n",
			cards: []cardSpec{
				{"probe.system-design.1", deck.KindProbe, "", "What breaks first?"},
				{"probe.system-design.2", deck.KindProbe, "", "Where is the SPOF?"},
				{"probe.behavioral.1", deck.KindProbe, "", "What would you change?"},
				{"probe.universal.1", deck.KindProbe, "", "Why this approach?"},
				{"q01", deck.KindQuestion, "", "Question?"},
			},
			backs: map[string][]string{
				"probe.system-design.1": {"_After any system design answer._", "No model answer in the guide"},
				"probe.system-design.2": {"### Strong Answer\n\nthe database."},
				"probe.behavioral.1":    {"_After any behavioral or leadership answer._"},
			},
		},
		{
			name: "notes, skipped and repeated numbers",
			src: "Q1: First?\nStrong Answer\nOne.\n" +
				"A note on style. Not part of Q1.\n" +
				"Follow-up: Still about Q1?\nYes.\n" +
				"Q3: Skipped two?\nStrong Answer\nThree.\n" +
				"Q3: Again?\nWhat strong candidates say\nAgain.\n",
			cards: []cardSpec{
				{"q01", deck.KindQuestion, "", "First?"},
				{"q01.f1", deck.KindFollowUp, "q01", "Still about Q1?"},
				{"q03", deck.KindQuestion, "", "Skipped two?"},
				{"q03-2", deck.KindQuestion, "", "Again?"},
			},
			backs:    map[string][]string{"q01": {"One."}, "q03-2": {"Again."}},
			notBacks: map[string][]string{"q01": {"A note on style"}},
			warnings: []string{
				"t.txt:7: question Q3 follows Q1",
				"t.txt:10: question Q3 follows Q3",
				`t.txt:10: card id "q03" is already taken; using "q03-2"`,
			},
		},
		{
			name: "follow-up before any question",
			src:  "Follow-up: Orphan?\nQ1: Real?\nStrong Answer\nYes.",
			cards: []cardSpec{
				{"q01", deck.KindQuestion, "", "Real?"},
			},
			warnings: []string{`t.txt:1: "Follow-up: Orphan?" comes before any question; ignored`},
		},
		{
			name: "CRLF, BOM, control characters and invalid UTF-8",
			src:  "\uFEFFQ1: CRLF question?\r\nStrong Answer\r\nAn answer with a\x1b bell\x07 inside.\r\nBroken \xc3\x28 byte.\r\n",
			cards: []cardSpec{
				{"q01", deck.KindQuestion, "", "CRLF question?"},
			},
			backs:    map[string][]string{"q01": {"An answer with a bell inside.", "Broken \uFFFD( byte."}},
			notBacks: map[string][]string{"q01": {"\x1b", "\r"}},
			warnings: []string{"t.txt:3: control characters removed", "t.txt:4: invalid UTF-8 replaced with U+FFFD"},
		},
		{
			name: "markdown in the source stays text",
			src:  "Q1: Lists?\nStrong Answer\nIntro.\n4. Quantify everything.\n# not a heading\n- not a bullet\n",
			cards: []cardSpec{
				{"q01", deck.KindQuestion, "", "Lists?"},
			},
			backs: map[string][]string{"q01": {"Intro.\n\n- 4\\. Quantify everything.\n- \\# not a heading\n- \\- not a bullet"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, "t.txt") })
	}
}

func TestCompileRejectsGarbage(t *testing.T) {
	tests := []struct{ name, src string }{
		{"empty", ""},
		{"blank lines", "\n\n\r\n  \n"},
		{"prose", "The quick brown fox.\nJumps over the lazy dog.\n"},
		{"question without answer heading", "Q1: What is this?\nJust text.\n"},
		{"heading before question", "Strong Answer\nQ1: Late?\n"},
		{"prompts but no questions", "Live Debugging Prompts:\nSomething is slow. Why?\n"},
		{"binary", "\x00\x01\xff\xfe\x80Q\x00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _, err := Compile("junk.txt", []byte(tt.src), "test")
			if err == nil || d != nil {
				t.Fatalf("got %v cards, err %v; want an error", d, err)
			}
			if !strings.Contains(err.Error(), `junk.txt: no questions found: expected lines like "Q1: ..."`) {
				t.Errorf("error %q", err)
			}
		})
	}
}

func TestCompileLimits(t *testing.T) {
	if _, _, err := Compile("big.txt", make([]byte, MaxSourceSize+1), "test"); err == nil || !strings.Contains(err.Error(), "big.txt: 16777217 bytes is over the 16 MiB limit") {
		t.Errorf("oversized input: %v", err)
	}
	if _, _, err := Compile("page.txt", []byte("Q1: A?\nStrong Answer\nB."), " "); err == nil || !strings.Contains(err.Error(), "page.txt: empty deck name") {
		t.Errorf("bad deck name: %v", err)
	}
}

func TestMangled(t *testing.T) {
	tests := []struct {
		line, want string
	}{
		{"The Redis cluster adds 800/month.Theengineeringtimeis2weeks.Weexpecta4015K/month upgrade.", "800/month.Theengineeringtimeis2weeks.Weexpecta4015K/month"},
		{"Option B costs 120Kandtakes6months.Itsolves it.", "120Kandtakes6months.Itsolves"},
		{"Transfer is 0.02/GBforAWSinter−regiontraffic today.", "0.02/GBforAWSinter−regiontraffic"},
		{"loaded at ~150K/engineer=375K-$450K. This", "~150K/engineer=375K-$450K."},
		{"A 50K/houroutagethatbecomesa500K data corruption", "50K/houroutagethatbecomesa500K"},
		{"an advertiser′s count", "advertiser′s"},
		// Ordinary engineering prose.
		{"p50/p95/p99 latency at 100ms, 2KB payloads, 10x load and 5xx errors", ""},
		{"It costs $400/month and $4,200/month in savings at 1,000 requests per second.", ""},
		{"the sub-10-millisecond path and 12-second-to-340ms speedups", ""},
		{"counterproductive internationalization of backward-compatibility", ""},
		{"did this instinctively.3. A team", ""},
		{"ConsistentRead=true with RF=3, and 100Mbps links; −5 degrees", ""},
	}
	for _, tt := range tests {
		if got := mangled(tt.line); got != tt.want {
			t.Errorf("mangled(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestSlugs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Live Debugging", "live-debugging"},
		{"“What Would You Validate After Shipping?”", "what-would-you-validate-after-shipping"},
		{"Additional “Evaluate This Proposal”", "additional-evaluate-this-proposal"},
		{"What’s next", "whats-next"},
		{"“”", "fallback"},
		{strings.Repeat("word ", 20), "word-word-word-word-word-word-word-word"},
	}
	for _, tt := range tests {
		if got := slugify(tt.in, "fallback"); got != tt.want {
			t.Errorf("slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	groups := []struct{ in, want string }{
		{"After any system design answer", "system-design"},
		{"After any architecture or trade-off answer", "architecture"},
		{"After any debugging or incident answer", "debugging"},
		{"The two universal probes that work in any interview", "universal"},
		{"Questions to ask", "questions-to-ask"},
	}
	for _, tt := range groups {
		if got := probeGroupSlug(tt.in); got != tt.want {
			t.Errorf("probeGroupSlug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkCompileGuide(b *testing.B) {
	b.SetBytes(int64(len(guide)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Compile("guide.txt", guide, DeckName); err != nil {
			b.Fatal(err)
		}
	}
}
