package content

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSeparateSentences(t *testing.T) {
	tests := []struct {
		name, in, want string
		joins          []string
	}{
		// Joins the flattened guide is full of.
		{"period", "what should be built.There are a few", "what should be built. There are a few", []string{"built.There"}},
		{"two in a line", "is faster.Third, it is simpler.Fourth", "is faster. Third, it is simpler. Fourth", []string{"faster.Third,", "simpler.Fourth"}},
		{"question mark", "Is this read-heavy?Format: open-ended", "Is this read-heavy? Format: open-ended", []string{"read-heavy?Format:"}},
		{"exclamation", "It works!Then it broke.", "It works! Then it broke.", []string{"works!Then"}},
		{"closing quote", "not just “the code is messy.”That gave", "not just “the code is messy.” That gave", []string{"messy.”That"}},
		{"question in quotes", "the threshold “SQS?”What separates", "the threshold “SQS?” What separates", []string{"“SQS?”What"}},
		{"closing bracket", "full table scan (then a crash).Step 5: fix", "full table scan (then a crash). Step 5: fix", []string{"crash).Step"}},
		{"after a number", "dropped to 0.001%.The meta-lesson", "dropped to 0.001%. The meta-lesson", []string{"0.001%.The"}},
		{"after a quarter", "ship it in Q2.The staff-level decision", "ship it in Q2. The staff-level decision", []string{"Q2.The"}},
		{"after a ratio", "I schedule a 1:1.Step 2: Start", "I schedule a 1:1. Step 2: Start", []string{"1:1.Step"}},
		{"after a decimal", "P99 at 120ms (versus 1.8s).The lesson", "P99 at 120ms (versus 1.8s). The lesson", []string{"1.8s).The"}},
		{"after an acronym", "written on the JD.Step 2 - Map", "written on the JD. Step 2 - Map", []string{"JD.Step"}},
		{"pronoun I", "I made a mistake.I wrote it down.", "I made a mistake. I wrote it down.", []string{"mistake.I"}},
		{"article A", "It scales.A monolith is", "It scales. A monolith is", []string{"scales.A"}},
		{"acronym opening a sentence", "for 90 minutes.AP would have", "for 90 minutes. AP would have", []string{"minutes.AP"}},
		{"product name", "theory meets reality.DynamoDB: two modes", "theory meets reality. DynamoDB: two modes", []string{"reality.DynamoDB:"}},
		{"colon", "Here is my playbook:Minutes 0-2: triage", "Here is my playbook: Minutes 0-2: triage", []string{"playbook:Minutes"}},
		{"colon before I", "I do it:I overlay four graphs", "I do it: I overlay four graphs", []string{"it:I"}},
		{"apostrophe word", "It failed.Here’s why.", "It failed. Here’s why.", []string{"failed.Here’s"}},
		{"accented capital", "It ended.Élan came back.", "It ended. Élan came back.", []string{"ended.Élan"}},

		// Names, code and abbreviations stay whole.
		{"e.g.", "a config (e.g.Redis) file", "a config (e.g.Redis) file", nil},
		{"i.e.", "the same, i.e.The Rule", "the same, i.e.The Rule", nil},
		{"U.S.", "sold in the U.S.There are", "sold in the U.S.There are", nil},
		{"title", "as Dr.Smith said", "as Dr.Smith said", nil},
		{"versus", "Postgres vs.MySQL is", "Postgres vs.MySQL is", nil},
		{"dotted name", "we moved to Node.js.The team", "we moved to Node.js.The team", nil},
		{"version number", "upgrade to v1.2.Then", "upgrade to v1.2. Then", []string{"v1.2.Then"}},
		{"version number inside", "set version 2.3.4 and", "set version 2.3.4 and", nil},
		{"lowercase after period", "the linger.ms and batch.size settings", "the linger.ms and batch.size settings", nil},
		{"URL", "see https://example.com/Docs.Pricing page", "see https://example.com/Docs.Pricing page", nil},
		{"URL path capital", "at example.com/A.Then", "at example.com/A.Then", nil},
		{"host name", "blog.cloudflare.com.The post", "blog.cloudflare.com.The post", nil},
		{"email", "mail ann@corp.Example now", "mail ann@corp.Example now", nil},
		{"file name", "edit config.Go and rebuild", "edit config.Go and rebuild", nil},
		{"file name at end", "edit main.Go", "edit main.Go", nil},
		{"markdown file", "read README.Md first", "read README.Md first", nil},
		{"Go call", "call fmt.Println(x) here", "call fmt.Println(x) here", nil},
		{"same word", "step by step.Step 1: Clarify", "step by step. Step 1: Clarify", []string{"step.Step"}},
		{"Go handler", "an http.Handler serves it", "an http.Handler serves it", nil},
		{"JS member", "use React.Component or Promise.All", "use React.Component or Promise.All", nil},
		{"method call", "call client.Do(req) now", "call client.Do(req) now", nil},
		{"chained member", "System.Out.println", "System.Out.println", nil},
		{"generic", "a list.List<T> type", "a list.List<T> type", nil},
		{"code span", "run `make.Build` then", "run `make.Build` then", nil},
		{"code span closes", "run `x.Y` first.Then stop", "run `x.Y` first. Then stop", []string{"first.Then"}},
		{"framework name", "a monolithic ASP.NET app and .NET apps", "a monolithic ASP.NET app and .NET apps", nil},
		{"windows path", "C:Windows and D:Data", "C:Windows and D:Data", nil},
		{"time", "at 10:30 and 10:Thirty", "at 10:30 and 10:Thirty", nil},
		{"scheme", "mailto:Ann or tel:Home", "mailto:Ann or tel:Home", nil},
		{"double colon", "std::Vector and a::B", "std::Vector and a::B", nil},
		{"space already", "It works. Then it broke.", "It works. Then it broke.", nil},
		{"digit after", "it did this instinctively.3. A team", "it did this instinctively.3. A team", nil},
		{"single capital letter", "option B.X marks", "option B.X marks", nil},
		{"acronym after capital", "the AWS.SQS queue", "the AWS.SQS queue", nil},
		{"mangled dollars", "adds 800/month.Theengineeringtimeis2weeks.Weexpecta", "adds 800/month.Theengineeringtimeis2weeks.Weexpecta", nil},
		{"mangled minus", "a 60−secondTTLcache.Inthe 18 months", "a 60−secondTTLcache.Inthe 18 months", nil},
		{"start of text", ".There", ".There", nil},
		{"end of text", "It ended.", "It ended.", nil},
		{"empty", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, joins := separateSentences(tt.in)
			if got != tt.want {
				t.Errorf("separateSentences(%q)\ngot  %q\nwant %q", tt.in, got, tt.want)
			}
			if !slices.Equal(joins, tt.joins) {
				t.Errorf("joins %q, want %q", joins, tt.joins)
			}
		})
	}
}

// TestGuideSentences checks the repair on the guide itself: joins found
// by reading the guide read right on their cards, and no card keeps a join
// the repair should have found.
func TestGuideSentences(t *testing.T) {
	d, warnings := compileGuide(t)
	cards := byID(d)
	for id, want := range map[string]string{
		"q01":    "what should not be built. There are a few concrete dimensions",
		"q02":    "step by step. Step 1: Clarify the problem scope",
		"q04":    "Here is my playbook: Minutes 0-2: Triage the alert.",
		"q13.f1": "course-correct faster. Second, I identify",
		"q06.f1": "within seconds or minutes. AP would have been wrong",
	} {
		if !strings.Contains(cards[id].Back, want) {
			t.Errorf("%s: back lacks %q", id, want)
		}
	}
	var n int
	for _, w := range warnings {
		if strings.Contains(w.Msg, "run-together") {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no run-together warnings")
	}
	for _, c := range d.Cards {
		for _, s := range []string{c.Front, c.Back} {
			if _, joins := separateSentences(s); joins != nil {
				t.Errorf("%s still has joins %q", c.ID, joins)
			}
		}
	}
}

func FuzzSeparateSentences(f *testing.F) {
	for _, s := range []string{
		"built.There", "e.g.The", "Node.js.The", "fmt.Println(x)", "a `b.C` d.E", "playbook:Minutes",
		"“Yes.”That", "minutes.AP would", "800/month.Theengineeringtimeis2weeks", "C:Windows", "std::Vec",
		"x.\u00a0Y", "a.\xffB", "ended.Élan", "It failed.Here’s why",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, joins := separateSentences(in)
		// It only ever inserts spaces, one per join.
		if len(out) != len(in)+len(joins) {
			t.Fatalf("%q -> %q with %d joins", in, out, len(joins))
		}
		if joins == nil && out != in {
			t.Fatalf("%q changed to %q without a join", in, out)
		}
		k := 0
		for i := 0; i < len(out); i++ {
			if k < len(in) && out[i] == in[k] {
				k++
				continue
			}
			if out[i] != ' ' {
				t.Fatalf("%q -> %q: inserted %q", in, out, out[i])
			}
		}
		if k != len(in) {
			t.Fatalf("%q -> %q: lost input", in, out)
		}
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("%q -> %q: invalid UTF-8", in, out)
		}
		for _, j := range joins {
			if !utf8.ValidString(j) && utf8.ValidString(in) {
				t.Fatalf("invalid join %q", j)
			}
		}
		// Repaired text has nothing left to repair.
		if again, more := separateSentences(out); again != out || more != nil {
			t.Fatalf("%q -> %q -> %q (%q)", in, out, again, more)
		}
	})
}
