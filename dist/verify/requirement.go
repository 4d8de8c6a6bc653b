package verify

import (
	"sort"
	"strings"

	"github.com/trustpub/pypi/dist/pep440"
	"github.com/trustpub/pypi/internal/pyfmt"
)

// Requirement is a parsed PEP 508 dependency specifier, as packaging 26.2
// parses it.
type Requirement struct {
	Name      string   // as written
	Extras    []string // as written, in order
	Specifier string   // the specifier tokens as written, e.g. ">=1.0,<2"; "" if none
	URL       string   // the direct reference after "@"; "" if none
	Marker    Marker   // nil if none
}

// Marker is a parsed environment marker: a sequence of terms, each a
// MarkerItem or a nested Marker, separated by "and"/"or" strings.
type Marker []any

// MarkerItem is one comparison. Exactly one of each side is a variable
// (Var true) or a quoted value.
type MarkerItem struct {
	Left, Right MarkerOperand
	Op          string // "==", "in", "not in", ...
}

// MarkerOperand is a marker variable (normalised as packaging does:
// "os.name" -> "os_name") or a string value (Python escapes decoded).
type MarkerOperand struct {
	Var   bool
	Value string
}

func (o MarkerOperand) serialize() string {
	if o.Var {
		return o.Value
	}
	return `"` + o.Value + `"`
}

// ParseRequirement parses a PEP 508 requirement with packaging's grammar
// and messages. A syntax error is a *SyntaxError (packaging's
// InvalidRequirement text, caret diagram included); an error packaging
// would not catch (a bad specifier hidden in "===", a bad Python escape in
// a marker string) is an ordinary error.
func ParseRequirement(s string) (*Requirement, error) {
	p := &reqParser{t: tokenizer{src: []rune(s)}}
	r, err := p.requirement()
	if err != nil {
		return nil, err
	}
	if _, err := pep440.ParseSpecifierSet(r.Specifier); err != nil {
		return nil, err
	}
	return r, nil
}

type reqParser struct{ t tokenizer }

func (p *reqParser) requirement() (*Requirement, error) {
	t := &p.t
	t.consume(tokWS)
	name, err := t.expect(tokIdentifier, "package name at the start of dependency specifier")
	if err != nil {
		return nil, err
	}
	t.consume(tokWS)
	r := &Requirement{Name: name}
	if r.Extras, err = p.extras(); err != nil {
		return nil, err
	}
	t.consume(tokWS)
	if err := p.details(r); err != nil {
		return nil, err
	}
	if _, err := t.expect(tokEnd, "end of dependency specifier"); err != nil {
		return nil, err
	}
	return r, nil
}

func (p *reqParser) details(r *Requirement) error {
	t := &p.t
	var err error
	if t.check(tokAt) {
		t.read(tokAt)
		t.consume(tokWS)
		urlStart := t.pos
		if r.URL, err = t.expect(tokURL, "URL after @"); err != nil {
			return err
		}
		if t.check(tokEnd) {
			return nil
		}
		if _, err := t.expect(tokWS, "whitespace after URL"); err != nil {
			return err
		}
		if t.check(tokEnd) {
			return nil
		}
		r.Marker, err = p.requirementMarker(urlStart, "semicolon (after URL and whitespace)")
		return err
	}
	specStart := t.pos
	if r.Specifier, err = p.specifier(); err != nil {
		return err
	}
	t.consume(tokWS)
	if t.check(tokEnd) {
		return nil
	}
	expected := "semicolon (after name with no version specifier)"
	if r.Specifier != "" {
		expected = "comma (within version specifier), semicolon (after version specifier)"
	}
	r.Marker, err = p.requirementMarker(specStart, expected)
	return err
}

func (p *reqParser) requirementMarker(spanStart int, expected string) (Marker, error) {
	t := &p.t
	if !t.check(tokSemicolon) {
		return nil, t.syntaxError("Expected "+expected+" or end", spanStart, t.pos)
	}
	t.read(tokSemicolon)
	m, err := p.marker()
	if err != nil {
		return nil, err
	}
	t.consume(tokWS)
	return m, nil
}

func (p *reqParser) extras() ([]string, error) {
	t := &p.t
	if !t.check(tokLeftBracket) {
		return nil, nil
	}
	var extras []string
	err := t.enclosed(tokLeftBracket, tokRightBracket, "extras", func() error {
		t.consume(tokWS)
		var err error
		extras, err = p.extrasList()
		t.consume(tokWS)
		return err
	})
	return extras, err
}

func (p *reqParser) extrasList() ([]string, error) {
	t := &p.t
	if !t.check(tokIdentifier) {
		return nil, nil
	}
	extras := []string{t.read(tokIdentifier)}
	for {
		t.consume(tokWS)
		if t.check(tokIdentifier) {
			return nil, t.syntaxError("Expected comma between extra names", t.pos, t.pos)
		}
		if !t.check(tokComma) {
			return extras, nil
		}
		t.read(tokComma)
		t.consume(tokWS)
		e, err := t.expect(tokIdentifier, "extra name after comma")
		if err != nil {
			return nil, err
		}
		extras = append(extras, e)
	}
}

func (p *reqParser) specifier() (string, error) {
	t := &p.t
	var spec string
	err := t.enclosed(tokLeftParen, tokRightParen, "version specifier", func() error {
		t.consume(tokWS)
		var err error
		spec, err = p.versionMany()
		t.consume(tokWS)
		return err
	})
	return spec, err
}

func (p *reqParser) versionMany() (string, error) {
	t := &p.t
	var b strings.Builder
	for t.check(tokSpecifier) {
		start := t.pos
		b.WriteString(t.read(tokSpecifier))
		if t.check(tokPrefixTrail) {
			return "", t.syntaxError(".* suffix can only be used with `==` or `!=` operators", start, t.pos+1)
		}
		if t.check(tokLocalTrail) {
			return "", t.syntaxError("Local version label can only be used with `==` or `!=` operators", start, t.pos)
		}
		t.consume(tokWS)
		if !t.check(tokComma) {
			break
		}
		b.WriteString(t.read(tokComma))
		t.consume(tokWS)
	}
	return b.String(), nil
}

func (p *reqParser) marker() (Marker, error) {
	t := &p.t
	atom, err := p.markerAtom()
	if err != nil {
		return nil, err
	}
	m := Marker{atom}
	for t.check(tokBoolOp) {
		op := t.read(tokBoolOp)
		atom, err := p.markerAtom()
		if err != nil {
			return nil, err
		}
		m = append(m, op, atom)
	}
	return m, nil
}

func (p *reqParser) markerAtom() (any, error) {
	t := &p.t
	t.consume(tokWS)
	var atom any
	var err error
	if t.check(tokLeftParen) {
		var inner Marker
		err = t.enclosed(tokLeftParen, tokRightParen, "marker expression", func() error {
			t.consume(tokWS)
			var err error
			inner, err = p.marker()
			t.consume(tokWS)
			return err
		})
		atom = inner
	} else {
		atom, err = p.markerItem()
	}
	if err != nil {
		return nil, err
	}
	t.consume(tokWS)
	return atom, nil
}

func (p *reqParser) markerItem() (MarkerItem, error) {
	t := &p.t
	t.consume(tokWS)
	left, err := p.markerVar()
	if err != nil {
		return MarkerItem{}, err
	}
	t.consume(tokWS)
	op, err := p.markerOp()
	if err != nil {
		return MarkerItem{}, err
	}
	t.consume(tokWS)
	right, err := p.markerVar()
	if err != nil {
		return MarkerItem{}, err
	}
	t.consume(tokWS)
	return MarkerItem{Left: left, Op: op, Right: right}, nil
}

func (p *reqParser) markerVar() (MarkerOperand, error) {
	t := &p.t
	switch {
	case t.check(tokVariable):
		v := strings.ReplaceAll(t.read(tokVariable), ".", "_")
		if v == "python_implementation" {
			v = "platform_python_implementation"
		}
		return MarkerOperand{Var: true, Value: v}, nil
	case t.check(tokQuotedString):
		start := t.pos
		q := t.read(tokQuotedString)
		v, err := pyStringLiteral(q)
		if err != nil {
			return MarkerOperand{}, t.syntaxError("Invalid Python string literal in marker ("+err.Error()+"); PyPI fails with an internal error (HTTP 500) here", start, t.pos)
		}
		return MarkerOperand{Value: v}, nil
	}
	return MarkerOperand{}, t.syntaxError("Expected a marker variable or quoted string", t.pos, t.pos)
}

func (p *reqParser) markerOp() (string, error) {
	t := &p.t
	switch {
	case t.check(tokIn):
		t.read(tokIn)
		return "in", nil
	case t.check(tokNot):
		t.read(tokNot)
		if _, err := t.expect(tokWS, "whitespace after 'not'"); err != nil {
			return "", err
		}
		if _, err := t.expect(tokIn, "'in' after 'not'"); err != nil {
			return "", err
		}
		return "not in", nil
	case t.check(tokOp):
		return t.read(tokOp), nil
	}
	return "", t.syntaxError("Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in", t.pos, t.pos)
}

// String renders the requirement as packaging's str(Requirement) does:
// name, sorted extras, the normalised specifier set, " @ url", then
// "; marker" with values in double quotes.
func (r *Requirement) String() string {
	var b strings.Builder
	b.WriteString(r.Name)
	if len(r.Extras) > 0 {
		set := map[string]bool{}
		var extras []string
		for _, e := range r.Extras {
			if !set[e] {
				set[e] = true
				extras = append(extras, e)
			}
		}
		sort.Strings(extras)
		b.WriteString("[" + strings.Join(extras, ",") + "]")
	}
	if spec, err := pep440.ParseSpecifierSet(r.Specifier); err == nil {
		b.WriteString(spec.String())
	}
	if r.URL != "" {
		b.WriteString(" @ " + r.URL)
		if r.Marker != nil {
			b.WriteString(" ")
		}
	}
	if r.Marker != nil {
		b.WriteString("; " + r.Marker.normalizeExtras().String())
	}
	return b.String()
}

// normalizeExtras canonicalises the value compared with "extra" in the
// top-level items, as packaging does when it builds a Requirement.
func (m Marker) normalizeExtras() Marker {
	out := make(Marker, len(m))
	for i, term := range m {
		if it, ok := term.(MarkerItem); ok {
			if it.Left.Var && it.Left.Value == "extra" && !it.Right.Var {
				it.Right.Value = canonicalName(it.Right.Value)
			} else if it.Right.Var && it.Right.Value == "extra" && !it.Left.Var {
				it.Left.Value = canonicalName(it.Left.Value)
			}
			term = it
		}
		out[i] = term
	}
	return out
}

// canonicalName is PEP 503 normalisation with Python's lower().
func canonicalName(s string) string {
	s = pyLower(s)
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r == '-' || r == '_' || r == '.' {
			dash = true
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteRune(r)
	}
	if dash {
		b.WriteByte('-')
	}
	return b.String()
}

// String renders the marker as packaging's str(Marker): items as
// `var op "value"`, nested groups in parentheses.
func (m Marker) String() string { return formatMarker(m, true) }

func formatMarker(term any, first bool) string {
	switch v := term.(type) {
	case Marker:
		if len(v) == 1 {
			switch v[0].(type) {
			case Marker, MarkerItem:
				return formatMarker(v[0], true)
			}
		}
		parts := make([]string, len(v))
		for i, t := range v {
			parts[i] = formatMarker(t, false)
		}
		if first {
			return strings.Join(parts, " ")
		}
		return "(" + strings.Join(parts, " ") + ")"
	case MarkerItem:
		return v.Left.serialize() + " " + v.Op + " " + v.Right.serialize()
	case string:
		return v
	}
	return ""
}

// RequiresDist checks one Requires-Dist value: packaging parses it (its
// message hides the parser's, which Detail keeps), then Warehouse refuses
// a direct reference, quoting the requirement as packaging re-serialises it.
func RequiresDist(v string) error {
	r, err := ParseRequirement(v)
	if err != nil {
		e := newError("requires-dist", RuleRequirement, pyfmt.Repr(v)+" is invalid for 'requires-dist'")
		e.addDetail(err.Error())
		return e
	}
	if r.URL != "" {
		return newError("requires-dist", RuleDirectReference, "Can't have direct dependency: "+r.String())
	}
	return nil
}

// DistRequirement checks one Provides-Dist or Obsoletes-Dist value (field
// "provides-dist" or "obsoletes-dist") as Warehouse does: its message
// carries packaging's, caret diagram included.
func DistRequirement(field, v string) error {
	r, err := ParseRequirement(v)
	if err != nil {
		return newError(field, RuleDistRequirement, pyfmt.Repr(v)+" is invalid: "+err.Error())
	}
	if r.URL != "" {
		return newError(field, RuleDirectReference, "Can't have direct dependency: "+pyfmt.Repr(v))
	}
	return nil
}

// RequiresPython checks the Requires-Python field: a PEP 440 specifier
// set, items separated by commas.
func RequiresPython(v string) error {
	if _, err := pep440.ParseSpecifierSet(v); err != nil {
		e := newError("requires-python", RuleRequiresPython, pyfmt.Repr(v)+" is invalid for 'requires-python'")
		e.addDetail(err.Error())
		return e
	}
	return nil
}
