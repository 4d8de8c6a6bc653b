package readme

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A start-string found by docutils' "initial" inline pattern.
type inlineStart struct {
	start, end int    // the whole match (role included)
	kind       string // "**" "*" "``" "_`" "|" "`" "ref" "footnote"
	markStart  int    // start of the start-string proper (after a role)
	role       string // role prefix, without colons
	hasRole    bool
	name       string // ref: reference name; footnote: label
	refEnd     string // "_" or "__"
}

// isWordRune is Python's \w without the underscore.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) }

// forSimplenameEnds calls f with each possible end of a docutils
// simplename at s[i:], shortest first.
func forSimplenameEnds(s string, i int, f func(end int)) {
	j := i
	for {
		k := j
		for k < len(s) {
			r, n := utf8.DecodeRuneInString(s[k:])
			if !isWordRune(r) {
				break
			}
			k += n
		}
		if k == j {
			return
		}
		f(k)
		if k >= len(s) || !strings.ContainsRune("-._+:", rune(s[k])) {
			return
		}
		j = k + 1
	}
}

// simplenameEnds returns the possible ends of a simplename at s[i:],
// longest first.
func simplenameEnds(s string, i int) []int {
	var ends []int
	forSimplenameEnds(s, i, func(e int) { ends = append(ends, e) })
	slices.Reverse(ends)
	return ends
}

// nameChain is what the inline parser needs to know of a run of words
// joined by single simplename separators ("a.b-c"): a simplename may start
// at any word of it, and ends at one of the words' ends. Searching text
// such as "a.a.a.a" from each start would take time quadratic in the
// run's length, so findStart scans each run once and keeps, for the
// longest simplename from any start, the last end that a reference
// end-string or a role's ":`" follows.
type nameChain struct {
	start, end int    // the run scanned, as offsets in the text
	ref        int    // the last end followed by a reference end-string, or -1
	refEnd     string // that end-string: "_" or "__"
	role       int    // the last end followed by ":`", or -1
}

// at returns the run holding the word that starts at s[i], scanning
// it unless c already covers i.
func (c *nameChain) at(s string, i int) *nameChain {
	if c.start <= i && i < c.end {
		return c
	}
	*c = nameChain{start: i, end: i, ref: -1, role: -1}
	forSimplenameEnds(s, i, func(e int) {
		c.end = e
		for _, end := range []string{"__", "_"} {
			if strings.HasPrefix(s[e:], end) && endSuffixOK(s, e+len(end)) {
				c.ref, c.refEnd = e, end
				break
			}
		}
		if strings.HasPrefix(s[e:], ":`") {
			c.role = e
		}
	})
	return c
}

func runeAt(s string, i int) rune {
	if i < 0 || i >= len(s) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

func runeBefore(s string, i int) rune {
	if i <= 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

func spaceOrNUL(r rune) bool { return r == 0 || unicode.IsSpace(r) }

// nonSpaceAfter is docutils' (?!\s).
func nonSpaceAfter(s string, i int) bool { return i >= len(s) || !unicode.IsSpace(runeAt(s, i)) }

// findStart searches s for the next inline markup start, as docutils'
// patterns.initial.search does.
func findStart(s string) (inlineStart, bool) {
	prefixOK := true // at the start of the text
	var chain nameChain
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if prefixOK {
			if m, ok := startAt(s, i, &chain); ok {
				return m, true
			}
		}
		prefixOK = startPrefixOK(r)
		i += n
	}
	return inlineStart{}, false
}

func startAt(s string, i int, chain *nameChain) (inlineStart, bool) {
	rest := s[i:]
	for _, k := range []string{"**", "*", "``", "_`", "|"} {
		if !strings.HasPrefix(rest, k) {
			continue
		}
		e := i + len(k)
		if (k == "*" && runeAt(s, e) == '*') || (k == "|" && runeAt(s, e) == '|') {
			continue
		}
		if nonSpaceAfter(s, e) {
			return inlineStart{start: i, end: e, kind: k, markStart: i}, true
		}
	}
	// Reference name and end-string: the longest simplename followed by
	// "__" or "_" and an end-string suffix.
	if isWordRune(runeAt(s, i)) {
		if c := chain.at(s, i); c.ref > i {
			return inlineStart{start: i, end: c.ref + len(c.refEnd), kind: "ref", name: s[i:c.ref], refEnd: c.refEnd}, true
		}
	}
	// Footnote or citation reference. A label holds no bracket or space,
	// so the search for "]_" stops at the first.
	if strings.HasPrefix(rest, "[") {
		j := 1 + strings.IndexFunc(rest[1:], func(r rune) bool { return r == '[' || r == ']' || unicode.IsSpace(r) })
		if j > 1 && rest[j] == ']' && strings.HasPrefix(rest[j:], "]_") {
			label := rest[1:j]
			if validFootnoteLabel(label) && endSuffixOK(s, i+j+2) {
				return inlineStart{start: i, end: i + j + 2, kind: "footnote", name: label}, true
			}
		}
	}
	// Interpreted text or phrase reference, with an optional role.
	m := inlineStart{start: i, kind: "`", markStart: i}
	if strings.HasPrefix(rest, ":") && isWordRune(runeAt(s, i+1)) {
		if c := chain.at(s, i+1); c.role > i+1 {
			m.role, m.hasRole, m.markStart = s[i+1:c.role], true, c.role+1
		}
	}
	b := m.markStart
	if strings.HasPrefix(s[b:], "`") && !strings.HasPrefix(s[b:], "``") && nonSpaceAfter(s, b+1) {
		m.end = b + 1
		return m, true
	}
	return inlineStart{}, false
}

func validFootnoteLabel(l string) bool {
	switch {
	case l == "*", l == "#":
		return true
	case strings.Trim(l, "0123456789") == "":
		return true
	case l[0] == '#':
		l = l[1:]
	}
	ends := simplenameEnds(l, 0)
	return len(ends) > 0 && ends[0] == len(l)
}

// quotedStart is docutils' quoted_start: the start-string sits between a
// matching pair of quotes or brackets, or ends the text.
func quotedStart(s string, m inlineStart) bool {
	if m.start == 0 {
		return false
	}
	if m.end >= len(s) {
		return true
	}
	return matchChars(runeBefore(s, m.start), runeAt(s, m.end))
}

// findEnd searches s[from:] for the end-string of a simple inline object;
// it returns the end-string's start and end (relative to s), or ok false
// when the first candidate starts the text (docutils needs ≥ 1 character).
func findEnd(s string, from int, end string, allowEscapedBefore bool, suffixes []string) (int, int, bool) {
	sub := s[from:]
	for j := 0; j < len(sub); j++ {
		if !strings.HasPrefix(sub[j:], end) {
			continue
		}
		if j > 0 {
			prev := runeBefore(sub, j)
			if unicode.IsSpace(prev) || (prev == 0 && !allowEscapedBefore) {
				continue
			}
		}
		for _, suf := range suffixes {
			e := j + len(end)
			if strings.HasPrefix(sub[e:], suf) && endSuffixOK(sub, e+len(suf)) {
				if j == 0 {
					return 0, 0, false
				}
				return from + j, from + e + len(suf), true
			}
		}
	}
	return 0, 0, false
}

var inlineNames = map[string]string{"**": "strong", "*": "emphasis", "``": "literal", "_`": "target", "|": "substitution_reference"}

// inline parses a text block's inline markup as docutils' Inliner.parse,
// reporting at line.
func (p *parser) inline(text string, line int) {
	p.parseInline(text, line, nil)
}

// inlineText is inline, returning the text content (for names).
func (p *parser) inlineText(text string, line int) string {
	var out strings.Builder
	p.parseInline(text, line, &out)
	return unescape(out.String())
}

// write appends to the text content when it is wanted (out not nil).
func write(out *strings.Builder, s string) {
	if out != nil {
		out.WriteString(s)
	}
}

func (p *parser) parseInline(text string, line int, out *strings.Builder) {
	p.curLine = line
	if p.paragraphLine > 0 {
		p.curLine = p.paragraphLine
	}
	rem := escape2null(text)
	for rem != "" {
		m, ok := findStart(rem)
		if !ok {
			break
		}
		if m.kind == "ref" || m.kind == "footnote" {
			write(out, rem[:m.start])
			p.simpleReference(m, line)
			write(out, m.name)
			rem = rem[m.end:]
			continue
		}
		if m.kind == "`" {
			rem = p.interpreted(rem, m, line, out)
			continue
		}
		if quotedStart(rem, m) {
			write(out, rem[:m.end])
			rem = rem[m.end:]
			continue
		}
		var es, ee int
		var found bool
		switch m.kind {
		case "``":
			es, ee, found = findEnd(rem, m.end, "``", true, []string{""})
		case "|":
			es, ee, found = findEnd(rem, m.end, "|", false, []string{"__", "_", ""})
		case "_`":
			es, ee, found = findEnd(rem, m.end, "`", false, []string{""})
		default:
			es, ee, found = findEnd(rem, m.end, m.kind, false, []string{""})
		}
		if !found {
			p.report(LevelWarning, line, "Inline "+inlineNames[m.kind]+" start-string without end-string.")
		}
		inner := rem[m.end:es]
		switch m.kind {
		case "|":
			name := strings.Join(strings.Fields(unescape(inner)), " ")
			p.refs.noteUse(&p.refs.substRefs, refUse{name: name, line: line + p.nodeLineDelta, subst: true})
			if p.refs.inSubst != nil {
				p.refs.inSubst.refs = append(p.refs.inSubst.refs, name)
			}
			switch endstr := rem[es:ee]; {
			case strings.HasSuffix(endstr, "__"):
				p.substIllegal(illegalAnonymous)
				p.refs.anonymousRefs++
			case strings.HasSuffix(endstr, "_"):
				p.reference(normalizeName(unescape(inner)), line)
			}
		case "_`":
			p.substIllegal(illegalTarget)
			p.explicitTarget(normalizeName(unescape(inner)), "", line)
		}
		write(out, rem[:m.start])
		write(out, unescape(inner))
		rem = rem[ee:]
	}
	write(out, rem)
}

// simpleReference handles name_, name__ and [label]_.
func (p *parser) simpleReference(m inlineStart, line int) {
	if m.kind == "ref" {
		if m.refEnd == "__" {
			p.substIllegal(illegalAnonymous)
			p.refs.anonymousRefs++
		} else {
			p.reference(normalizeName(m.name), line)
		}
		return
	}
	label := normalizeName(m.name)
	if label[0] == '#' || label == "*" {
		p.substIllegal(illegalAutoRef)
	} else {
		p.substIllegal(illegalTarget) // the reference gets an id
	}
	switch {
	case label == "#":
		p.refs.autoRefs = append(p.refs.autoRefs, refUse{line: line})
	case label == "*":
		p.refs.symbolRefs = append(p.refs.symbolRefs, refUse{line: line})
	case label[0] == '#':
		// Without its footnote, it takes a number, so it never dangles.
		p.refs.autoRefs = append(p.refs.autoRefs, refUse{name: label[1:], line: line})
	default:
		p.reference(label, line)
	}
}

// interpEnd finds the end of interpreted text or a phrase reference in
// s[from:]: a backquote not preceded by unescaped whitespace, then an
// optional :role: and _ or __.
func interpEnd(s string, from int) (es, ee int, role string, hasRole bool, refEnd string, ok bool) {
	sub := s[from:]
	for j := 0; j < len(sub); j++ {
		if sub[j] != '`' {
			continue
		}
		if prev := runeBefore(sub, j); spaceOrNUL(prev) && runeBefore(sub, j-utf8.RuneLen(prev)) != 0 {
			continue
		}
		e := j + 1
		type cand struct {
			role    string
			hasRole bool
			at      int
		}
		cands := []cand{}
		if strings.HasPrefix(sub[e:], ":") {
			for _, k := range simplenameEnds(sub, e+1) {
				if strings.HasPrefix(sub[k:], ":") {
					cands = append(cands, cand{sub[e+1 : k], true, k + 1})
				}
			}
		}
		cands = append(cands, cand{at: e})
		for _, c := range cands {
			for _, r := range []string{"__", "_", ""} {
				if strings.HasPrefix(sub[c.at:], r) && endSuffixOK(sub, c.at+len(r)) {
					if j == 0 {
						return 0, 0, "", false, "", false
					}
					return from + j, from + c.at + len(r), c.role, c.hasRole, r, true
				}
			}
		}
	}
	return 0, 0, "", false, "", false
}

var reEmbeddedLink = regexp.MustCompile(`(?s)(?:[ \n]+|^)<([^<>\s\x00](?:[^<>]|\x00[<>])*)>$`)

// interpreted is docutils' interpreted_or_phrase_ref; it returns the text
// left to parse.
func (p *parser) interpreted(s string, m inlineStart, line int, out *strings.Builder) string {
	if !m.hasRole && quotedStart(s, m) {
		write(out, s[:m.end])
		return s[m.end:]
	}
	es, ee, endRole, endHasRole, refEnd, ok := interpEnd(s, m.end)
	if !ok {
		p.report(LevelWarning, line, "Inline interpreted text or phrase reference start-string without end-string.")
	}
	role, position := m.role, "prefix"
	if endHasRole {
		if m.hasRole {
			p.report(LevelWarning, line, "Multiple roles in interpreted text (both prefix and suffix present; only one allowed).")
		}
		role, position = endRole, "suffix"
	}
	hasRole := m.hasRole || endHasRole
	escaped := s[m.end:es]
	write(out, s[:m.start])
	if refEnd != "" {
		if hasRole {
			p.report(LevelWarning, line, "Mismatch: both interpreted text role "+position+" and reference suffix.")
		}
		write(out, p.phraseRef(escaped, refEnd == "__", line))
		return s[ee:]
	}
	p.role(role, hasRole, escaped, line)
	write(out, unescape(escaped))
	return s[ee:]
}

// phraseRef handles `text`_ , `text <uri>`_ and `text <alias_>`_.
func (p *parser) phraseRef(escaped string, anonymous bool, line int) string {
	text := escaped
	var loc []int
	if strings.HasSuffix(escaped, ">") {
		loc = reEmbeddedLink.FindStringSubmatchIndex(escaped)
	}
	if loc != nil && !spaceOrNUL(runeBefore(escaped, loc[3])) {
		alias := escaped[loc[2]:loc[3]]
		text = escaped[:loc[0]]
		isName := strings.HasSuffix(alias, "_") && !strings.HasSuffix(alias, "\x00_") && !reURIScheme.MatchString(alias)
		var aliasName string
		if isName {
			aliasName = normalizeName(unescape(alias[:len(alias)-1]))
		}
		if text == "" {
			text = alias
		}
		if !anonymous {
			p.substIllegal(illegalTarget) // the embedded target
		}
		refname := normalizeName(unescape(text))
		switch {
		case isName && anonymous:
			p.reference(aliasName, line)
		case isName:
			// docutils notes embedded targets as implicit ones.
			t := &target{name: refname, refname: aliasName, line: line}
			p.refs.indirect = append(p.refs.indirect, t)
			p.addTarget(t)
			p.reference(aliasName, line)
		case !anonymous:
			uri := strings.Join(strings.Fields(unescape(alias)), "")
			p.addTarget(&target{name: refname, refuri: uri, line: line})
		}
		return unescape(text)
	}
	if anonymous {
		p.substIllegal(illegalAnonymous)
		p.refs.anonymousRefs++
	} else {
		p.reference(normalizeName(unescape(text)), line)
	}
	return unescape(text)
}

var reURIScheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9.+-]*:|^[^@\s]+@[^@\s]+\.[a-zA-Z]`)

// Roles docutils knows (English names), by what using them does.
var (
	rolesOK = map[string]bool{"abbreviation": true, "ab": true, "acronym": true, "ac": true, "code": true,
		"emphasis": true, "literal": true, "math": true, "pep-reference": true, "pep": true,
		"rfc-reference": true, "rfc": true, "strong": true, "subscript": true, "sub": true,
		"superscript": true, "sup": true, "title-reference": true, "title": true, "t": true}
	rolesUnimplemented = map[string]bool{"index": true, "i": true, "named-reference": true,
		"anonymous-reference": true, "uri-reference": true, "uri": true, "url": true,
		"footnote-reference": true, "citation-reference": true, "substitution-reference": true,
		"target": true, "restructuredtext-unimplemented-role": true}
)

func (p *parser) knownRole(name string) bool {
	n := strings.ToLower(name)
	_, custom := p.roles[n]
	return custom || rolesOK[n] || rolesUnimplemented[n] || n == "raw"
}

// role applies an interpreted text role to text.
func (p *parser) role(name string, explicit bool, text string, line int) {
	if !explicit {
		if p.defaultRole == "" {
			return
		}
		name = p.defaultRole
	}
	n := strings.ToLower(name)
	if base, ok := p.roles[n]; ok {
		if base == "raw" {
			p.report(LevelWarning, p.curLine, "raw (and derived) roles disabled")
		}
		return
	}
	switch {
	case n == "raw":
		p.report(LevelWarning, p.curLine, "raw (and derived) roles disabled")
	case rolesUnimplemented[n]:
		p.report(LevelError, line, `Interpreted text role "`+name+`" not implemented.`)
	case !rolesOK[n]:
		p.report(LevelError, line, `Unknown interpreted text role "`+name+`".`)
	case n == "pep" || n == "pep-reference":
		v := unescape(text)
		if k, err := strconv.Atoi(strings.TrimSpace(v)); err != nil || k < 0 || k > 9999 {
			p.report(LevelError, line, `PEP number must be a number from 0 to 9999; "`+v+`" is invalid.`)
		}
	case n == "rfc" || n == "rfc-reference":
		v := unescape(text)
		num, _, _ := strings.Cut(v, "#")
		if k, err := strconv.Atoi(strings.TrimSpace(num)); err != nil || k < 1 {
			p.report(LevelError, line, `RFC number must be a number greater than or equal to 1; "`+num+`" is invalid.`)
		}
	}
}
