package verify

import (
	"strings"
	"unicode"
)

// pyIsSpace is Python's str.isspace for one character: Unicode White_Space
// plus the separators U+001C..U+001F.
func pyIsSpace(r rune) bool {
	if r < 0x80 {
		return r == ' ' || (r >= '\t' && r <= '\r') || (r >= 0x1c && r <= 0x1f)
	}
	return unicode.IsSpace(r)
}

// pyStrip is Python's str.strip() with no argument.
func pyStrip(s string) string { return strings.TrimFunc(s, pyIsSpace) }

// pySplit is Python's str.split() with no argument.
func pySplit(s string) []string { return strings.FieldsFunc(s, pyIsSpace) }

// pyLower is Python's str.lower(): Go's simple case mapping plus the one
// unconditional full mapping, U+0130 to "i" and U+0307.
func pyLower(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "\u0130", "i\u0307"))
}
