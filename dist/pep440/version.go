package pep440

import (
	"regexp"
	"strings"
)

// Version is a parsed PEP 440 version. It is an immutable value: copies
// share nothing that can change. The zero Version is version "0".
// Versions are not comparable with ==: use [Version.Equal] or [Compare],
// or Trimmed as a map key (equal versions have equal Trimmed forms).
//
// Every number is held as a decimal digit string without leading zeros,
// so versions such as "1.99999999999999999999999" keep their value.
type Version struct {
	epoch   string   // "" when the epoch is 0
	release []string // at least one number once parsed; nil in the zero Version
	preL    string   // "", "a", "b" or "rc"
	preN    string   // the pre-release number when preL != ""
	post    string   // "" when there is no post-release segment
	dev     string   // "" when there is no dev-release segment
	local   []string // lowercase segments, numeric ones without leading zeros
}

// versionRE is packaging's permissive version grammar, applied to the
// lowercased, trimmed input. Groups: 1 epoch, 2 release, 3 pre letter,
// 4 pre number, 5 implicit post number ("-N"), 6 post letter, 7 post
// number, 8 dev letter, 9 dev number, 10 local.
var versionRE = regexp.MustCompile(`^v?(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)` +
	`(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?` +
	`(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?` +
	`(?:[-_.]?(dev)[-_.]?([0-9]+)?)?` +
	`(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$`)

// spaces are the characters trimmed around a version or a specifier.
const spaces = " \t\n\r\f\v"

// Parse parses a PEP 440 version in any spelling packaging accepts.
// The error is an *InvalidVersionError.
func Parse(s string) (Version, error) {
	t := strings.Trim(s, spaces)
	if !isASCII(t) {
		return Version{}, &InvalidVersionError{Version: s}
	}
	m := versionRE.FindStringSubmatch(strings.ToLower(t))
	if m == nil {
		return Version{}, &InvalidVersionError{Version: s}
	}
	v := Version{epoch: number(m[1])}
	if v.epoch == "0" {
		v.epoch = ""
	}
	v.release = strings.Split(m[2], ".")
	for i, n := range v.release {
		v.release[i] = number(n)
	}
	if m[3] != "" {
		v.preL = preLetter(m[3])
		v.preN = orZero(m[4])
	}
	switch {
	case m[5] != "":
		v.post = number(m[5])
	case m[6] != "":
		v.post = orZero(m[7])
	}
	if m[8] != "" {
		v.dev = orZero(m[9])
	}
	if m[10] != "" {
		v.local = strings.FieldsFunc(m[10], isLocalSeparator)
		for i, seg := range v.local {
			if isDigits(seg) {
				v.local[i] = number(seg)
			}
		}
	}
	return v, nil
}

// MustParse is like Parse but panics if s is not a valid version. It is
// meant for constants in programs and tests.
func MustParse(s string) Version {
	v, err := Parse(s)
	if err != nil {
		panic("pep440: " + err.Error())
	}
	return v
}

// IsCanonical reports whether s is a version in canonical form, that is
// whether Parse(s).String() == s.
func IsCanonical(s string) bool {
	v, err := Parse(s)
	return err == nil && v.String() == s
}

// String returns the canonical (normalised) form of v, as packaging's
// str(Version(...)) does: "1.0RC1" is "1.0rc1", "v1.0-1" is "1.0.post1".
func (v Version) String() string {
	var b strings.Builder
	v.writePublic(&b, false)
	if len(v.local) > 0 {
		b.WriteByte('+')
		b.WriteString(v.Local())
	}
	return b.String()
}

// Trimmed returns the canonical form with trailing ".0" release numbers
// removed ("1.0.0" is "1"), as packaging's canonicalize_version does. PEP
// 625 and PyPI use it to decide whether two versions name the same release.
func (v Version) Trimmed() string {
	var b strings.Builder
	v.writePublic(&b, true)
	if len(v.local) > 0 {
		b.WriteByte('+')
		b.WriteString(v.Local())
	}
	return b.String()
}

// writePublic writes the public version, without or with trailing zeros
// in the release.
func (v Version) writePublic(b *strings.Builder, trim bool) {
	if v.epoch != "" {
		b.WriteString(v.epoch)
		b.WriteByte('!')
	}
	rel := v.release
	if trim {
		rel = trimZeros(rel)
	}
	if len(rel) == 0 {
		b.WriteByte('0')
	}
	for i, n := range rel {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(n)
	}
	if v.preL != "" {
		b.WriteString(v.preL)
		b.WriteString(v.preN)
	}
	if v.post != "" {
		b.WriteString(".post")
		b.WriteString(v.post)
	}
	if v.dev != "" {
		b.WriteString(".dev")
		b.WriteString(v.dev)
	}
}

// Epoch returns the epoch as a decimal string ("0" when there is none).
func (v Version) Epoch() string { return orZero(v.epoch) }

// Release returns the numbers of the release segment as decimal strings:
// ["1", "2", "0"] for "1.02.0".
func (v Version) Release() []string {
	if len(v.release) == 0 {
		return []string{"0"}
	}
	return append([]string(nil), v.release...)
}

// Local returns the local version label in canonical form ("ubuntu.1" for
// "1.0+Ubuntu-1"), or "" when v has none.
func (v Version) Local() string { return strings.Join(v.local, ".") }

// Public returns v without its local version label.
func (v Version) Public() Version {
	v.local = nil
	return v
}

// BaseVersion returns the epoch and release of v only: "1!2.0" for
// "1!2.0rc1.post2.dev3+local".
func (v Version) BaseVersion() Version {
	return Version{epoch: v.epoch, release: v.release}
}

// IsPrerelease reports whether v is a pre-release or a development
// release ("1.0a1", "1.0.dev0"), as packaging's is_prerelease does.
func (v Version) IsPrerelease() bool { return v.preL != "" || v.dev != "" }

// IsPostrelease reports whether v has a post-release segment.
func (v Version) IsPostrelease() bool { return v.post != "" }

// IsDevrelease reports whether v has a development-release segment.
func (v Version) IsDevrelease() bool { return v.dev != "" }

// preLetter maps the pre-release spellings to "a", "b" or "rc".
func preLetter(s string) string {
	switch s {
	case "alpha", "a":
		return "a"
	case "beta", "b":
		return "b"
	}
	return "rc" // c, pre, preview, rc
}

// number returns the digit string s without leading zeros ("0" for zero,
// "" for "").
func number(s string) string {
	t := strings.TrimLeft(s, "0")
	if t == "" && s != "" {
		return "0"
	}
	return t
}

// orZero returns number(s), or "0" when s is empty (an implicit number).
func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return number(s)
}

// trimZeros returns rel without its trailing "0" numbers.
func trimZeros(rel []string) []string {
	n := len(rel)
	for n > 0 && rel[n-1] == "0" {
		n--
	}
	return rel[:n]
}

func isLocalSeparator(r rune) bool { return r == '.' || r == '-' || r == '_' }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
