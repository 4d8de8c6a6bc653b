package verify

import "strings"

// quotedEscaper escapes a quoted string's backslashes and quotes again.
var quotedEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// ParseAddr is Python's email.utils.parseaddr(addr) in its strict mode
// (CPython 3.11.2+deb12u6, 3.13 and later): the display name and the
// address of the one address in addr, or ("", "") when addr holds
// unbalanced parentheses, no address, more than one address, or a "["
// left in the address. Warehouse checks only what this returns, so a field
// listing several authors is never checked by PyPI.
func ParseAddr(addr string) (name, address string) {
	if !balancedParentheses(addr) {
		addr = "('', '')"
	}
	p := &addrParser{field: []rune(addr)}
	var list []mailbox
	if len(p.field) > 0 {
		list = p.addressList()
	}
	if len(list) != 1 || strings.Contains(list[0].address, "[") {
		return "", ""
	}
	return list[0].name, list[0].address
}

type mailbox struct{ name, address string }

// escapedChars yields addr's characters with a backslash kept on the
// character it escapes (a trailing lone backslash stays alone).
func escapedChars(addr []rune, yield func(pos int, ch string)) {
	escape := false
	pos := 0
	for i, r := range addr {
		pos = i
		switch {
		case escape:
			yield(i, `\`+string(r))
			escape = false
		case r == '\\':
			escape = true
		default:
			yield(i, string(r))
		}
	}
	if escape {
		yield(pos, `\`)
	}
}

// stripQuotedRealnames removes "quoted" spans, as CPython's
// _strip_quoted_realnames does before counting parentheses.
func stripQuotedRealnames(addr []rune) []rune {
	start, open := 0, -1
	var out []rune
	escapedChars(addr, func(pos int, ch string) {
		if ch != `"` {
			return
		}
		if open < 0 {
			open = pos
			return
		}
		if start != open {
			out = append(out, addr[start:open]...)
		}
		start, open = pos+1, -1
	})
	if start < len(addr) {
		out = append(out, addr[start:]...)
	}
	return out
}

func balancedParentheses(addr string) bool {
	opens := 0
	ok := true
	escapedChars(stripQuotedRealnames([]rune(addr)), func(_ int, ch string) {
		switch ch {
		case "(":
			opens++
		case ")":
			opens--
			if opens < 0 {
				ok = false
			}
		}
	})
	return ok && opens == 0
}

// addrParser is CPython's email._parseaddr.AddrlistClass.
type addrParser struct {
	field    []rune
	pos      int
	comments []string
}

const (
	addrSpecials = `()<>@,:;."[]`
	addrLWS      = " \t"
	addrCR       = "\r\n"
	atomEnds     = addrSpecials + addrLWS + addrCR
	phraseEnds   = `()<>@,:;"[]` + addrLWS + addrCR
)

func (p *addrParser) more() bool { return p.pos < len(p.field) }

func (p *addrParser) at(set string) bool {
	return p.more() && strings.ContainsRune(set, p.field[p.pos])
}

func (p *addrParser) cur() rune { return p.field[p.pos] }

// skip skips white space and collects comments, returning the spaces
// and tabs it skipped.
func (p *addrParser) skip() string {
	var ws []rune
	for p.more() {
		switch c := p.cur(); {
		case strings.ContainsRune(addrLWS+"\n\r", c):
			if c != '\n' && c != '\r' {
				ws = append(ws, c)
			}
			p.pos++
		case c == '(':
			p.comments = append(p.comments, p.comment())
		default:
			return string(ws)
		}
	}
	return string(ws)
}

func (p *addrParser) addressList() []mailbox {
	var out []mailbox
	for p.more() {
		if ad := p.address(); len(ad) > 0 {
			out = append(out, ad...)
		} else {
			out = append(out, mailbox{})
		}
	}
	return out
}

func (p *addrParser) address() []mailbox {
	p.comments = nil
	p.skip()
	oldPos := p.pos
	phrases := p.phraseList()
	p.skip()
	var out []mailbox
	switch {
	case !p.more():
		if len(phrases) > 0 {
			out = []mailbox{{strings.Join(p.comments, " "), phrases[0]}}
		}
	case p.at(".@"):
		// CPython restores the position but not the comments (its saved
		// list is the same object), so comments read so far count twice.
		p.pos = oldPos
		spec := p.addrSpec()
		out = []mailbox{{strings.Join(p.comments, " "), spec}}
	case p.cur() == ':':
		p.pos++
		for p.more() {
			p.skip()
			if p.at(";") {
				p.pos++
				break
			}
			out = append(out, p.address()...)
		}
	case p.cur() == '<':
		route := p.routeAddr()
		name := strings.Join(phrases, " ")
		if len(p.comments) > 0 {
			name += " (" + strings.Join(p.comments, " ") + ")"
		}
		out = []mailbox{{name, route}}
	default:
		if len(phrases) > 0 {
			out = []mailbox{{strings.Join(p.comments, " "), phrases[0]}}
		} else if p.at(addrSpecials) {
			p.pos++
		}
	}
	p.skip()
	if p.at(",") {
		p.pos++
	}
	return out
}

func (p *addrParser) routeAddr() string {
	expectRoute := false
	p.pos++
	p.skip()
	spec := ""
	for p.more() {
		switch {
		case expectRoute:
			p.domain()
			expectRoute = false
		case p.cur() == '>':
			p.pos++
			return spec
		case p.cur() == '@':
			p.pos++
			expectRoute = true
		case p.cur() == ':':
			p.pos++
		default:
			spec = p.addrSpec()
			p.pos++
			return spec
		}
		p.skip()
	}
	return spec
}

func (p *addrParser) addrSpec() string {
	var parts []string
	p.skip()
	dropTrailingSpace := func() {
		if n := len(parts); n > 0 && pyStrip(parts[n-1]) == "" {
			parts = parts[:n-1]
		}
	}
loop:
	for p.more() {
		preserveWS := true
		switch c := p.cur(); {
		case c == '.':
			dropTrailingSpace()
			parts = append(parts, ".")
			p.pos++
			preserveWS = false
		case c == '"':
			q := quotedEscaper.Replace(p.quote())
			parts = append(parts, `"`+q+`"`)
		case strings.ContainsRune(atomEnds, c):
			dropTrailingSpace()
			break loop
		default:
			parts = append(parts, p.atom(atomEnds))
		}
		if ws := p.skip(); preserveWS && ws != "" {
			parts = append(parts, ws)
		}
	}
	if !p.at("@") {
		return strings.Join(parts, "")
	}
	parts = append(parts, "@")
	p.pos++
	p.skip()
	d := p.domain()
	if d == "" {
		return ""
	}
	return strings.Join(parts, "") + d
}

func (p *addrParser) domain() string {
	var parts []string
	for p.more() {
		switch c := p.cur(); {
		case strings.ContainsRune(addrLWS, c):
			p.pos++
		case c == '(':
			p.comments = append(p.comments, p.comment())
		case c == '[':
			parts = append(parts, "["+p.delimited('[', "]\r", false)+"]")
		case c == '.':
			p.pos++
			parts = append(parts, ".")
		case c == '@':
			return ""
		case strings.ContainsRune(atomEnds, c):
			return strings.Join(parts, "")
		default:
			parts = append(parts, p.atom(atomEnds))
		}
	}
	return strings.Join(parts, "")
}

func (p *addrParser) delimited(begin rune, ends string, comments bool) string {
	if p.cur() != begin {
		return ""
	}
	var out []string
	quoted := false
	p.pos++
	for p.more() {
		c := p.cur()
		switch {
		case quoted:
			out = append(out, string(c))
			quoted = false
		case strings.ContainsRune(ends, c):
			p.pos++
			return strings.Join(out, "")
		case comments && c == '(':
			out = append(out, p.comment())
			continue
		case c == '\\':
			quoted = true
		default:
			out = append(out, string(c))
		}
		p.pos++
	}
	return strings.Join(out, "")
}

func (p *addrParser) quote() string   { return p.delimited('"', "\"\r", false) }
func (p *addrParser) comment() string { return p.delimited('(', ")\r", true) }

func (p *addrParser) atom(ends string) string {
	start := p.pos
	for p.more() && !strings.ContainsRune(ends, p.cur()) {
		p.pos++
	}
	return string(p.field[start:p.pos])
}

func (p *addrParser) phraseList() []string {
	var out []string
	for p.more() {
		switch c := p.cur(); {
		case strings.ContainsRune(addrLWS+addrCR, c):
			p.pos++
		case c == '"':
			out = append(out, p.quote())
		case c == '(':
			p.comments = append(p.comments, p.comment())
		case strings.ContainsRune(phraseEnds, c):
			return out
		default:
			out = append(out, p.atom(phraseEnds))
		}
	}
	return out
}
