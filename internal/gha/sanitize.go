package gha

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text that did not come from this program (an index's answers, file
// names, metadata) is untrusted: printed as it is, it could run workflow
// commands, move the terminal's cursor or break out of a job summary's
// code block. The functions below make it safe for each destination.
//
// The GitHub Actions runner reads every line of a step's stdout and
// stderr for two kinds of commands (actions/runner,
// src/Runner.Common/ActionCommand.cs): "::name props::data" when the line,
// after its leading white space, starts with "::", and the older
// "##[name props]data" anywhere in the line. Its registered names include
// stop-commands, which silences every later command of the step. Lines
// end at "\n" and "\r".

// isControl reports whether r must never reach a terminal or a log: C0
// and C1 control characters (escape sequences start with ESC or CSI),
// DEL, and the bidirectional formatting characters that make text read in
// another order than it runs. Tab and newline are not among them.
func isControl(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// dropControls returns s without control characters (tab and newline
// stay), invalid UTF-8 replaced by U+FFFD.
func dropControls(s string) string {
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// textState neutralises workflow commands in a stream of text, which may
// arrive in pieces cut anywhere.
type textState struct {
	midLine bool // something but white space was written on this line
	colon   bool // a ':' starts the line and is held back
	hashes  int  // '#' written just before
}

// runeWriter is where textState writes: a strings.Builder or a
// bufio.Writer.
type runeWriter interface {
	WriteByte(c byte) error
	WriteRune(r rune) (int, error)
	WriteString(s string) (int, error)
}

// write appends the safe form of the text s to b, invalid UTF-8 as
// U+FFFD: control characters dropped, a line whose first non-space
// characters are "::" written as `\::`, every "##[" as `##\[`.
func (st *textState) write(b runeWriter, s []byte) {
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s) // U+FFFD for an invalid byte
		s = s[size:]
		if isControl(r) {
			continue
		}
		if r == '\n' {
			st.flushColon(b)
			b.WriteByte('\n')
			st.midLine, st.hashes = false, 0
			continue
		}
		if !st.midLine {
			switch {
			case r == ':' && st.colon:
				b.WriteString(`\::`)
				st.colon, st.midLine = false, true
				continue
			case r == ':':
				st.colon = true
				continue
			case unicode.IsSpace(r) && !st.colon:
				b.WriteRune(r)
				continue
			}
			st.flushColon(b)
			st.midLine = true
		}
		if r == '[' && st.hashes >= 2 {
			b.WriteByte('\\')
		}
		st.hashes = hashesAfter(r, st.hashes)
		b.WriteRune(r)
	}
}

// flushColon writes the ':' held back at a line's start.
func (st *textState) flushColon(b runeWriter) {
	if st.colon {
		b.WriteByte(':')
		st.colon, st.midLine = false, true
	}
}

// Text returns s made safe to print in a log or on a terminal: control
// characters other than tab and newline are dropped, invalid UTF-8
// becomes U+FFFD, a line (of the text, so also after a newline inside it)
// that would start a workflow command begins with a backslash (`\::`),
// and "##[" is written `##\[`. Multi-line text stays multi-line.
func Text(s string) string {
	var b strings.Builder
	var st textState
	st.write(&b, []byte(s))
	st.flushColon(&b)
	return b.String()
}

// Line returns Text(s) on one line: line breaks become spaces. Use it for
// a value that must not span lines, such as a file name.
func Line(s string) string { return Text(lineBreaks.Replace(s)) }

// lineBreaks turns each line break into a space.
var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// Writer returns an io.Writer that prints text in r's log (the writer
// given to New) as Text makes it safe, whether or not r is enabled. The
// runner's own workflow commands go around it. Writes may cut the text
// anywhere, even inside a UTF-8 sequence; a ':' alone at the start of the
// last line is held until the text goes on.
func (r *Runner) Writer() io.Writer { return &textWriter{r: r} }

type textWriter struct {
	r       *Runner
	st      textState
	out     *bufio.Writer         // scratch space before r.out, reused
	partial [utf8.UTFMax - 1]byte // the start of a UTF-8 sequence cut by the last Write
	held    int                   // bytes in partial
}

func (w *textWriter) Write(p []byte) (int, error) {
	w.r.mu.Lock()
	defer w.r.mu.Unlock()
	if w.out == nil {
		w.out = bufio.NewWriterSize(w.r.out, 4096)
	}
	rest := p
	if w.held > 0 {
		// Complete the held sequence (or show it invalid) from p's start.
		var buf [utf8.UTFMax]byte
		n := copy(buf[:], w.partial[:w.held])
		seq := buf[:n+copy(buf[n:], rest)]
		if !utf8.FullRune(seq) {
			w.held = copy(w.partial[:], seq)
			return len(p), nil
		}
		_, size := utf8.DecodeRune(seq)
		size = max(size, w.held) // held continuation bytes are U+FFFD each
		w.st.write(w.out, seq[:size])
		rest = rest[size-w.held:]
		w.held = 0
	}
	// Hold back an incomplete sequence at the end, at most 3 bytes.
	cut := len(rest)
	for i := len(rest) - 1; i >= 0 && i >= len(rest)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(rest[i]) {
			if !utf8.FullRune(rest[i:]) {
				cut = i
			}
			break
		}
	}
	w.held = copy(w.partial[:], rest[cut:])
	w.st.write(w.out, rest[:cut])
	if err := w.out.Flush(); err != nil {
		w.out.Reset(w.r.out)
		return 0, fmt.Errorf("gha: %w", err)
	}
	return len(p), nil
}

// MarkdownText returns s as Markdown text that shows as s does and means
// nothing more: on one line, control characters dropped, every ASCII
// punctuation character backslash-escaped, so that it makes no link,
// image, HTML, emphasis or code.
func MarkdownText(s string) string {
	var b strings.Builder
	for _, r := range Line(s) {
		if r < utf8.RuneSelf && (unicode.IsPunct(r) || unicode.IsSymbol(r)) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CodeSpan returns s as a Markdown code span that fits in a table cell:
// on one line, control characters dropped, '|' escaped, between backtick
// runs longer than any in s.
func CodeSpan(s string) string {
	s = strings.ReplaceAll(Line(s), "|", `\|`)
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// CodeBlock returns s as a fenced Markdown code block, ending in a
// newline: control characters dropped, between fences of backticks
// longer than any run of backticks in s (and at least three), so that
// nothing in s can close the block.
func CodeBlock(s string) string {
	s = dropControls(s)
	fence := strings.Repeat("`", max(3, longestRun(s, '`')+1))
	return fence + "\n" + strings.TrimSuffix(s, "\n") + "\n" + fence + "\n"
}

// longestRun returns the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	longest, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			longest = max(longest, n)
		} else {
			n = 0
		}
	}
	return longest
}

// JSON returns an encoding/json document with what encoding/json leaves
// raw in strings escaped as \uXXXX: DEL, C1 controls, bidirectional
// formatting characters, and the '[' of "##[". The document's value is
// unchanged (those characters occur only inside strings), and printed it
// can neither run a workflow command nor drive a terminal.
func JSON(doc []byte) []byte {
	var b strings.Builder
	hashes := 0
	for _, r := range strings.ToValidUTF8(string(doc), "\uFFFD") {
		if docEscaped(r, hashes) {
			fmt.Fprintf(&b, `\u%04x`, r)
		} else {
			b.WriteRune(r)
		}
		hashes = hashesAfter(r, hashes)
	}
	return []byte(b.String())
}

// docEscaped reports whether JSON escapes r, which follows hashes '#'
// in a row: encoding/json leaves it raw, and printed it could drive a
// terminal or, as the '[' of "##[", start a workflow command.
func docEscaped(r rune, hashes int) bool {
	return isControl(r) && r >= 0x20 || r == '[' && hashes >= 2
}

// hashesAfter returns how many '#' in a row end at r, given how many
// ended just before it.
func hashesAfter(r rune, hashes int) int {
	if r == '#' {
		return hashes + 1
	}
	return 0
}

// WriteJSONString writes s to w as the JSON string encoding/json makes of
// it (with its HTML escaping), escaped further as JSON escapes a document,
// so that JSON applied to a document holding the string would leave it
// as written. It needs no copy of s: it escapes s through a small buffer.
func WriteJSONString(w io.Writer, s string) error {
	const hex = "0123456789abcdef"
	b := bufio.NewWriterSize(w, 4096)
	b.WriteByte('"')
	hashes := 0
	for i := 0; i < len(s); {
		if run := jsonPlainRun(s[i:]); run > 0 {
			b.WriteString(s[i : i+run])
			i += run
			hashes = 0
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\ufffd`)
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20, r == '<', r == '>', r == '&', r == 0x2028, r == 0x2029, docEscaped(r, hashes):
			b.WriteString(`\u`)
			for shift := 12; shift >= 0; shift -= 4 {
				b.WriteByte(hex[r>>shift&0xf])
			}
		default:
			b.WriteRune(r)
		}
		hashes = hashesAfter(r, hashes)
	}
	b.WriteByte('"')
	if err := b.Flush(); err != nil {
		return fmt.Errorf("gha: %w", err)
	}
	return nil
}

// jsonPlainRun returns how many bytes at the start of s WriteJSONString
// writes as they are, whatever comes before: printable ASCII but for the
// quote, the backslash, '<', '>', '&', '#' and '['.
func jsonPlainRun(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || strings.IndexByte(`"\<>&#[`, c) >= 0 {
			return i
		}
	}
	return len(s)
}
