package deck

import (
	"path/filepath"
	"slices"
	"strings"
)

// ParseOptions apply to every parser.
type ParseOptions struct {
	File string // file name used in errors and Card.Source ("file:line")
	Deck string // deck name override; "" means: from the file's front matter / header / deck column, else DefaultDeckName(File)
}

// DefaultDeckName names the deck of a file that does not name one itself:
// its base name without the extension, "kubernetes" for "/x/kubernetes.md".
// A name that leaves nothing usable (standard input, "") gives "default".
func DefaultDeckName(file string) string {
	base := filepath.Base(file)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	base = strings.TrimSpace(base)
	switch base {
	case "", ".", "-", string(filepath.Separator):
		return "default"
	}
	return base
}

// DeckName picks the deck a parsed file belongs to: the caller's
// override, else what the file says (fromFile), else the file name.
func (opt ParseOptions) DeckName(fromFile string) string {
	switch {
	case opt.Deck != "":
		return opt.Deck
	case fromFile != "":
		return fromFile
	}
	return DefaultDeckName(opt.File)
}

// AppendTags appends the tags of add that tags does not hold yet, keeping
// first-seen order: file tags come before card tags and repeats vanish.
// Callers gather tags and call it once: it is linear per call, so calling
// it per tag would be quadratic on a hostile file.
func AppendTags(tags []string, add ...string) []string {
	var seen map[string]bool // only for long lists: hostile files have 100k tags
	if len(tags)+len(add) > 32 {
		seen = make(map[string]bool, len(tags)+len(add))
		for _, t := range tags {
			seen[t] = true
		}
	}
	for _, t := range add {
		if t == "" {
			continue
		}
		if seen != nil {
			if !seen[t] {
				seen[t] = true
				tags = append(tags, t)
			}
		} else if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	return tags
}
