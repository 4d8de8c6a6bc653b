package pep440

import (
	"regexp"
	"strings"
	"unicode"
)

// Specifier is one PEP 440 version clause such as ">=1.0", "~=2.2",
// "==1.4.*" or "===foobar". It is an immutable value. The zero Specifier
// matches nothing.
type Specifier struct {
	op       string  // "~=", "==", "!=", "<=", ">=", "<", ">" or "==="
	text     string  // the version as written, trimmed
	v        Version // the version (without ".*"); unset for "==="
	wildcard bool    // "==V.*" or "!=V.*"
}

// The version grammars allowed after each operator, lowercased, as in
// packaging's specifier regex: "==" and "!=" allow a ".*" suffix (on a
// release only) or a local label; "~=" needs two release numbers; the
// others allow neither.
const (
	specRelease = `^v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)`
	specSuffix  = `(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?` +
		`(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?` +
		`(?:[-_.]?dev[-_.]?[0-9]*)?`
)

var (
	specEqualRE      = regexp.MustCompile(specRelease + `*(?:\.\*|` + specSuffix + `(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?)$`)
	specCompatibleRE = regexp.MustCompile(specRelease + `+` + specSuffix + `$`)
	specOrderedRE    = regexp.MustCompile(specRelease + `*` + specSuffix + `$`)
)

// operators in the order they are tried: the longest spelling first.
var operators = []string{"===", "~=", "==", "!=", "<=", ">=", "<", ">"}

// ParseSpecifier parses one specifier such as ">=1.0" or "== 1.4.*".
// Spaces around the operator and the version are allowed. The error is
// an *InvalidSpecifierError.
func ParseSpecifier(s string) (Specifier, error) {
	t := strings.Trim(s, spaces)
	bad := &InvalidSpecifierError{Specifier: s}
	var sp Specifier
	for _, op := range operators {
		if strings.HasPrefix(t, op) {
			sp.op = op
			break
		}
	}
	if sp.op == "" {
		return Specifier{}, bad
	}
	sp.text = strings.TrimLeft(t[len(sp.op):], spaces)
	if sp.op == "===" {
		// An arbitrary string, compared case-insensitively: anything but
		// spaces, ";" (a marker follows) and ")" (a closing parenthesis).
		if strings.ContainsFunc(sp.text, isArbitraryStop) {
			return Specifier{}, bad
		}
		return sp, nil
	}
	lower := strings.ToLower(sp.text)
	if !isASCII(lower) || !specGrammar(sp.op).MatchString(lower) {
		return Specifier{}, bad
	}
	version := sp.text
	if sp.wildcard = strings.HasSuffix(version, ".*"); sp.wildcard {
		version = version[:len(version)-2]
	}
	v, err := Parse(version)
	if err != nil { // unreachable: the grammars above are narrower than Parse's
		return Specifier{}, bad
	}
	sp.v = v
	return sp, nil
}

// MustParseSpecifier is like ParseSpecifier but panics on error.
func MustParseSpecifier(s string) Specifier {
	sp, err := ParseSpecifier(s)
	if err != nil {
		panic("pep440: " + err.Error())
	}
	return sp
}

func specGrammar(op string) *regexp.Regexp {
	switch op {
	case "==", "!=":
		return specEqualRE
	case "~=":
		return specCompatibleRE
	}
	return specOrderedRE
}

// isArbitraryStop reports the characters that end an arbitrary ("===")
// version: Python's whitespace, ";" and ")".
func isArbitraryStop(r rune) bool {
	return r == ';' || r == ')' || unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// String returns the operator and the version as written, without spaces:
// ParseSpecifier(">= 1.0RC1").String() is ">=1.0RC1", as in packaging.
func (s Specifier) String() string { return s.op + s.text }

// Operator returns the operator: "~=", "==", "!=", "<=", ">=", "<", ">" or "===".
func (s Specifier) Operator() string { return s.op }

// Version returns the version as written (with ".*" for a wildcard).
func (s Specifier) Version() string { return s.text }

// Prereleases reports whether s admits pre-releases by default: whether
// it is an inclusive clause (==, >=, <=, ~=, ===) naming a pre-release
// itself, as packaging's Specifier.prereleases property decides.
func (s Specifier) Prereleases() bool {
	switch s.op {
	case "==", ">=", "<=", "~=":
		return s.v.IsPrerelease()
	case "===":
		v, err := Parse(s.text)
		return err == nil && v.IsPrerelease()
	}
	return false
}

// Contains reports whether v satisfies s. A pre-release or dev release v
// is refused unless prereleases is true; pass s.Prereleases() to decide
// as packaging does by default.
func (s Specifier) Contains(v Version, prereleases bool) bool {
	if v.IsPrerelease() && !prereleases {
		return false
	}
	return s.matches(v)
}

// matches applies the operator to v, ignoring the pre-release policy.
func (s Specifier) matches(v Version) bool {
	switch s.op {
	case "===":
		return strings.EqualFold(v.String(), s.text)
	case "==":
		return s.equal(v)
	case "!=":
		return !s.equal(v)
	case "~=":
		// ~=V.N is >=V.N together with ==V.* (the release without its
		// last number; pre-, post- and dev segments are dropped).
		prefix := Specifier{op: "==", wildcard: true, v: Version{epoch: s.v.epoch, release: s.v.release[:len(s.v.release)-1]}}
		return Compare(v.Public(), s.v) >= 0 && prefix.equal(v)
	case "<=":
		return Compare(v.Public(), s.v) <= 0
	case ">=":
		return Compare(v.Public(), s.v) >= 0
	case "<":
		// <V excludes V's own pre-releases unless V is one.
		return Compare(v, s.v) < 0 &&
			(s.v.IsPrerelease() || !v.IsPrerelease() || !sameBase(v, s.v))
	case ">":
		// >V excludes V's own post-releases unless V is one, and local
		// versions of V.
		if Compare(v, s.v) <= 0 {
			return false
		}
		if !s.v.IsPostrelease() && v.IsPostrelease() && sameBase(v, s.v) {
			return false
		}
		return len(v.local) == 0 || !sameBase(v, s.v)
	}
	return false
}

// equal is the "==" test: a prefix match of the release for a wildcard;
// otherwise version equality, ignoring v's local label unless s has one.
func (s Specifier) equal(v Version) bool {
	if !s.wildcard {
		if len(s.v.local) == 0 {
			v = v.Public()
		}
		return Compare(v, s.v) == 0
	}
	if cmpNum(v.epoch, s.v.epoch) != 0 {
		return false
	}
	for i, n := range s.v.release {
		got := "0" // v's release is padded with zeros
		if i < len(v.release) {
			got = v.release[i]
		}
		if got != n {
			return false
		}
	}
	return true
}

func sameBase(a, b Version) bool { return Compare(a.BaseVersion(), b.BaseVersion()) == 0 }
