package content

import (
	"slices"
	"strings"
	"testing"

	"github.com/srs-tool/srs/deck"
)

// TestTopicsTable checks the table against the guide: every name comes
// from a line of the guide, every loop is one the compiler gives prompts,
// and every topic and loop is used.
func TestTopicsTable(t *testing.T) {
	tt, err := parseTopics("topics.txt", topicsTable)
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(string(guide), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	compilerLoops := map[string]bool{}
	for _, k := range loopKeywords {
		compilerLoops[k.loop] = true
	}
	used := map[string]bool{}
	for _, row := range tt.rows {
		for _, topic := range row.topics {
			used["topic "+topic] = true
		}
		for _, loop := range row.loops {
			used["loop "+loop] = true
		}
	}
	for _, name := range tt.topicOrder {
		if src := tt.topics[name]; !lines[src] {
			t.Errorf("topic %s: %q is not a line of the guide", name, src)
		}
		if !used["topic "+name] {
			t.Errorf("topic %s tags no card", name)
		}
	}
	for _, name := range tt.loopOrder {
		if src := tt.loops[name]; !lines[src] {
			t.Errorf("loop %s: %q is not a line of the guide", name, src)
		}
		if !compilerLoops[name] {
			t.Errorf("loop %s is not a loop the compiler gives prompts (loopKeywords)", name)
		}
		if !used["loop "+name] {
			t.Errorf("loop %s tags no card", name)
		}
	}
}

// TestBuiltInTopics checks the tagged guide: every question and follow-up
// has topics and loops, and a follow-up has its question's unless it has
// a row of its own.
func TestBuiltInTopics(t *testing.T) {
	d, _ := compileGuide(t)
	tt, err := parseTopics("topics.txt", topicsTable)
	if err != nil {
		t.Fatal(err)
	}
	cards := byID(d)
	count := map[string]int{}
	for _, c := range d.Cards {
		topics := tagsWith(c.Tags, deck.TopicTag)
		loops := tagsWith(c.Tags, deck.LoopTag)
		switch c.Kind {
		case deck.KindQuestion, deck.KindFollowUp:
			if len(topics) == 0 || len(loops) == 0 {
				t.Errorf("%s: tags %v lack a topic or a loop", c.ID, c.Tags)
			}
			if c.Tags[0] != tagQuestions {
				t.Errorf("%s: tags %v do not start with the section", c.ID, c.Tags)
			}
		default:
			if len(topics) != 0 {
				t.Errorf("%s (%s) has topics %v", c.ID, c.Kind, topics)
			}
		}
		if _, own := tt.rows[c.ID]; c.Kind == deck.KindFollowUp && !own && !slices.Equal(c.Tags, cards[c.Parent].Tags) {
			t.Errorf("%s: tags %v, its question's %v", c.ID, c.Tags, cards[c.Parent].Tags)
		}
		for _, topic := range topics {
			count[topic]++
		}
	}
	// Drilling a topic reaches questions and their follow-ups.
	if count["caching"] != 3 || count["incidents"] < 10 {
		t.Errorf("topic:caching tags %d cards (want q07 and its 2 follow-ups), topic:incidents %d", count["caching"], count["incidents"])
	}
	for _, name := range tt.topicOrder {
		t.Logf("topic:%s\t%d cards", name, count[name])
	}
}

func tagsWith(tags []string, prefix string) []string {
	var out []string
	for _, tag := range tags {
		if name, ok := strings.CutPrefix(tag, prefix); ok {
			out = append(out, name)
		}
	}
	return out
}

// TestTopicsTableErrors: every mistake in the table stops the build of
// the built-in deck with the line at fault.
func TestTopicsTableErrors(t *testing.T) {
	const head = "topic caching Caching & Observability\ntopic cost Compliance, Cost & Debugging\nloop system-design System Design\nloop behavioral Behavioral\n"
	tests := []struct{ name, table, want string }{
		{"unknown record", head + "cards q01 caching system-design\n", `t.txt:5: unknown record "cards"`},
		{"short topic", head + "topic databases\n", `t.txt:5: want "topic" NAME SOURCE`},
		{"bad name", head + "topic Data_Bases APIs & Databases\n", `t.txt:5: name "Data_Bases" is not lowercase words`},
		{"topic twice", head + "topic caching Again\n", `t.txt:5: topic "caching" is declared twice`},
		{"unknown topic", head + "card q01 caching,databases system-design\n", `t.txt:5: card q01: unknown topic "databases"`},
		{"unknown loop", head + "card q01 caching debugging\n", `t.txt:5: card q01: unknown loop "debugging"`},
		{"topic listed twice", head + "card q01 caching,caching system-design\n", `t.txt:5: card q01: topic "caching" listed twice`},
		{"empty list", head + "card q01 caching, system-design\n", `t.txt:5: card q01: unknown topic ""`},
		{"missing loops", head + "card q01 caching\n", `t.txt:5: want card ID TOPICS LOOPS`},
		{"row twice", head + "card q01 caching system-design\ncard q01 cost system-design\n", `t.txt:6: card "q01" has two rows`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseTopics("t.txt", []byte(tc.table))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestApplyTopicsErrors(t *testing.T) {
	src := "Live Debugging Prompts:\nSomething is slow.\n" +
		"Q1: Cache?\nStrong Answer\nThis is a behavioral question, but not only.\nFollow-up: Why?\nBecause.\n" +
		"Q2: Cost?\nStrong Answer\nMoney.\n"
	const head = "topic caching Caching & Observability\ntopic cost Compliance, Cost & Debugging\nloop system-design System Design\nloop behavioral Behavioral\n"
	tests := []struct{ name, rows, want string }{
		{"question without a row", "card q01 caching behavioral\n", "question q02 (t.txt:8) has no row"},
		{"row without a card", "card q01 caching behavioral\ncard q02 cost system-design\ncard q03 cost system-design\n", `line 7: card "q03" is not in the guide`},
		{"row for a prompt", "card q01 caching behavioral\ncard q02 cost system-design\ncard prompt.live-debugging.1 cost system-design\n", `line 7: card "prompt.live-debugging.1" is a prompt`},
		{"row drops the loop the answer claims", "card q01 caching system-design\ncard q02 cost system-design\n", "line 5: q01 says it is a behavioral question; its row lacks loop behavioral"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, _, err := Compile("t.txt", []byte(src), "t")
			if err != nil {
				t.Fatal(err)
			}
			tt, err := parseTopics("topics.txt", []byte(head+tc.rows))
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.apply(d); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}

	// And a good table tags the question, its follow-up and nothing else.
	d, _, err := Compile("t.txt", []byte(src), "t")
	if err != nil {
		t.Fatal(err)
	}
	tt, err := parseTopics("topics.txt", []byte(head+"card q01 caching,cost behavioral,system-design\ncard q02 cost system-design\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := tt.apply(d); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"q01":                     {"section:deep-questions", "topic:caching", "topic:cost", "loop:behavioral", "loop:system-design"},
		"q01.f1":                  {"section:deep-questions", "topic:caching", "topic:cost", "loop:behavioral", "loop:system-design"},
		"q02":                     {"section:deep-questions", "topic:cost", "loop:system-design"},
		"prompt.live-debugging.1": {"section:prompts", "group:live-debugging", "loop:debugging"},
	}
	for _, c := range d.Cards {
		if !slices.Equal(c.Tags, want[c.ID]) {
			t.Errorf("%s: tags %v, want %v", c.ID, c.Tags, want[c.ID])
		}
	}
}
