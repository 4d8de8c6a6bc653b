package pep440

import (
	"cmp"
	"strings"
)

// Compare returns -1, 0 or +1 as a sorts before, equal to or after b in
// PEP 440 order. Versions that differ only in spelling or in trailing
// zeros of the release are equal: Compare("1.0", "1.0.0") == 0.
//
// The order is epoch, release, then pre-release (a dev release of a
// release with no pre- or post-release sorts before its alphas),
// post-release, dev release, and last the local label, whose numeric
// segments sort after alphanumeric ones.
func Compare(a, b Version) int {
	if c := cmpNum(a.epoch, b.epoch); c != 0 {
		return c
	}
	if c := cmpRelease(trimZeros(a.release), trimZeros(b.release)); c != 0 {
		return c
	}
	if c := cmpPre(a, b); c != 0 {
		return c
	}
	// A missing post-release sorts first, a missing dev release last.
	if c := cmpOptional(a.post, b.post, -1); c != 0 {
		return c
	}
	if c := cmpOptional(a.dev, b.dev, +1); c != 0 {
		return c
	}
	return cmpLocal(a.local, b.local)
}

// Compare is Compare(v, w).
func (v Version) Compare(w Version) int { return Compare(v, w) }

// Equal reports whether v and w are the same version (Compare == 0).
func (v Version) Equal(w Version) bool { return Compare(v, w) == 0 }

// cmpNum compares digit strings without leading zeros by value.
func cmpNum(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return +1
	}
	return strings.Compare(a, b)
}

func cmpRelease(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := cmpNum(a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

// cmpPre compares the pre-release keys: a bare dev release ("1.0.dev1")
// sorts before every pre-release, a final release after them.
func cmpPre(a, b Version) int {
	if c := cmp.Compare(preRank(a), preRank(b)); c != 0 || a.preL == "" {
		return c
	}
	if c := strings.Compare(a.preL, b.preL); c != 0 { // "a" < "b" < "rc"
		return c
	}
	return cmpNum(a.preN, b.preN)
}

func preRank(v Version) int {
	switch {
	case v.preL != "":
		return 1
	case v.post == "" && v.dev != "":
		return 0
	}
	return 2
}

// cmpOptional compares optional numbers; missing sorts as missing (-1 for
// before every number, +1 for after).
func cmpOptional(a, b string, missing int) int {
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return missing
	case b == "":
		return -missing
	}
	return cmpNum(a, b)
}

// cmpLocal compares local labels: none sorts first; segment by segment,
// numbers by value after words, words as strings; then the longer wins.
func cmpLocal(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		an, bn := isDigits(a[i]), isDigits(b[i])
		var c int
		switch {
		case an && bn:
			c = cmpNum(a[i], b[i])
		case an:
			c = +1
		case bn:
			c = -1
		default:
			c = strings.Compare(a[i], b[i])
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}
