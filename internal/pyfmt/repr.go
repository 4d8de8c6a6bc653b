package pyfmt

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
)

// Repr returns Python's repr of the str s: single quotes unless s holds a
// single quote and no double quote, and backslash escapes for what
// str.isprintable rejects. Bytes of s that are not UTF-8 are rendered as
// U+FFFD, as Go reads them.
func Repr(s string) string {
	var b strings.Builder
	writeRepr(&b, s)
	return b.String()
}

func writeRepr(b *strings.Builder, s string) {
	quote := quoteFor(strings.ContainsRune(s, '\''), strings.ContainsRune(s, '"'))
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case writeCommonEscape(b, r, quote):
		case isPrintable(r):
			b.WriteRune(r)
		case r < 0x100:
			writeHex(b, `\x`, r, 2)
		case r < 0x10000:
			writeHex(b, `\u`, r, 4)
		default:
			writeHex(b, `\U`, r, 8)
		}
	}
	b.WriteByte(quote)
}

// ReprBytes returns Python's repr of the bytes b: b'...', with printable
// ASCII as it is and every other byte escaped.
func ReprBytes(p []byte) string {
	var b strings.Builder
	quote := quoteFor(bytes.IndexByte(p, '\'') >= 0, bytes.IndexByte(p, '"') >= 0)
	b.WriteByte('b')
	b.WriteByte(quote)
	for _, c := range p {
		switch {
		case writeCommonEscape(&b, rune(c), quote):
		case c < ' ' || c >= 0x7f:
			writeHex(&b, `\x`, rune(c), 2)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// quoteFor picks the delimiter Python's repr picks for str and bytes.
func quoteFor(hasSingle, hasDouble bool) byte {
	if hasSingle && !hasDouble {
		return '"'
	}
	return '\''
}

// isPrintable is Python's str.isprintable for one character: everything
// but categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs other than the ASCII
// space. That is exactly Go's unicode.IsPrint (letters, marks, numbers,
// punctuation, symbols and the ASCII space).
func isPrintable(r rune) bool { return unicode.IsPrint(r) }

// writeCommonEscape writes the escape that Python's str and bytes literals
// and JSON strings all use for r, if r has one: a backslash before quote
// (the literal's delimiter) or a backslash, and \n, \r, \t. It reports
// whether it wrote anything.
func writeCommonEscape(b *strings.Builder, r rune, quote byte) bool {
	switch r {
	case rune(quote), '\\':
		b.WriteByte('\\')
		b.WriteRune(r)
	case '\n':
		b.WriteString(`\n`)
	case '\r':
		b.WriteString(`\r`)
	case '\t':
		b.WriteString(`\t`)
	default:
		return false
	}
	return true
}

// writeHex writes prefix and r in lowercase hexadecimal, zero-padded to
// width digits.
func writeHex(b *strings.Builder, prefix string, r rune, width int) {
	h := strconv.FormatUint(uint64(r), 16)
	b.WriteString(prefix)
	b.WriteString(strings.Repeat("0", width-len(h)))
	b.WriteString(h)
}
