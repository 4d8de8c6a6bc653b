package pep440

import (
	"slices"
	"strings"
)

// SpecifierSet is a comma-separated list of specifiers that must all hold,
// such as ">=3.9,!=3.10.*" (a Requires-Python value). It is an immutable
// value. The zero SpecifierSet is empty and contains every final release.
type SpecifierSet struct {
	specs []Specifier // distinct, in the order first written
}

// ParseSpecifierSet parses a comma-separated list of specifiers. Empty
// items are skipped, so "" is the empty set. Specifiers that are the same
// clause in another spelling (">=1.0" and ">=1.0.0") are kept once, as
// packaging keeps them in a set. The error is the *InvalidSpecifierError
// of the first invalid item.
func ParseSpecifierSet(s string) (SpecifierSet, error) {
	var set SpecifierSet
	for item := range strings.SplitSeq(s, ",") {
		item = strings.Trim(item, spaces)
		if item == "" {
			continue
		}
		sp, err := ParseSpecifier(item)
		if err != nil {
			return SpecifierSet{}, err
		}
		key := sp.key()
		if !slices.ContainsFunc(set.specs, func(o Specifier) bool { return o.key() == key }) {
			set.specs = append(set.specs, sp)
		}
	}
	return set, nil
}

// MustParseSpecifierSet is like ParseSpecifierSet but panics on error.
func MustParseSpecifierSet(s string) SpecifierSet {
	set, err := ParseSpecifierSet(s)
	if err != nil {
		panic("pep440: " + err.Error())
	}
	return set
}

// key identifies a specifier up to spelling, as packaging's Specifier
// equality does: the operator and canonicalize_version of the version as
// written, trailing zeros kept for "~=" (where they change the meaning).
// A version that does not parse ("1.0.*", or arbitrary text) stays as
// written.
func (s Specifier) key() string {
	v, err := Parse(s.text)
	switch {
	case err != nil:
		return s.op + s.text
	case s.op == "~=":
		return s.op + v.String()
	}
	return s.op + v.Trimmed()
}

// Specifiers returns the specifiers of the set, in the order written.
func (s SpecifierSet) Specifiers() []Specifier { return slices.Clone(s.specs) }

// Len returns the number of distinct specifiers in the set.
func (s SpecifierSet) Len() int { return len(s.specs) }

// String returns the specifiers sorted and joined with ",", as packaging
// does: ParseSpecifierSet(">=1.0, !=1.5").String() is "!=1.5,>=1.0".
func (s SpecifierSet) String() string {
	strs := make([]string, len(s.specs))
	for i, sp := range s.specs {
		strs[i] = sp.String()
	}
	slices.Sort(strs)
	return strings.Join(strs, ",")
}

// Prereleases reports whether the set admits pre-releases by default:
// whether any of its specifiers does (see [Specifier.Prereleases]).
func (s SpecifierSet) Prereleases() bool {
	return slices.ContainsFunc(s.specs, Specifier.Prereleases)
}

// Contains reports whether v satisfies every specifier of the set. A
// pre-release or dev release v is refused unless prereleases is true; pass
// s.Prereleases() for packaging's default, SpecifierSet.contains(v).
func (s SpecifierSet) Contains(v Version, prereleases bool) bool {
	if v.IsPrerelease() && !prereleases {
		return false
	}
	for _, sp := range s.specs {
		if !sp.matches(v) {
			return false
		}
	}
	return true
}
