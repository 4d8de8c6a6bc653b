package readme

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// markdownChunk is the size of the pieces checkMarkdown renders one at a
// time, so that a long description never becomes one whole syntax tree
// (about 30 times its size).
const markdownChunk = 1 << 20

// markdownDefinitionChunk is the size of the pieces a run of link
// reference definitions is cut into: goldmark's time grows with the
// square of such a run.
const markdownDefinitionChunk = 16 << 10

// checkMarkdown fails only when the Markdown renders to nothing (for
// example whitespace or only link reference definitions): Markdown has no
// syntax errors, but readme_renderer returns None for empty output.
func checkMarkdown(src string) *Error {
	return checkMarkdownChunks(src, markdownChunk)
}

// checkMarkdownChunks is checkMarkdown rendering src in pieces of about
// size bytes, each cut before a line that starts a block of its own: one
// that follows a blank line and is not indented, so that it continues no
// paragraph, list item or footnote. A piece that renders something makes
// the whole render something: what follows cannot remove output (later
// link definitions only turn text into links). A piece that renders
// nothing held only blank lines, link reference definitions and
// unreferenced footnotes, and left no block open, so the rest renders as
// it would alone.
//
// A run of link reference definitions has no blank line to cut at, and
// goldmark's time grows faster than the run; so a piece may also end
// after a line that is a whole definition (destination, and title if
// any, on the line) when the next line starts with '[': that line can be
// no title of it, so it starts a definition or text as it would alone.
//
// A piece longer than size has no such cut inside: it is judged from its
// first line without rendering it, since every block but a link
// reference definition or a footnote (both start with '[') renders
// something.
func checkMarkdownChunks(src string, size int) *Error {
	for src != "" {
		n := markdownCut(src, size)
		piece := src[:n]
		src = src[n:]
		if n > size && !mayRenderEmpty(piece) {
			return nil
		}
		if e := renderMarkdown(piece); e == nil || e.Message != "" {
			return e
		}
	}
	return &Error{}
}

// renderMarkdown renders src as readme_renderer does (GitHub Flavored
// Markdown with footnotes, raw HTML kept) and returns nil when the output
// is not empty.
func renderMarkdown(src string) *Error {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)
	var out bytes.Buffer
	if err := md.Convert([]byte(src), &out); err != nil {
		return &Error{Message: "readme: markdown: " + err.Error()}
	}
	if len(bytes.TrimSpace(out.Bytes())) > 0 {
		return nil
	}
	return &Error{}
}

// markdownSpace holds the bytes goldmark counts as white space in a line.
const markdownSpace = " \t\r\v\f"

// markdownCut returns the length of the first piece of src: up to the
// first line at or after size bytes that is not blank, does not start
// with white space and follows a blank line; all of src if there is none.
func markdownCut(src string, size int) int {
	defSize := min(size, markdownDefinitionChunk)
	blank, definition := false, false
	for i := 0; i < len(src); {
		line, _, _ := strings.Cut(src[i:], "\n")
		isBlank := strings.Trim(line, markdownSpace) == ""
		if !isBlank && (i >= size && blank && !strings.ContainsRune(markdownSpace, rune(line[0])) ||
			i >= defSize && definition && line[0] == '[') {
			return i
		}
		blank = isBlank
		definition = i+len(line) >= defSize && isLinkDefinition(line)
		i += len(line) + 1
	}
	return len(src)
}

// isLinkDefinition reports whether line is a whole link reference
// definition (not a footnote): up to three spaces, a label, a colon, a
// destination and an optional title closed on the same line. It
// allocates nothing: it runs on every line of a long description.
func isLinkDefinition(line string) bool {
	i := 0
	for i < 3 && i < len(line) && line[i] == ' ' {
		i++
	}
	if !strings.HasPrefix(line[i:], "[") || strings.HasPrefix(line[i:], "[^") {
		return false
	}
	i++
	label := i
	for i < len(line) && line[i] != ']' {
		if line[i] == '[' || line[i] == '\\' {
			return false
		}
		i++
	}
	if i == label || !strings.HasPrefix(line[i:], "]:") {
		return false
	}
	rest := strings.TrimLeft(line[i+2:], " \t")
	switch {
	case rest == "":
		return false
	case rest[0] == '<':
		end := strings.IndexByte(rest, '>')
		if end < 0 || strings.IndexByte(rest[1:end], '<') >= 0 {
			return false
		}
		rest = rest[end+1:]
	default:
		end := strings.IndexAny(rest, " \t")
		if end < 0 {
			return true
		}
		rest = rest[end:]
	}
	title := strings.TrimRight(rest, " \t")
	if title == "" {
		return true
	}
	if title[0] != ' ' && title[0] != '\t' {
		return false
	}
	title = strings.TrimLeft(title, " \t")
	var closer byte
	switch title[0] {
	case '"', '\'':
		closer = title[0]
	case '(':
		closer = ')'
	default:
		return false
	}
	if len(title) < 2 || title[len(title)-1] != closer {
		return false
	}
	inner := title[1 : len(title)-1]
	return strings.IndexByte(inner, closer) < 0 && (closer != ')' || strings.IndexByte(inner, '(') < 0)
}

// mayRenderEmpty reports whether src is blank or its first non-blank text
// is a '[', which may start a link reference definition or a footnote.
func mayRenderEmpty(src string) bool {
	rest := strings.TrimLeft(src, markdownSpace+"\n")
	return rest == "" || rest[0] == '['
}
