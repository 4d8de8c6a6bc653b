package readme

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// splitLines splits src as Python's str.splitlines does, then prepares each
// line as docutils' string2lines: \v and \f become spaces, tabs expand to
// 8-column stops and trailing whitespace is stripped.
func splitLines(src string) []string {
	lines := make([]string, 0, strings.Count(src, "\n")+1)
	start := 0
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRuneInString(src[i:])
		switch r {
		case '\n', '\r', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029':
			lines = append(lines, cleanLine(src[start:i]))
			i += n
			if r == '\r' && i < len(src) && src[i] == '\n' {
				i++
			}
			start = i
			continue
		}
		i += n
	}
	if start < len(src) {
		lines = append(lines, cleanLine(src[start:]))
	}
	return lines
}

func cleanLine(s string) string {
	if strings.ContainsAny(s, "\t\v\f") {
		var b strings.Builder
		col := 0
		for _, r := range s {
			switch r {
			case '\t':
				pad := 8 - col%8
				b.WriteString(strings.Repeat(" ", pad))
				col += pad
				continue
			case '\v', '\f':
				r = ' '
			}
			b.WriteRune(r)
			col++
		}
		s = b.String()
	}
	return strings.TrimRightFunc(s, unicode.IsSpace)
}

// isBlank reports whether a (right-stripped) line is empty.
func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// indentOf counts leading spaces.
func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

// columnWidth is docutils' column_width: East Asian wide and full-width
// characters count two columns, combining characters none.
func columnWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		case isWide(r):
			w += 2
		default:
			w++
		}
	}
	return w
}

// isWide approximates East Asian Width W and F.
func isWide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r <= 0x115f, r >= 0x2e80 && r <= 0x303e, r >= 0x3041 && r <= 0x33ff,
		r >= 0x3400 && r <= 0x4dbf, r >= 0x4e00 && r <= 0x9fff, r >= 0xa000 && r <= 0xa4cf,
		r >= 0xac00 && r <= 0xd7a3, r >= 0xf900 && r <= 0xfaff, r >= 0xfe30 && r <= 0xfe4f,
		r >= 0xff00 && r <= 0xff60, r >= 0xffe0 && r <= 0xffe6,
		r >= 0x1f300 && r <= 0x1f64f, r >= 0x1f900 && r <= 0x1f9ff,
		r >= 0x20000 && r <= 0x3fffd:
		return true
	}
	return false
}

// Indented-block extraction, after docutils' StringList.get_indented. Each
// returns the block with its indentation removed, the number of lines it
// spans in the input, and whether it ended at a blank line (or the end).
//
// The block is lines[start:start+n] itself, its indentation removed in
// place: the caller's lines are consumed, and no level of nesting copies
// them. Lines never end with a space (splitLines and the table parsers
// strip them), so a blank line is the empty string, and the work per line
// and level is bounded by the indentation it removes.

// getIndented collects the indented lines at lines[start:] (block quotes,
// literal blocks, definitions).
func getIndented(lines []string, start int, untilBlank bool) (block []string, n int, blankFinish bool) {
	return indented(lines, start, untilBlank, -1, -1)
}

// getKnownIndented is for list items: the first line's text starts at
// column indent and the rest must be indented at least that much.
func getKnownIndented(lines []string, start, indent int) ([]string, int, bool) {
	return indented(lines, start, false, indent, indent)
}

// getFirstKnownIndented is for explicit markup, field and enumerated
// items: the first line's text starts at column first; the others set the
// block's indentation by their minimum.
func getFirstKnownIndented(lines []string, start, first int, untilBlank bool) ([]string, int, bool) {
	return indented(lines, start, untilBlank, -1, first)
}

func indented(lines []string, start int, untilBlank bool, blockIndent, firstIndent int) ([]string, int, bool) {
	n, indent, blankFinish := indentedSpan(lines, start, untilBlank, blockIndent, firstIndent)
	block := lines[start : start+n]
	from := 0
	if firstIndent >= 0 && n > 0 {
		block[0] = suffix(block[0], firstIndent)
		from = 1
	}
	if indent > 0 {
		for i := from; i < n; i++ {
			if block[i] != "" {
				block[i] = suffix(block[i], indent)
			}
		}
	}
	return block, n, blankFinish
}

// indentedSpan measures the block indented would return without changing
// lines: the lines it spans, the indentation of all but a first line of
// known indentation, and whether it ended at a blank line (or the end).
func indentedSpan(lines []string, start int, untilBlank bool, blockIndent, firstIndent int) (n, indent int, blankFinish bool) {
	indent = blockIndent
	end := start
	if firstIndent >= 0 {
		end++
	}
	blankFinish = true
	for ; end < len(lines); end++ {
		line := lines[end]
		if line == "" {
			if untilBlank {
				break
			}
			continue
		}
		if line[0] != ' ' || (blockIndent >= 0 && !spacesTo(line, blockIndent)) {
			blankFinish = end > start && isBlank(lines[end-1])
			break
		}
		if blockIndent < 0 && (indent < 0 || !spacesTo(line, indent)) {
			indent = indentOf(line)
		}
	}
	return end - start, indent, blankFinish
}

// spacesTo reports whether line's first n bytes (all of it, if shorter)
// are spaces.
func spacesTo(line string, n int) bool {
	for i := 0; i < n && i < len(line); i++ {
		if line[i] != ' ' {
			return false
		}
	}
	return true
}

func suffix(s string, n int) string {
	if n > len(s) {
		return ""
	}
	return s[n:]
}

// trimBlankEnd drops trailing blank lines.
func trimBlankEnd(b []string) []string {
	for len(b) > 0 && isBlank(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// joinLines returns lines joined by "\n", as strings.Join does, but
// without a copy when they lie in order in p.src, one "\n" apart (as
// splitLines cuts unindented lines ending in "\n").
func (p *parser) joinLines(lines []string) string {
	start, ok := p.offset(lines[0])
	end := start + len(lines[0])
	for _, l := range lines[1:] {
		if !ok {
			break
		}
		var off int
		off, ok = p.offset(l)
		ok = ok && off == end+1 && p.src[end] == '\n'
		end = off + len(l)
	}
	if !ok {
		return strings.Join(lines, "\n")
	}
	return p.src[start:end]
}

// offset returns where s starts in p.src, if it is a non-empty substring
// of it.
func (p *parser) offset(s string) (int, bool) {
	if s == "" || len(s) > len(p.src) {
		return 0, false
	}
	d := uintptr(unsafe.Pointer(unsafe.StringData(s))) - uintptr(unsafe.Pointer(unsafe.StringData(p.src)))
	if d > uintptr(len(p.src)-len(s)) {
		return 0, false
	}
	return int(d), true
}
