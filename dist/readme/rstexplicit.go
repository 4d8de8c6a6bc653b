package readme

import (
	"regexp"
	"strings"
)

const simplename = `[\p{L}\p{N}]+(?:[-._+:][\p{L}\p{N}]+)*`

var (
	reFootnote = regexp.MustCompile(`^\.\.[ ]+\[([0-9]+|#|#` + simplename + `|\*)\]([ ]+|$)`)
	reCitation = regexp.MustCompile(`^\.\.[ ]+\[(` + simplename + `)\]([ ]+|$)`)
	reTarget   = regexp.MustCompile(`^\.\.[ ]+_[^ ]`)
	reSubstDef = regexp.MustCompile(`^\.\.[ ]+\|[^ ]`)
)

// directiveName matches "name::" (docutils: simplename, an optional
// space, "::", then spaces or the end) at the start of s.
func directiveName(s string) (name string, end int, ok bool) {
	if !strings.Contains(s, "::") {
		return "", 0, false
	}
	for _, e := range simplenameEnds(s, 0) {
		k := e
		if k < len(s) && s[k] == ' ' {
			k++
		}
		if m := markerEnd(s[k:], "::"); m >= 0 {
			return s[:e], k + m, true
		}
	}
	return "", 0, false
}

// explicitList parses consecutive explicit markup blocks (docutils'
// Explicit state).
func (p *parser) explicitList(lines []string, i, first int, parent *node) int {
	var blankFinish bool
	for {
		i, blankFinish = p.explicitConstruct(lines, i, first, parent)
		j := i
		for j < len(lines) && isBlank(lines[j]) {
			j++
		}
		if j >= len(lines) || !(isExplicit(lines[j]) || isAnonTarget(lines[j])) {
			break
		}
		i = j
	}
	if !blankFinish {
		p.unindent("Explicit markup", first+i)
	}
	return i
}

// explicitConstruct parses one explicit markup block at lines[i].
func (p *parser) explicitConstruct(lines []string, i, first int, parent *node) (int, bool) {
	line := lines[i]
	ln := first + i
	if e := markerEnd(line, "__"); e >= 0 {
		m := []int{0, e}
		block, n, bf := getFirstKnownIndented(lines, i, m[1], true)
		p.makeTarget(block, "", ln)
		addTag(parent, nodeInvisible, "target", ln)
		return i + n, bf
	}
	var footnote, citation []int
	if strings.HasPrefix(strings.TrimLeft(line[2:], " "), "[") {
		footnote = reFootnote.FindStringSubmatchIndex(line)
		citation = reCitation.FindStringSubmatchIndex(line)
	}
	afterDots := len(line) - len(strings.TrimLeft(line[2:], " "))
	dirName, dirEnd, isDirective := directiveName(line[afterDots:])
	if m := footnote; m != nil {
		return p.footnote(lines, i, first, parent, line[m[2]:m[3]], m[1])
	}
	if m := citation; m != nil {
		block, n, bf := getFirstKnownIndented(lines, i, m[1], false)
		p.explicitTarget(normalizeName(line[m[2]:m[3]]), "", ln)
		addTag(parent, nodeBody, "citation", ln)
		block, skip := stripTop(block)
		p.noteContent(block, "Citation", ln+n-1)
		p.nested(framesField, block, ln+skip, &node{})
		return i + n, bf
	}
	if reTarget.MatchString(line) {
		return p.hyperlinkTarget(lines, i, first, parent)
	}
	if reSubstDef.MatchString(line) {
		return p.substitutionDef(lines, i, first, parent)
	}
	if isDirective && afterDots > 2 {
		return p.directive(lines, i, first, parent, dirName, afterDots+dirEnd, "")
	}
	// A comment.
	rest := line[markerEnd(line, ".."):]
	if strings.TrimSpace(rest) == "" && (i+1 >= len(lines) || isBlank(lines[i+1])) {
		addTag(parent, nodeInvisible, "empty_comment", ln)
		return i + 1, true
	}
	n, _, bf := indentedSpan(lines, i, false, -1, len(line)-len(rest))
	addTag(parent, nodeInvisible, "comment", ln)
	return i + n, bf
}

func (p *parser) footnote(lines []string, i, first int, parent *node, label string, end int) (int, bool) {
	ln := first + i
	block, n, bf := getFirstKnownIndented(lines, i, end, false)
	name := normalizeName(label)
	switch {
	case name == "#":
		p.refs.autoFootnotes = append(p.refs.autoFootnotes, ln)
	case name[0] == '#':
		p.refs.autoFootnotes = append(p.refs.autoFootnotes, 0)
		p.refs.labelledFootnotes[name[1:]] = true
		p.explicitTarget(name[1:], "", ln)
	case name == "*":
		p.refs.symbolFootnotes++
	default:
		p.explicitTarget(name, "", ln)
	}
	addTag(parent, nodeBody, "footnote", ln)
	block, skip := stripTop(block)
	p.noteContent(block, "Footnote", ln+n-1)
	p.nested(framesField, block, ln+skip, &node{})
	return i + n, bf
}

// noteContent is docutils' warning for a footnote or citation with
// no content, at the last line the construct took.
func (p *parser) noteContent(block []string, what string, last int) {
	if len(trimBlankEnd(block)) == 0 {
		p.report(LevelWarning, last, what+" content expected.")
	}
}

// hyperlinkTarget parses ".. _name: uri", ".. _name: ref_" or ".. _name:".
func (p *parser) hyperlinkTarget(lines []string, i, first int, parent *node) (int, bool) {
	ln := first + i
	start := strings.Index(lines[i], "_") + 1
	block, n, bf := firstStripped(lines, i, true, start)
	name, end, k, escaped := matchJoined(block, "", escape2null, matchTargetName)
	if k < 0 {
		p.report(LevelWarning, ln+n-1, "malformed hyperlink target.")
	}
	rest := append([]string{}, block[k:]...)
	rest[0] = strings.TrimSpace(suffix(escaped, end))
	for j := 1; j < len(rest); j++ {
		rest[j] = escape2null(rest[j])
	}
	if p.makeTarget(rest, name, ln) {
		addTag(parent, nodeInvisible, "info", ln)
	}
	addTag(parent, nodeInvisible, "target", ln)
	return i + n, bf
}

// firstStripped is getFirstKnownIndented that keeps the indentation of
// all but the first line, as docutils with strip_indent=False.
func firstStripped(lines []string, i int, untilBlank bool, first int) ([]string, int, bool) {
	n, _, bf := indentedSpan(lines, i, untilBlank, -1, first)
	block := lines[i : i+n]
	block[0] = suffix(block[0], first)
	return block, n, bf
}

// matchJoined matches a name that may run over several lines of block:
// it tries the first line, escaped, then the first two joined by sep with
// the second cleaned, and so on, as docutils does. It returns the match,
// the index of the line it ends on (-1 if none) and the joined text. The
// text is joined once, each attempt is a prefix of it, and match resumes
// near the previous prefix's end: only its last few candidates could
// match once more text follows. (docutils joins and rescans anew each
// time, quadratic in the lines of a name that never ends.)
func matchJoined(block []string, sep string, clean func(string) string,
	match func(s string, from int) (string, int, bool)) (name string, end, k int, joined string) {
	var b strings.Builder
	ends := make([]int, len(block))
	for j, l := range block {
		if j == 0 {
			b.WriteString(escape2null(l))
		} else {
			b.WriteString(sep + clean(l))
		}
		ends[j] = b.Len()
	}
	s := b.String()
	from := 0
	for k, e := range ends {
		if name, end, ok := match(s[:e], from); ok {
			return name, end, k, s[:e]
		}
		from = max(0, e-4)
	}
	return "", 0, -1, s
}

// matchTargetName matches docutils' explicit target pattern against the
// text after ".. _", returning the raw name ("" for anonymous "__:") and
// where the link block starts.
func matchTargetName(s string, from int) (string, int, bool) {
	colonEnd := func(k int) (int, bool) { // at s[k:]: optional space, ':', then spaces or end
		if k < len(s) && s[k] == ' ' {
			k++
		}
		if k >= len(s) || s[k] != ':' {
			return 0, false
		}
		k++
		if k < len(s) && s[k] != ' ' {
			return 0, false
		}
		for k < len(s) && s[k] == ' ' {
			k++
		}
		return k, true
	}
	if strings.HasPrefix(s, "_") {
		if e, ok := colonEnd(1); ok {
			return "", e, true
		}
		return "", 0, false
	}
	quote := 0
	if strings.HasPrefix(s, "`") {
		quote = 1
	}
	if len(s) <= quote || s[quote] == ' ' || s[quote] == '`' {
		return "", 0, false
	}
	for k := max(quote+1, from); k <= len(s); k++ {
		last := s[k-1]
		if last == ' ' || last == 0 || last == '\n' {
			continue
		}
		e := k
		if quote == 1 {
			if e >= len(s) || s[e] != '`' {
				continue
			}
			e++
		} else if last == ':' && (k < 2 || s[k-2] != 0) {
			continue
		}
		if end, ok := colonEnd(e); ok {
			return s[quote:k], end, true
		}
	}
	return "", 0, false
}

var (
	reSimpleRef = regexp.MustCompile(`^(` + simplename + `)_$`)
	rePhraseRef = regexp.MustCompile("^`([^ ].*?)`_$")
)

// makeTarget records a target from its link block (docutils' make_target).
// makeTarget records a hyperlink target; it reports whether docutils
// adds an INFO message to the target's parent, as addTarget.
func (p *parser) makeTarget(block []string, name string, line int) bool {
	refuri := ""
	if len(block) > 0 && strings.HasSuffix(strings.TrimSpace(block[len(block)-1]), "_") {
		parts := make([]string, len(block))
		for k, l := range block {
			parts[k] = strings.TrimSpace(l)
		}
		ref := strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
		refname := ""
		if m := reSimpleRef.FindStringSubmatch(ref); m != nil {
			refname = m[1]
		} else if m := rePhraseRef.FindStringSubmatch(ref); m != nil && !strings.HasSuffix(m[1], " ") && !strings.HasSuffix(m[1], "\x00") {
			refname = m[1]
		}
		if refname != "" {
			return p.indirectTarget(normalizeName(unescape(name)), normalizeName(unescape(refname)), line)
		}
	}
	refuri = strings.Join(strings.Fields(unescape(strings.Join(block, " "))), "")
	if name == "" {
		p.refs.anonymousTargets++
		return false
	}
	return p.explicitTarget(normalizeName(unescape(name)), refuri, line)
}

// substitutionDef parses ".. |name| directive:: ...".
func (p *parser) substitutionDef(lines []string, i, first int, parent *node) (int, bool) {
	ln := first + i
	start := strings.Index(lines[i], "|") + 1
	block, n, bf := firstStripped(lines, i, false, start)
	name, end, k, escaped := matchJoined(block, " ", func(l string) string { return escape2null(strings.TrimSpace(l)) }, matchSubstName)
	if k < 0 {
		p.report(LevelWarning, ln+n-1, "malformed substitution definition.")
	}
	rest := append([]string{}, block[k:]...)
	rest[0] = strings.TrimSpace(suffix(escaped, end))
	skip := k
	if rest[0] == "" {
		rest = rest[1:]
		skip++
	}
	rest = trimBlankEnd(rest)
	wsName := strings.Join(strings.Fields(unescape(name)), " ")
	if len(rest) == 0 {
		p.report(LevelWarning, ln, `Substitution definition "`+name+`" missing contents.`)
	}
	rest[0] = strings.TrimSpace(rest[0])
	dirName, dirEnd, ok := directiveName(rest[0])
	if !ok {
		p.report(LevelWarning, ln, `Substitution definition "`+name+`" empty or invalid.`)
	}
	// Run the directive on the remaining block, as if it started a line.
	sub := append([]string{rest[0]}, rest[1:]...)
	def := &substDef{line: ln}
	outer := p.refs.inSubst
	p.refs.inSubst = def
	p.directive(sub, 0, ln+skip, &node{}, dirName, dirEnd, wsName)
	p.refs.inSubst = outer
	if def.illegal != "" {
		p.report(LevelError, ln, def.illegal+" are not supported in a substitution definition.")
	}
	p.noteSubstitution(wsName, def)
	addTag(parent, nodeInvisible, "substitution_definition", ln)
	return i + n, bf
}

// matchSubstName matches "name| " at the start of s.
func matchSubstName(s string, from int) (string, int, bool) {
	if s == "" || s[0] == ' ' {
		return "", 0, false
	}
	for k := max(1, from); k < len(s); k++ {
		if s[k] != '|' || s[k-1] == ' ' || s[k-1] == 0 || s[k-1] == '\t' {
			continue
		}
		e := k + 1
		if e < len(s) && s[e] != ' ' {
			continue
		}
		return s[:k], e, true
	}
	return "", 0, false
}

// escape2null marks backslash-escaped characters with a NUL prefix, as
// docutils does before matching markup.
func escape2null(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			b.WriteByte(0)
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// unescape drops escape marks and escaped whitespace.
func unescape(s string) string {
	for _, sep := range []string{"\x00 ", "\x00\n", "\x00"} {
		s = strings.ReplaceAll(s, sep, "")
	}
	return s
}

// normalizeName is docutils' fully_normalize_name.
func normalizeName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
