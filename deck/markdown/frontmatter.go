package markdown

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/srs-tool/srs/deck"
	"github.com/srs-tool/srs/internal/srcpos"
)

// frontMatter is what the optional block between "---" lines at the top of
// a Markdown deck says. It is YAML-ish, not YAML: three keys, flat values,
// so that no YAML dependency (and none of YAML's surprises) is needed.
type frontMatter struct {
	deck string
	tags []string
	kind deck.Kind // default kind of "##" cards; "" means basic
}

// parseFrontMatter reads the front matter at the top of lines, if any, and
// returns the index of the first line after it.
func parseFrontMatter(src srcpos.File, lines []string) (frontMatter, int, error) {
	var fm frontMatter
	if len(lines) == 0 || strings.TrimRight(lines[0], " \t") != "---" {
		return fm, 0, nil
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if t := strings.TrimRight(lines[i], " \t"); t == "---" || t == "..." {
			end = i
			break
		}
	}
	if end < 0 {
		return fm, 0, src.Errorf(1, "front matter has no closing --- line")
	}
	seen := map[string]int{}
	listKey := "" // key whose value continues as "- item" lines
	for i := 1; i < end; i++ {
		n := i + 1
		t := strings.TrimSpace(lines[i])
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if item, ok := strings.CutPrefix(t, "-"); ok && (item == "" || item[0] == ' ' || item[0] == '\t') {
			if listKey != "tags" {
				return fm, 0, src.Errorf(n, "list item outside a tags: list")
			}
			fm.tags = append(fm.tags, splitTags(item)...)
			continue
		}
		key, value, ok := strings.Cut(t, ":")
		if !ok {
			return fm, 0, src.Errorf(n, "front matter line %q is not key: value", t)
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		if first, dup := seen[key]; dup {
			return fm, 0, src.Errorf(n, "front matter key %q already set at line %d", key, first)
		}
		seen[key] = n
		listKey = ""
		switch key {
		case "deck":
			name := unquoteValue(value)
			if err := deck.ValidateDeckName(name); err != nil {
				return fm, 0, src.Errorf(n, "deck: %v", err)
			}
			fm.deck = name
		case "tags":
			if value == "" {
				listKey = key
			}
			fm.tags = append(fm.tags, splitTags(value)...)
		case "kind":
			k, ok := deck.ParseKind(unquoteValue(value))
			if !ok {
				return fm, 0, src.Errorf(n, "unknown kind %q (want one of %s)", value, deck.KindNames())
			}
			fm.kind = k
		default:
			return fm, 0, src.Errorf(n, "unknown front matter key %q (want deck, tags or kind)", key)
		}
	}
	fm.tags = deck.AppendTags(nil, fm.tags...)
	return fm, end + 1, nil
}

// unquoteValue strips the quotes YAML users put around strings.
func unquoteValue(v string) string {
	if len(v) >= 2 && v[0] == '"' {
		if s, err := strconv.Unquote(v); err == nil {
			return s
		}
	}
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return v[1 : len(v)-1]
	}
	return v
}

// splitTags reads a tag list in any of the shapes people write: "[a, b]",
// "a, b", "a b". Tags are words: commas and spaces separate them, as in
// Anki, where a tag cannot hold a space.
func splitTags(s string) []string {
	s = strings.TrimSpace(s)
	if inner, ok := strings.CutPrefix(s, "["); ok && strings.HasSuffix(inner, "]") {
		s = inner[:len(inner)-1]
	}
	return tagWords(s)
}

// tagWords splits s into tags at commas and spaces, dropping the quotes
// YAML users put around them.
func tagWords(s string) []string {
	tags := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || unicode.IsSpace(r)
	})
	for i, t := range tags {
		tags[i] = strings.Trim(t, `"'`)
	}
	return deck.AppendTags(nil, tags...)
}
