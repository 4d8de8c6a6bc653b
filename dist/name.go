package dist

import "strings"

// ValidName reports whether name is a valid project name (PEP 508, core
// metadata "Name"): ASCII letters, digits, ".", "_" and "-", starting and
// ending with a letter or digit. The test is byte-wise on purpose: a
// case-insensitive regexp would also let through letters such as "ſ"
// (U+017F) and "K" (U+212A), which fold to ASCII.
func ValidName(name string) bool {
	if name == "" || !isAlnum(name[0]) || !isAlnum(name[len(name)-1]) {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isAlnum(c) && !isNameSeparator(c) {
			return false
		}
	}
	return true
}

// NormalizeName returns the PEP 503 normalised form of a project name:
// lowercase, with every run of "-", "_" and "." replaced by one "-"
// ("FrIeNdLy-._.-bArD" is "friendly-bard"). Like packaging's
// canonicalize_name it does not validate the name first.
func NormalizeName(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	sep := false
	for _, r := range strings.ToLower(name) {
		if r < 0x80 && isNameSeparator(byte(r)) {
			sep = true
			continue
		}
		if sep {
			b.WriteByte('-')
			sep = false
		}
		b.WriteRune(r)
	}
	if sep {
		b.WriteByte('-')
	}
	return b.String()
}

// NormalizeExtra returns the normalised form of an extra name
// (Provides-Extra, PEP 685), which is the normalised form of a name.
func NormalizeExtra(extra string) string { return NormalizeName(extra) }

// IsNormalizedName reports whether name is already a valid name in
// normalised form: lowercase ASCII letters and digits in runs joined by
// single "-". Metadata 2.3 and later require extras in this form.
func IsNormalizedName(name string) bool {
	return ValidName(name) && NormalizeName(name) == name
}

// EscapeName returns the form of a project name used in file names: the
// normalised name with "-" replaced by "_" ("Foo.Bar" is "foo_bar").
func EscapeName(name string) string {
	return strings.ReplaceAll(NormalizeName(name), "-", "_")
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isNameSeparator(c byte) bool { return c == '-' || c == '_' || c == '.' }
