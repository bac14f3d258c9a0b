package deck

import "testing"

func TestScopeNamesCheck(t *testing.T) {
	var n ScopeNames
	n.Add(&Card{Tags: []string{"loop:debugging", "topic:caching", "section:x"}})
	n.Add(&Card{Tags: []string{"loop:system-design", "topic:databases"}})
	var none ScopeNames
	none.Add(&Card{Tags: []string{"plain"}})
	for _, tc := range []struct {
		names *ScopeNames
		scope Scope
		want  string
	}{
		{&n, Scope{}, ""},
		{&n, Scope{Loops: []string{"debugging", "system-design"}, Topics: []string{"caching"}}, ""},
		{&n, Scope{Loops: []string{"debuging"}}, `unknown loop "debuging"; the loops of any deck: debugging, system-design`},
		{&n, Scope{Deck: "k", Topics: []string{"x"}}, `unknown topic "x"; the topics of deck k: caching, databases`},
		{&n, Scope{Topics: []string{"section"}}, `unknown topic "section"; the topics of any deck: caching, databases`},
		{&none, Scope{Deck: "k", Loops: []string{"debugging"}}, `unknown loop "debugging": no card in deck k has a loop: tag`},
	} {
		err := tc.names.Check(tc.scope)
		if got := errText(err); got != tc.want {
			t.Errorf("Check(%+v) = %q, want %q", tc.scope, got, tc.want)
		}
	}
}

func TestScopeHasAndString(t *testing.T) {
	c := &Card{Deck: "guide", Tags: []string{"loop:debugging", "topic:caching"}}
	for _, tc := range []struct {
		scope Scope
		has   bool
		text  string
	}{
		{Scope{}, true, ""},
		{Scope{Deck: "other"}, false, "deck other"},
		{Scope{Loops: []string{"system-design", "debugging"}}, true, "loop system-design or debugging"},
		{Scope{Deck: "guide", Topics: []string{"databases"}}, false, "deck guide, topic databases"},
		{Scope{Loops: []string{"debugging"}, Topics: []string{"caching"}}, true, "loop debugging, topic caching"},
	} {
		if got := tc.scope.Has(c); got != tc.has {
			t.Errorf("%+v.Has = %v, want %v", tc.scope, got, tc.has)
		}
		if got := tc.scope.String(); got != tc.text {
			t.Errorf("%+v.String = %q, want %q", tc.scope, got, tc.text)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
