package readme

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// halt carries the first message of level WARNING or above out of the
// parser: readme_renderer runs docutils with halt_level 2, so nothing after
// that message matters.
type halt struct{ err *Error }

// nodeKind is the little of docutils' doctree the document pass needs.
type nodeKind int

const (
	nodeBody       nodeKind = iota // renders something
	nodeInvisible                  // comment, target, substitution definition
	nodeSection                    // a section; children follow its title
	nodeTransition                 // a transition marker
)

type node struct {
	kind     nodeKind
	tag      string // docutils' node class where a check needs it
	name     string // a field's name
	oneLine  bool   // a field whose body is at most one line
	line     int
	children []*node
}

// parser holds the state of one reStructuredText check.
type parser struct {
	src   string   // the description
	lines []string // its lines as written, cut by splitLines
	end   int      // endLine of the lines as written

	// Sections, as docutils' memo.title_styles and section_level.
	titleStyles []string
	sections    []*node // open sections, outermost first
	doc         *node

	refs refState

	roles       map[string]string // declared role name -> base role
	defaultRole string

	// curLine is the state machine's current line, which docutils uses
	// for messages that give no line of their own; paragraphLine is that
	// line while a paragraph's inline markup is parsed (0 otherwise).
	curLine, paragraphLine int
	// nodeLineDelta shifts the line recorded for references, which
	// docutils reports at their parent node's line: a section title's is
	// its underline's, a line-block directive's lines' are not those it
	// parses them at.
	nodeLineDelta int

	decorated bool // a header or footer was seen

	// frames is the Python stack docutils would be using for the nesting
	// being parsed (see nested).
	frames int
}

// checkRST checks src as readme_renderer's rst.render would.
func checkRST(src string) (e *Error) {
	p := &parser{doc: &node{kind: nodeSection}, roles: map[string]string{}}
	p.refs.init()
	defer func() {
		if r := recover(); r != nil {
			h, ok := r.(halt)
			if !ok {
				panic(r)
			}
			e = h.err
		}
	}()
	p.src, p.lines = src, splitLines(src)
	for k, l := range p.lines {
		if utf8.RuneCountInString(l) > lineLengthLimit {
			// docutils checks this before it parses, and gives no line.
			p.report(LevelError, 0, "Line "+itoa(k+1)+" exceeds the line-length-limit.")
		}
	}
	// Parsing strips indentation from the lines in place; the document's
	// end is judged on the lines as written.
	p.end = p.endLine()
	p.body(p.lines, 1, p.doc, true)
	p.resolve()
	p.transitions(p.doc)
	p.dangling()
	if p.empty() {
		return &Error{Message: noContent}
	}
	return nil
}

// lineLengthLimit is docutils' default line_length_limit, in characters.
const lineLengthLimit = 10000

// The Python stack that docutils' parser uses per level of nesting, in
// frames, measured with docutils 0.23 under CPython 3.11 by finding the
// depth at which readme_renderer.rst.render raises RecursionError under
// recursion limits 1000 and 2000: each construct's body is a nested
// state machine.
const (
	framesIndented = 6  // block quote, list item, definition, option
	framesField    = 7  // field, footnote, citation
	framesNested   = 9  // directive content, table cell
	framesQuoted   = 10 // epigraph, highlights and pull-quote content
)

// maxFrames bounds the frames nesting may use. Python's default recursion
// limit is 1000 frames; docutils' fixed overhead takes about 25 of them
// (measured as above) and the caller's stack the rest, which we cannot
// see: Warehouse calls readme_renderer deep inside its request handling,
// twine from its command line. With no caller at all docutils fails from
// about 977 frames of nesting (163 nested lists); we pass at most 800
// (133 nested lists, 114 nested fields, 88 nested admonitions), so a
// description we pass leaves PyPI room for a caller 175 frames deep. Only
// grid table cells were measured among tables; simple table cells are
// assumed to cost the same.
const maxFrames = 800

// tooDeep is the message for nesting docutils cannot parse: Python raises
// RecursionError, which readme_renderer does not catch.
const tooDeep = "Nesting too deep: docutils exceeds Python's recursion limit here (RecursionError), so PyPI cannot render the description."

// nested parses an element's body, which costs docutils the given frames
// of Python stack, as docutils' nested_parse.
func (p *parser) nested(frames int, lines []string, first int, parent *node) {
	if p.frames+frames > maxFrames {
		// An empty last item's body starts past the last line.
		panic(halt{&Error{Line: min(first, len(p.lines)), Message: tooDeep}})
	}
	p.frames += frames
	p.body(lines, first, parent, false)
	p.frames -= frames
}

// report records a docutils system message; level 2 and above halt.
func (p *parser) report(level Level, line int, msg string) {
	if level >= LevelWarning {
		panic(halt{&Error{Line: line, Level: level, Message: msg}})
	}
}

// Line patterns of docutils' Body state.
var (
	reOption = regexp.MustCompile(`^` + optPat + `(, ` + optPat + `)*(  +| ?$)`)
)

const (
	optArg = `([a-zA-Z][a-zA-Z0-9_-]*|<[^<>]+>)`
	optPat = `((-|\+)[a-zA-Z0-9]( ?` + optArg + `)?|(--|/)[a-zA-Z0-9][a-zA-Z0-9_-]*([ =]` + optArg + `)?)`
)

// markerEnd returns the end of marker and the spaces after it when line
// starts with marker followed by spaces or the end ("( +|$)"), else -1.
func markerEnd(line, marker string) int {
	if !strings.HasPrefix(line, marker) {
		return -1
	}
	e := len(marker)
	if e < len(line) && line[e] != ' ' {
		return -1
	}
	for e < len(line) && line[e] == ' ' {
		e++
	}
	return e
}

// bulletEnd is markerEnd for any bullet character.
func bulletEnd(line string) int {
	r, n := utf8.DecodeRuneInString(line)
	switch r {
	case '-', '+', '*', '\u2022', '\u2023', '\u2043':
		return markerEnd(line, line[:n])
	}
	return -1
}

func isBullet(line string) bool    { return bulletEnd(line) >= 0 }
func isDoctest(line string) bool   { return markerEnd(line, ">>>") >= 0 }
func isLineBlock(line string) bool { return markerEnd(line, "|") >= 0 }
func isExplicit(line string) bool  { return markerEnd(line, "..") >= 0 }
func isAnonTarget(line string) bool {
	return markerEnd(line, "__") >= 0
}

// isGridBorder matches "+-[-+]+-+" (fill '-') or "+=[=+]+=+" (fill '=').
func isGridBorder(line string, fill byte) bool {
	t := strings.TrimRight(line, " ")
	if len(t) < 5 || t[0] != '+' || t[1] != fill || t[len(t)-1] != '+' || t[len(t)-2] != fill {
		return false
	}
	for i := 2; i < len(t)-2; i++ {
		if t[i] != fill && t[i] != '+' {
			return false
		}
	}
	return true
}

// isSimpleTop matches "=+( +=+)+ *".
func isSimpleTop(line string) bool {
	t := strings.TrimRight(line, " ")
	return t != "" && t[0] == '=' && strings.Trim(t, "= ") == "" && strings.Contains(t, " =")
}

// enumIndexes holds regexp-style submatch indexes of an enumerator.
type enumIndexes [8]int

// matchEnum matches docutils' enumerator pattern: "(t)", "t)" or "t."
// where t is arabic digits, one letter, a run of roman-numeral letters of
// one case, or "#", followed by spaces or the end. It returns regexp-style
// indexes: the match end in m[1] and the text as group 1 (parens), 2
// (rparen) or 3 (period); ok is false when there is no match.
func matchEnum(line string) (m enumIndexes, ok bool) {
	m = enumIndexes{0, -1, -1, -1, -1, -1, -1, -1}
	start := 0
	if strings.HasPrefix(line, "(") {
		start = 1
	}
	end := start
	for end < len(line) && (isASCIIAlnum(line[end]) || line[end] == '#') {
		end++
	}
	if end == len(line) || !validEnumText(line[start:end]) {
		return m, false
	}
	var group int
	switch {
	case start == 1 && line[end] == ')':
		group = 2
	case start == 0 && line[end] == ')':
		group = 4
	case start == 0 && line[end] == '.':
		group = 6
	default:
		return m, false
	}
	e := markerEnd(line[end+1:], "")
	if e < 0 {
		return m, false
	}
	m[1], m[group], m[group+1] = end+1+e, start, end
	return m, true
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func validEnumText(t string) bool {
	switch {
	case t == "":
		return false
	case t == "#", len(t) == 1 && isASCIIAlnum(t[0]):
		return true
	}
	return strings.Trim(t, "0123456789") == "" || strings.Trim(t, "ivxlcdm") == "" || strings.Trim(t, "IVXLCDM") == ""
}

func isOptionStart(line string) bool {
	return line[0] == '-' || line[0] == '+' || line[0] == '/'
}

// isAdornment matches docutils' "line" pattern: one 7-bit punctuation
// character repeated, optionally followed by spaces.
func isAdornment(s string) bool {
	s = strings.TrimRight(s, " ")
	if s == "" || !isPunct7(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] != s[0] {
			return false
		}
	}
	return true
}

func isPunct7(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// body parses body elements, as docutils' Body state; first is the
// line number of lines[0]. titles is docutils' match_titles.
func (p *parser) body(lines []string, first int, parent *node, titles bool) {
	for i := 0; i < len(lines); {
		if titles {
			parent = p.container()
		}
		i = p.bodyElement(lines, i, first, parent, titles)
	}
}

// bodyElement parses the element starting at lines[i] and returns the
// index of the line after it.
func (p *parser) bodyElement(lines []string, i, first int, parent *node, titles bool) int {
	line := lines[i]
	ln := first + i
	switch {
	case isBlank(line):
		return i + 1
	case line[0] == ' ':
		block, n, blankFinish := getIndented(lines, i, false)
		addTag(parent, nodeBody, "block_quote", ln)
		p.nested(framesIndented, block, ln, &node{})
		if !blankFinish {
			p.report(LevelWarning, ln+n, "Block quote ends without a blank line; unexpected unindent.")
		}
		return i + n
	case isBullet(line):
		return p.bulletList(lines, i, first, parent)
	}
	if m, ok := matchEnum(line); ok {
		if n, ok := p.enumList(lines, i, first, parent, m); ok {
			return n
		}
		return p.text(lines, i, first, parent, titles)
	}
	if end := fieldMarkerEnd(line); end > 0 {
		return p.fieldList(lines, i, first, parent)
	}
	if isOptionStart(line) && reOption.MatchString(line) {
		return p.optionList(lines, i, first, parent, titles)
	}
	switch {
	case isDoctest(line):
		n := textBlockEnd(lines, i)
		addTag(parent, nodeBody, "doctest_block", ln)
		return n
	case isLineBlock(line):
		return p.lineBlock(lines, i, first, parent)
	case isGridBorder(line, '-'):
		return p.gridTable(lines, i, first, parent)
	case isSimpleTop(line):
		return p.simpleTable(lines, i, first, parent)
	case isExplicit(line) || isAnonTarget(line):
		return p.explicitList(lines, i, first, parent)
	case isAdornment(line):
		return p.adornmentLine(lines, i, first, parent, titles)
	}
	return p.text(lines, i, first, parent, titles)
}

func add(parent *node, k nodeKind, line int) *node {
	return addTag(parent, k, "", line)
}

func addTag(parent *node, k nodeKind, tag string, line int) *node {
	n := &node{kind: k, tag: tag, line: line}
	parent.children = append(parent.children, n)
	return n
}

// textBlockEnd is the index of the first blank line at or after i.
func textBlockEnd(lines []string, i int) int {
	for i < len(lines) && !isBlank(lines[i]) {
		i++
	}
	return i
}

// unindent reports docutils' "X ends without a blank line" warning.
func (p *parser) unindent(what string, line int) {
	p.report(LevelWarning, line, what+" ends without a blank line; unexpected unindent.")
}
