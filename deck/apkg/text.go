package apkg

import (
	"crypto/sha1"
	"encoding/binary"
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The HTML handling Anki applies to fields when it computes a note's sort
// field and checksum (rslib/src/text.rs strip_html_preserving_media_filenames),
// and when it finds the media a note refers to (extract_media_refs).
var (
	// A media tag's file name: <img|audio|video|object|source ... src|data=...>.
	apkgMediaTagRE = regexp.MustCompile(`(?si)<\b(?:img|audio|video|object|source)\b(?:[^>]|"[^"]+?"|'[^']+?')+?\b(?:src|data)\b=(?:"([^"]+?)"[^>]*>|'([^']+?)'[^>]*>|([^ >]+?)(?: [^>]*>|>))`)
	// Comments, style and script blocks, then any tag.
	apkgHTMLRE = regexp.MustCompile(`(?si)(<!--.*?-->)|(<style.*?>.*?</style>)|(<script.*?>.*?</script>)|(<.*?>)`)
	// [sound:name] references.
	apkgSoundRE = regexp.MustCompile(`\[sound:([^\]]+)\]`)
)

// apkgStripHTML is Anki's strip_html_preserving_media_filenames: media
// tags become their file names between spaces, other markup goes, entities
// are decoded and a no-break space becomes a space.
func apkgStripHTML(s string) string {
	if strings.Contains(s, "<") {
		if apkgHasMediaTag(s) {
			s = apkgMediaTagRE.ReplaceAllString(s, " ${1}${2}${3} ")
		}
		s = apkgStripTags(s)
	}
	if strings.Contains(s, "&") {
		s = html.UnescapeString(s)
	}
	return strings.ReplaceAll(s, "\u00a0", " ")
}

// apkgStripTags removes what apkgHTMLRE matches, without the regexp's
// backtracking, which dominated the export's profile: at each "<", a
// comment up to "-->", a style or script element up to its end tag, or
// else a tag up to the next ">"; a "<" that starts none of these stays.
func apkgStripTags(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+j])
		i += j
		if end := apkgTagEnd(s, i); end > i {
			i = end
			continue
		}
		b.WriteByte('<')
		i++
	}
	return b.String()
}

// apkgTagEnd returns the end of the markup starting at s[i] == '<', or i.
func apkgTagEnd(s string, i int) int {
	rest := s[i:]
	if strings.HasPrefix(rest, "<!--") {
		if k := strings.Index(rest[4:], "-->"); k >= 0 {
			return i + 4 + k + 3
		}
	}
	for _, el := range []string{"style", "script"} {
		if len(rest) > len(el) && strings.EqualFold(rest[1:1+len(el)], el) {
			gt := strings.IndexByte(rest[1+len(el):], '>')
			if gt < 0 {
				break
			}
			body := 1 + len(el) + gt + 1
			if k := apkgIndexFold(rest[body:], "</"+el+">"); k >= 0 {
				return i + body + k + len(el) + 3
			}
		}
	}
	if k := strings.IndexByte(rest[1:], '>'); k >= 0 {
		return i + 1 + k + 1
	}
	return i
}

// apkgIndexFold is strings.Index ignoring ASCII case.
func apkgIndexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// apkgHasMediaTag is a quick test for apkgMediaTagRE's opening.
func apkgHasMediaTag(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		for _, t := range []string{"img", "audio", "video", "object", "source"} {
			if len(s)-i-1 >= len(t) && strings.EqualFold(s[i+1:i+1+len(t)], t) {
				return true
			}
		}
	}
	return false
}

// apkgChecksum is the notes.csum Anki computes from a stripped first
// field: the first four bytes of its SHA-1, big-endian.
func apkgChecksum(stripped string) uint32 {
	sum := sha1.Sum([]byte(stripped))
	return binary.BigEndian.Uint32(sum[:4])
}

// apkgFieldChecksum is apkgChecksum of a field as stored.
func apkgFieldChecksum(field0 string) uint32 { return apkgChecksum(apkgStripHTML(field0)) }

// apkgNormalizeField applies what Anki does to a field before storing it: NFC,
// and no ASCII control characters other than tab and newline (the field
// separator 0x1f among them).
func apkgNormalizeField(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	// Scanning bytes is exact (no byte of a multi-byte UTF-8 sequence is
	// ASCII) and, fields rarely holding any, much cheaper than mapping runes.
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' || c == 0x7f {
			s = strings.Map(func(r rune) rune {
				if r < 0x20 && r != '\t' && r != '\n' || r == 0x7f {
					return -1
				}
				return r
			}, s)
			break
		}
	}
	return norm.NFC.String(s)
}

// apkgMediaRefs returns the media file names an HTML field refers to, entities
// decoded, in order of appearance.
func apkgMediaRefs(field string, add func(name string)) {
	for _, m := range apkgMediaTagRE.FindAllStringSubmatch(field, -1) {
		name := m[1] + m[2] + m[3]
		if strings.Contains(name, "&") {
			name = html.UnescapeString(name)
		}
		add(name)
	}
	for _, m := range apkgSoundRE.FindAllStringSubmatch(field, -1) {
		add(m[1])
	}
}

// apkgSafeMediaName reports whether name can be handed on as a bare file name:
// one path component, no separators, no dot-names or hidden files, no
// control or invalid characters, no characters Windows refuses, at most 255
// bytes. Anki itself never produces a name that fails this.
func apkgSafeMediaName(name string) bool {
	if name == "" || len(name) > 255 || !utf8.ValidString(name) || strings.HasPrefix(name, ".") {
		return false
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError {
			return false
		}
		if strings.ContainsRune(`/\:*?"<>|`, r) {
			return false
		}
	}
	return true
}
