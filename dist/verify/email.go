package verify

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustpub/pypi/internal/pyfmt"
	"golang.org/x/net/idna"
)

// Email checks an Author-email or Maintainer-email field (field is
// "author-email" or "maintainer-email") as Warehouse does: the one
// address ParseAddr finds, if any, must pass ValidateEmail.
func Email(field, v string) error {
	_, address := ParseAddr(v)
	if address == "" {
		return nil
	}
	if err := ValidateEmail(address); err != nil {
		return newError(field, RuleEmail, pyfmt.Repr(address)+" is not a valid email address: "+err.Error())
	}
	return nil
}

// EmailError is email-validator's reason an address is invalid.
type EmailError struct{ Reason string }

// Error returns the reason, in email-validator's words.
func (e *EmailError) Error() string { return e.Reason }

func emailErr(format string, args ...any) error {
	return &EmailError{Reason: fmt.Sprintf(format, args...)}
}

const (
	atext        = "a-zA-Z0-9_!#\\$%&'\\*\\+\\-/=\\?\\^`\\{\\|\\}~"
	atextIntl    = atext + "\u0080-\U0010FFFF"
	hostLabel    = `(?:(?:[a-zA-Z0-9][a-zA-Z0-9\-]*)?[a-zA-Z0-9])`
	maxEmailLen  = 254
	maxDomainLen = 253
	maxLabelLen  = 63
)

var (
	dotAtomText     = regexp.MustCompile(`^[` + atext + `]+(?:\.[` + atext + `]+)*$`)
	dotAtomTextIntl = regexp.MustCompile(`^[` + atextIntl + `]+(?:\.[` + atextIntl + `]+)*$`)
	atextIntlDot    = regexp.MustCompile(`^[.` + atextIntl + `]$`)
	hostnameIntl    = regexp.MustCompile(`^[a-zA-Z0-9\-\.` + "\u0080-\U0010FFFF" + `]$`)
	dotAtomHostname = regexp.MustCompile(`^` + hostLabel + `(?:\.` + hostLabel + `)*$`)
	rLDHLabel       = regexp.MustCompile(`^(?i:..--)`)
)

// specialUseDomains are refused with and without subdomains.
var specialUseDomains = []string{"arpa", "invalid", "local", "localhost", "onion", "test"}

// ValidateEmail checks one address as email-validator 2.3.0's
// validate_email(address, check_deliverability=False) does with its
// defaults: internationalised addresses allowed; quoted local parts,
// domain literals and display names refused; the domain must be globally
// deliverable. The error's text is email-validator's message.
// Internationalised domains use UTS 46 from golang.org/x/net/idna, whose
// error texts differ from Python's idna library.
func ValidateEmail(address string) error {
	local, domain, quoted, err := splitEmail(address)
	if err != nil {
		return err
	}
	if err := validateLocal(local, quoted); err != nil {
		return err
	}
	if quoted {
		return emailErr("Quoting the part before the @-sign is not allowed here.")
	}
	if domain == "" {
		return emailErr("There must be something after the @-sign.")
	}
	if strings.HasPrefix(domain, "[") && strings.HasSuffix(domain, "]") {
		return emailErr("A bracketed IP address after the @-sign is not allowed here.")
	}
	asciiDomain, err := validateDomain(domain)
	if err != nil {
		return err
	}
	return checkEmailLength(local+"@"+domain, local+"@"+asciiDomain)
}

// splitEmail splits at the first unquoted "@", and unquotes a quoted
// local part.
func splitEmail(address string) (local, domain string, quoted bool, err error) {
	inQuote, escaped := false, false
	at := -1
	for i, c := range address {
		if inQuote {
			switch {
			case c == '\\' && !escaped:
				escaped = true
			case c == '"' && !escaped:
				inQuote = false
			default:
				escaped = false
			}
			continue
		}
		if c == '"' {
			inQuote = true
		} else if c == '@' {
			at = i
			break
		}
	}
	if at < 0 {
		switch {
		case strings.ContainsRune(address, '＠'):
			return "", "", false, emailErr(`The email address has the "full-width" at-sign (@) character instead of a regular at-sign.`)
		case strings.ContainsRune(address, '﹫'):
			return "", "", false, emailErr(`The email address has the "small commercial at" character instead of a regular at-sign.`)
		}
		return "", "", false, emailErr("An email address must have an @-sign.")
	}
	local, domain = address[:at], address[at+1:]
	if !strings.HasPrefix(local, `"`) {
		return local, domain, false, nil
	}
	var b strings.Builder
	runes := []rune(local)
	escaped = false
	for i := 1; i < len(runes); i++ {
		c := runes[i]
		switch {
		case escaped:
			b.WriteRune(c)
			escaped = false
		case c == '\\':
			escaped = true
		case c == '"':
			if i != len(runes)-1 {
				return "", "", false, emailErr("Extra character(s) found after close quote: %s", displayChars(runes[i+1:]))
			}
			return b.String(), domain, true, nil
		default:
			b.WriteRune(c)
		}
	}
	return b.String(), domain, true, nil
}

func displayChars(rs []rune) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = safeCharDisplay(r)
	}
	return strings.Join(out, ", ")
}

func validateLocal(local string, quoted bool) error {
	if local == "" {
		return emailErr("There must be something before the @-sign.")
	}
	if dotAtomText.MatchString(local) {
		return nil
	}
	if dotAtomTextIntl.MatchString(local) {
		return checkUnsafeChars(local, false)
	}
	if quoted {
		bad := badChars(local, func(r rune) bool { return (r >= 0x20 && r <= 0x7e) || r >= 0x80 })
		if bad != "" {
			return emailErr("The email address contains invalid characters in quotes before the @-sign: %s.", bad)
		}
		return checkUnsafeChars(local, true)
	}
	if bad := badChars(local, func(r rune) bool { return atextIntlDot.MatchString(string(r)) }); bad != "" {
		return emailErr("The email address contains invalid characters before the @-sign: %s.", bad)
	}
	if err := checkDotAtom(local, "An email address cannot start with a %s.", "An email address cannot have a %s immediately before the @-sign.", false); err != nil {
		return err
	}
	return emailErr("The email address contains invalid characters before the @-sign.")
}

// badChars lists, sorted and de-duplicated, how email-validator displays
// the characters of s that ok refuses.
func badChars(s string, ok func(rune) bool) string {
	set := map[string]bool{}
	for _, r := range s {
		if !ok(r) {
			set[safeCharDisplay(r)] = true
		}
	}
	list := make([]string, 0, len(set))
	for d := range set {
		list = append(list, d)
	}
	sort.Strings(list)
	return strings.Join(list, ", ")
}

// safeCharDisplay is email-validator's safe_character_display: a letter,
// number, punctuation or symbol in quotes, else the character's Unicode
// name, else U+XXXX.
func safeCharDisplay(r rune) string {
	if r == '\\' {
		return `"\"`
	}
	if unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S) {
		return pyfmt.Repr(string(r))
	}
	if name, ok := unicodeNames[r]; ok {
		return name
	}
	if r < 0xFFFF {
		return fmt.Sprintf("U+%04X", r)
	}
	return fmt.Sprintf("U+%08X", r)
}

func checkUnsafeChars(s string, allowSpace bool) error {
	var bad []rune
	for i, r := range []rune(s) {
		switch {
		case unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S):
		case unicode.Is(unicode.M, r):
			if i == 0 {
				bad = append(bad, r)
			}
		case unicode.Is(unicode.Zs, r):
			if !allowSpace {
				bad = append(bad, r)
			}
		default: // Z, C and unassigned
			bad = append(bad, r)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Slice(bad, func(i, j int) bool { return bad[i] < bad[j] })
	var uniq []rune
	for i, r := range bad {
		if i == 0 || r != bad[i-1] {
			uniq = append(uniq, r)
		}
	}
	return emailErr("The email address contains unsafe characters: %s.", displayChars(uniq))
}

func checkDotAtom(label, startFmt, endFmt string, hostname bool) error {
	switch {
	case strings.HasSuffix(label, "."):
		return emailErr(endFmt, "period")
	case strings.HasPrefix(label, "."):
		return emailErr(startFmt, "period")
	case strings.Contains(label, ".."):
		return emailErr("An email address cannot have two periods in a row.")
	case !hostname:
		return nil
	case strings.HasSuffix(label, "-"):
		return emailErr(endFmt, "hyphen")
	case strings.HasPrefix(label, "-"):
		return emailErr(startFmt, "hyphen")
	case strings.Contains(label, ".-") || strings.Contains(label, "-."):
		return emailErr("An email address cannot have a period and a hyphen next to each other.")
	}
	return nil
}

// uts46ValidChar is email-validator's pre-check before UTS 46 mapping.
func uts46ValidChar(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return false
	case (r >= 0x2010 && r <= 0x2060 && !(r >= 0x2024 && r <= 0x2026) && !(r >= 0x2028 && r <= 0x202E)) ||
		r == 0xAD || r == 0x2064 || r == 0xFF0E || (r >= 0x200B && r <= 0x200D) || (r >= 0x1BCA0 && r <= 0x1BCA3):
		return true
	case unicode.In(r, unicode.Cf, unicode.Co, unicode.Cs, unicode.Zs, unicode.Zl, unicode.Zp) || !isAssigned(r):
		return false
	}
	return true
}

var uts46 = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false), idna.ValidateLabels(false), idna.VerifyDNSLength(false), idna.CheckHyphens(false), idna.BidiRule())

func validateDomain(domain string) (string, error) {
	const at = "The part after the @-sign"
	if bad := badChars(domain, func(r rune) bool { return hostnameIntl.MatchString(string(r)) }); bad != "" {
		return "", emailErr(at+" contains invalid characters: %s.", bad)
	}
	if err := checkUnsafeChars(domain, false); err != nil {
		return "", err
	}
	if bad := badChars(domain, uts46ValidChar); bad != "" {
		return "", emailErr(at+" contains invalid characters: %s.", bad)
	}
	original := domain
	if isASCII(domain) {
		domain = strings.ToLower(domain)
	} else {
		mapped, err := uts46.ToUnicode(domain)
		if err != nil {
			return "", emailErr(at+" contains invalid characters (%s).", idnaReason(err, domain))
		}
		domain = mapped
	}
	if bad := badChars(domain, func(r rune) bool { return hostnameIntl.MatchString(string(r)) }); bad != "" {
		return "", emailErr(at+" contains invalid characters after Unicode normalization: %s.", bad)
	}
	if err := checkDotAtom(domain, "An email address cannot have a %s immediately after the @-sign.", "An email address cannot end with a %s.", true); err != nil {
		return "", err
	}
	for _, label := range strings.Split(domain, ".") {
		if rLDHLabel.MatchString(label) && !strings.EqualFold(string([]rune(label)[:2]), "xn") {
			return "", emailErr("An email address cannot have two letters followed by two dashes immediately after the @-sign or after a period, except Punycode.")
		}
	}
	ascii := domain
	if !dotAtomHostname.MatchString(domain) {
		a, err := idna.Lookup.ToASCII(domain)
		if err != nil {
			return "", emailErr(at+" is invalid (%v).", err)
		}
		if !dotAtomHostname.MatchString(a) {
			return "", emailErr("The email address contains invalid characters after the @-sign after IDNA encoding.")
		}
		ascii = a
	}
	if len(ascii) > maxDomainLen {
		if ascii == original {
			return "", emailErr("The email address is too long after the @-sign %s.", lengthReason(ascii, maxDomainLen))
		}
		diff := len(ascii) - maxDomainLen
		return "", emailErr("The email address is too long after the @-sign (%d byte%s too many after IDNA encoding).", diff, plural(diff))
	}
	for _, label := range strings.Split(ascii, ".") {
		if len(label) > maxLabelLen {
			return "", emailErr("After the @-sign, periods cannot be separated by so many characters %s.", lengthReason(label, maxLabelLen))
		}
	}
	if !strings.Contains(ascii, ".") {
		return "", emailErr(at + " is not valid. It should have a period.")
	}
	if last := ascii[len(ascii)-1]; !isASCIILetter(last) {
		return "", emailErr(at + " is not valid. It is not within a valid top-level domain.")
	}
	for _, d := range specialUseDomains {
		if ascii == d || strings.HasSuffix(ascii, "."+d) {
			return "", emailErr(at + " is a special-use or reserved name that cannot be used with email.")
		}
	}
	if _, err := idna.Lookup.ToUnicode(ascii); err != nil && strings.Contains(ascii, "xn--") {
		return "", emailErr(at+" is not valid IDNA (%v).", err)
	}
	return ascii, nil
}

// idnaReason words an IDNA mapping error as Python's idna library does
// for a disallowed character ("Codepoint U+FFFD not allowed at position 1
// in '…'"), and keeps x/net/idna's text otherwise.
func idnaReason(err error, domain string) string {
	var r rune
	if _, scanErr := fmt.Sscanf(err.Error(), "idna: disallowed rune U+%X", &r); scanErr != nil {
		return err.Error()
	}
	for i, c := range []rune(domain) {
		if c == r {
			return fmt.Sprintf("Codepoint U+%04X not allowed at position %d in %s", r, i+1, pyfmt.Repr(domain))
		}
	}
	return err.Error()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

// lengthReason is "(N character(s) too many)", counted in characters.
func lengthReason(s string, limit int) string {
	diff := utf8.RuneCountInString(s) - limit
	return fmt.Sprintf("(%d character%s too many)", diff, plural(diff))
}

// checkEmailLength applies the 254-octet limit to the address as given
// and with its domain in IDNA ASCII form.
func checkEmailLength(original, asciiForm string) error {
	if diff := len(original) - maxEmailLen; diff > 0 {
		chars := utf8.RuneCountInString(original)
		if chars == len(original) {
			return emailErr("The email address is too long %s.", lengthReason(original, maxEmailLen))
		}
		widest := 1
		for _, r := range original {
			widest = max(widest, utf8.RuneLen(r))
		}
		least := max(1, diff/widest)
		if least == diff {
			return emailErr("The email address is too long (%d character%s too many).", diff, plural(diff))
		}
		return emailErr("The email address is too long (%d-%d character%s too many).", least, diff, plural(diff))
	}
	if diff := len(asciiForm) - maxEmailLen; diff > 0 {
		return emailErr("The email address is too long when the part after the @-sign is converted to IDNA ASCII (%d byte%s too many).", diff, plural(diff))
	}
	return nil
}

// isAssigned reports whether r is an assigned code point (not Cn).
func isAssigned(r rune) bool {
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C)
}
