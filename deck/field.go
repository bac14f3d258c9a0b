package deck

import "strings"

// MaxFieldSize bounds one field of a card (a front or a back, as
// Markdown): the one limit every format and the store apply, so what one
// accepts the others write and read back. A side this long is a broken
// file (an unclosed quote swallowing the rest), not a card.
const MaxFieldSize = 1 << 20

// MaxEncodedFieldSize bounds one field as a format stores it (a CSV cell,
// an Anki note field, a JSON string): HTML escapes a Markdown side up to
// six times longer ("&quot;"), a follow-up's front carries its question
// too, and srs's own exports carry the Markdown beside the HTML. A field
// within MaxFieldSize always fits, so srs reads back all it writes; the
// card made from the field must still fit MaxFieldSize.
const MaxEncodedFieldSize = 16 * MaxFieldSize

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
