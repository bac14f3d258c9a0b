package content

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The flattened guide glues many sentences to the next one
// ("...should be built.There are a few..."): the web page ended a paragraph
// there, and flattening dropped the break. separateSentences puts a space
// back. A join is a sentence end (".", "?" or "!", optionally followed by
// closing quotes or brackets) or a colon, directly followed by a word that
// starts a sentence. It is a repair only when nothing says the text is a
// name: dotted names (e.g., U.S., Node.js, java.util.List), URLs and
// e-mail addresses, file names (config.go), code (fmt.Println(...),
// context.Context) and anything inside a `code span` stay as they are, and
// so does a word that went through the math renderer (see mangled), since
// only the author can restore it.
//
// It returns s with the joins separated and the joins it separated, as
// they appeared ("built.There"), for the compiler's warnings.
func separateSentences(s string) (string, []string) {
	var (
		b     strings.Builder
		joins []string
		last  int  // s[:last] is in b
		code  bool // inside a `code span`
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '`' {
			code = !code
			continue
		}
		if code || !(c == '.' || c == '?' || c == '!' || c == ':') || i == 0 {
			continue
		}
		end, ok := joinAt(s, last, i)
		if !ok {
			continue
		}
		if joins == nil {
			b.Grow(len(s) + 8)
		}
		joins = append(joins, joinText(s, last, i, end))
		b.WriteString(s[last:end])
		b.WriteByte(' ')
		last = end
		i = end - 1
	}
	if joins == nil {
		return s, nil
	}
	b.WriteString(s[last:])
	return b.String(), joins
}

// joinAt reports whether the punctuation at s[i] ends a sentence glued to
// the next one, and where the space goes. A space goes in at from (the
// last join), so the word before s[i] starts there at the earliest.
func joinAt(s string, from, i int) (end int, ok bool) {
	colon := s[i] == ':'
	end = i + 1
	if colon {
		// "std::vector", "a::B" and "http://" are not sentence ends.
		if end < len(s) && s[end] == ':' || s[i-1] == ':' {
			return 0, false
		}
	} else {
		for end < len(s) && (s[end] == '.' || s[end] == '?' || s[end] == '!') {
			end++
		}
		for end < len(s) {
			r, size := utf8.DecodeRuneInString(s[end:])
			if !strings.ContainsRune(closers, r) {
				break
			}
			end += size
		}
	}
	word := leadingWord(s[end:])
	if word == "" {
		return 0, false
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	if !sentenceEndAfter(prev, colon) || !startsSentence(word, s[end+len(word):], prev) {
		return 0, false
	}
	before := tokenBefore(s[from:], i-from)
	if isName(before, colon) || isCode(before, word, s[end+len(word):]) {
		return 0, false
	}
	if mangledWord(before + s[i:end] + tokenAfter(s, end)) {
		return 0, false
	}
	return end, true
}

// closers may follow the sentence end they close: `“Yes.”That ...`.
const closers = "”’\"')]"

// sentenceEndAfter reports whether a sentence can end with prev before the
// punctuation: a word, a number, a percentage, a closing bracket or quote.
// A colon only counts after a word or a bracket ("Here is my
// playbook:Minutes 0-2"), not after a capital (C:Windows) or a digit
// (10:30).
func sentenceEndAfter(prev rune, colon bool) bool {
	if colon {
		return unicode.IsLower(prev) || prev == ')'
	}
	return unicode.IsLetter(prev) || unicode.IsDigit(prev) || strings.ContainsRune("%)”’\"'", prev)
}

// leadingWord returns the letters (and apostrophes) at the start of s if
// s starts with a capital letter.
func leadingWord(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) {
		return ""
	}
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !unicode.IsLetter(r) && !(n > 0 && (r == '\'' || r == '’')) {
			break
		}
		n += size
	}
	return strings.TrimRight(s[:n], "'’")
}

// startsSentence reports whether word, followed by rest, can open a
// sentence: a capitalised word ("There", "DynamoDB"), "I" or "A" followed
// by a space or an apostrophe, or an acronym followed by a space after a
// lowercase word ("minutes.AP would"), which keeps "ASP.NET" whole.
func startsSentence(word, rest string, prev rune) bool {
	runes := []rune(word)
	next, _ := utf8.DecodeRuneInString(rest)
	switch {
	case len(runes) >= 2 && unicode.IsLower(runes[1]):
		return true
	case len(runes) == 1:
		return (word == "I" || word == "A") && (next == ' ' || next == '’' || next == '\'')
	default:
		return next == ' ' && unicode.IsLower(prev)
	}
}

// tokenBefore returns the word that ends at s[i], back to the last space.
func tokenBefore(s string, i int) string {
	start := strings.LastIndexAny(s[:i], " \u00a0") + 1
	return s[start:i]
}

// abbreviations end in a period but do not end a sentence before a
// capitalised word: "Dr. Smith", "vs. Postgres".
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true, "sr": true,
	"vs": true, "cf": true, "al": true, "fig": true, "inc": true, "ltd": true, "corp": true,
}

// isName reports whether before, the token in front of the punctuation,
// is part of a name rather than the end of a sentence: a dotted name
// ("e.g", "U.S", "Node.js", "www.example"), a URL, an e-mail address or an
// abbreviation.
func isName(before string, colon bool) bool {
	if strings.Contains(before, "://") || strings.Contains(before, "@") {
		return true
	}
	for k := strings.IndexByte(before, '.'); k >= 0; {
		if k+1 < len(before) && isLetter(before[k+1]) {
			return true
		}
		next := strings.IndexByte(before[k+1:], '.')
		if next < 0 {
			break
		}
		k += 1 + next
	}
	w := strings.ToLower(strings.TrimLeft(before, "(“\"'‘["))
	if colon {
		return urlSchemes[w]
	}
	return abbreviations[w]
}

// urlSchemes before a colon make a URI ("mailto:Ann"), not a sentence.
var urlSchemes = map[string]bool{"http": true, "https": true, "mailto": true, "ftp": true, "file": true, "urn": true, "data": true, "tel": true}

// fileExtensions make "config.Go" or "README.Md" a file name even when the
// page capitalised it.
var fileExtensions = map[string]bool{
	"go": true, "py": true, "js": true, "ts": true, "tsx": true, "jsx": true, "rs": true, "rb": true,
	"java": true, "kt": true, "swift": true, "c": true, "h": true, "cc": true, "cpp": true, "cs": true,
	"md": true, "mdx": true, "txt": true, "json": true, "yaml": true, "yml": true, "toml": true, "xml": true,
	"html": true, "css": true, "sh": true, "sql": true, "csv": true, "log": true, "conf": true, "cfg": true,
	"ini": true, "lock": true, "mod": true, "sum": true, "proto": true, "tf": true, "png": true, "jpg": true,
	"pdf": true, "zip": true, "gz": true, "tar": true, "exe": true, "dll": true, "so": true,
}

// codeQualifiers are package and object names that are followed by a
// capitalised member in code ("fmt.Println", "React.Component") and are
// not English words that end sentences.
var codeQualifiers = map[string]bool{
	"fmt": true, "http": true, "os": true, "io": true, "ioutil": true, "json": true, "errors": true,
	"strings": true, "bytes": true, "strconv": true, "filepath": true, "sync": true, "atomic": true,
	"React": true, "Promise": true, "Object": true, "Array": true, "Math": true, "JSON": true,
	"System": true, "console": true, "window": true, "document": true, "this": true, "self": true,
}

// isCode reports whether before.word is code: a known qualifier, a call
// or member access ("Println(", "Out.println"), a generic ("List<") or a
// file name ("main.Go"). A type named after an English word
// ("context.Context") cannot be told from prose ("step by step.Step 1")
// and is separated.
func isCode(before, word, rest string) bool {
	if codeQualifiers[strings.TrimLeft(before, "(“\"'‘[")] {
		return true
	}
	if rest != "" && strings.ContainsRune("([<{_", rune(rest[0])) || len(rest) > 1 && rest[0] == '.' && isLetter(rest[1]) {
		return true
	}
	if fileExtensions[strings.ToLower(word)] {
		r, _ := utf8.DecodeRuneInString(rest)
		return !unicode.IsLetter(r)
	}
	return false
}

// tokenAfter returns the word that starts at s[end], up to the next space.
func tokenAfter(s string, end int) string {
	if k := strings.IndexAny(s[end:], " \u00a0"); k >= 0 {
		return s[end : end+k]
	}
	return s[end:]
}

// joinText shows a separated join as it was, with the words either side
// cut to a few letters: "built.There".
func joinText(s string, from, i, end int) string {
	before := []rune(tokenBefore(s[from:], i-from))
	if len(before) > 20 {
		before = append([]rune("…"), before[len(before)-19:]...)
	}
	return string(before) + s[i:end] + clip(tokenAfter(s, end), 20)
}
