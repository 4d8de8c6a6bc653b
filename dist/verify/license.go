package verify

import (
	"errors"
	"regexp"
	"strings"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// spdxLicense is one entry of the SPDX licence list.
type spdxLicense struct {
	ID         string // canonical id, e.g. "Apache-2.0"
	Deprecated bool   // deprecated by SPDX, still accepted by packaging
}

var (
	// licenseRefRE is what may follow "LicenseRef-" (packaging's rule).
	licenseRefRE = regexp.MustCompile(`^[A-Za-z0-9.-]*$`)
	padParens    = strings.NewReplacer("(", " ( ", ")", " ) ")
	tightParens  = strings.NewReplacer("( ", "(", " )", ")")
)

// CanonicalLicenseExpression is packaging 26.2's
// canonicalize_license_expression: it checks an SPDX expression against
// SPDX list SPDXListVersion and returns its canonical form ("mit or
// apache-2.0" -> "MIT OR Apache-2.0"). Like packaging, it accepts
// lowercase operators, a bare "LicenseRef-", a trailing "+" on any
// licence and "WITH" after a parenthesised group. The error's text is
// packaging's (e.g. "Unknown license: 'foo'").
func CanonicalLicenseExpression(expr string) (string, error) {
	invalid := func() error { return errors.New("Invalid license expression: " + pyfmt.Repr(expr)) }
	if expr == "" {
		return "", invalid()
	}
	padded := padParens.Replace(expr)
	refs := map[string]string{}
	for _, tok := range pySplit(padded) {
		if low := pyLower(tok); strings.HasPrefix(low, "licenseref-") {
			refs[low] = "LicenseRef-" + string([]rune(tok)[len("licenseref-"):])
		}
	}
	tokens := pySplit(pyLower(padded))
	if !wellFormedLicense(tokens) {
		return "", invalid()
	}
	out := make([]string, 0, len(tokens))
	for _, tok := range tokens {
		switch tok {
		case "or", "and", "with", "(", ")":
			out = append(out, strings.ToUpper(tok))
			continue
		}
		if len(out) > 0 && out[len(out)-1] == "WITH" {
			id, ok := spdxExceptions[tok]
			if !ok {
				return "", errors.New("Unknown license exception: " + pyfmt.Repr(tok))
			}
			out = append(out, id)
			continue
		}
		base, suffix := tok, ""
		if strings.HasSuffix(tok, "+") {
			base, suffix = tok[:len(tok)-1], "+"
		}
		if strings.HasPrefix(base, "licenseref-") {
			ref, ok := refs[base]
			if !licenseRefRE.MatchString(base) || !ok {
				// packaging 26.2 raises KeyError (HTTP 500) when the
				// "+" form is the only spelling of the reference.
				return "", errors.New("Invalid licenseref: " + pyfmt.Repr(base))
			}
			out = append(out, ref+suffix)
			continue
		}
		lic, ok := spdxLicenses[base]
		if !ok {
			return "", errors.New("Unknown license: " + pyfmt.Repr(base))
		}
		out = append(out, lic.ID+suffix)
	}
	return tightParens.Replace(strings.Join(out, " ")), nil
}

// wellFormedLicense checks the grammar packaging checks by compiling a
// Python expression: operand ((and|or|with) operand)*, where an operand
// is a licence token or a parenthesised expression.
func wellFormedLicense(tokens []string) bool {
	pos := 0
	var expr func() bool
	operand := func() bool {
		if pos >= len(tokens) {
			return false
		}
		switch tokens[pos] {
		case "(":
			pos++
			if !expr() || pos >= len(tokens) || tokens[pos] != ")" {
				return false
			}
			pos++
			return true
		case ")", "and", "or", "with":
			return false
		}
		pos++
		return true
	}
	expr = func() bool {
		if !operand() {
			return false
		}
		for pos < len(tokens) {
			switch tokens[pos] {
			case "and", "or", "with":
				pos++
				if !operand() {
					return false
				}
			default:
				return true
			}
		}
		return true
	}
	return expr() && pos == len(tokens)
}

// LicenseExpression checks the License-Expression field. PyPI's message
// drops packaging's cause, which Detail keeps.
func LicenseExpression(v string) error {
	if _, err := CanonicalLicenseExpression(v); err != nil {
		e := newError("license-expression", RuleLicenseExpression, pyfmt.Repr(v)+" is invalid for 'license-expression'")
		e.addDetail(err.Error())
		return e
	}
	return nil
}
