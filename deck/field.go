package deck

import "strings"

// MaxFieldSize bounds one field of a card (a front, a back, a CSV cell, an
// Anki note field); a side this long is a broken file (an unclosed quote
// swallowing the rest), not a card.
const MaxFieldSize = 1 << 20

// StripControls drops control characters but tab and newline: they have
// no place on a card, and would make a front that looks empty.
func StripControls(s string) string {
	if !strings.ContainsFunc(s, isJunkControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isJunkControl(r) {
			return -1
		}
		return r
	}, s)
}

func isJunkControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f
}
