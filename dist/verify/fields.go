package verify

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustpub/pypi/dist/pep440"
	"github.com/trustpub/pypi/internal/pyfmt"
)

// FieldIntroduced checks that field (a core metadata field name in any
// case), which appeared in metadata version added, may be used under the
// declared Metadata-Version, in packaging's words. It reports nothing when
// either version is not "major.minor" (the Metadata-Version rule reports
// a bad declared one).
func FieldIntroduced(field, added, declared string) error {
	if !NewerMetadataVersion(added, declared) {
		return nil
	}
	key := strings.ToLower(field)
	return newError(key, RuleFieldTooNew, fmt.Sprintf("%s introduced in metadata version %s, not %s", key, added, declared))
}

// NewerMetadataVersion reports whether metadata version added comes after
// declared: whether FieldIntroduced fails, found without making its error.
func NewerMetadataVersion(added, declared string) bool {
	d, ok1 := parseMetadataVersion(declared)
	a, ok2 := parseMetadataVersion(added)
	return ok1 && ok2 && a > d
}

// parseMetadataVersion turns "major.minor" into a number that orders like
// the version.
func parseMetadataVersion(v string) (int, bool) {
	major, minor, ok := strings.Cut(v, ".")
	if !ok {
		return 0, false
	}
	x, err1 := strconv.ParseUint(major, 10, 16)
	y, err2 := strconv.ParseUint(minor, 10, 16)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return int(x)<<16 | int(y), true
}

// nameRE is packaging's name rule, ASCII only: Go's (?i) would also
// accept U+017F and U+212A, which fold to "s" and "k".
var nameRE = regexp.MustCompile(`^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$`)

// Name checks the Name field as PyPI's upload form does, which runs before
// every other check: required, and a valid project name. The message quotes
// the value as sent (shortened beyond 60 characters, as wtforms does).
func Name(v string) error {
	const help = " See " + CoreMetadataURL + " for more information."
	if v == "" {
		return newError("name", RuleName, "'' is an invalid value for Name. Error: This field is required."+help)
	}
	if nameRE.MatchString(v) {
		return nil
	}
	shown := v
	if r := []rune(v); len(r) > 60 {
		shown = string(r[:30]) + "..." + string(r[len(r)-30:])
	}
	return newError("name", RuleName, pyfmt.Repr(shown)+" is an invalid value for Name. Error: Start and end with a letter or numeral containing only ASCII numeric and '.', '_' and '-'."+help)
}

// Version checks the Version field: required and valid PEP 440
// (packaging), then without a local segment (Warehouse).
func Version(v string) error {
	if v == "" {
		return newError("version", RuleVersion, "'version' is a required field")
	}
	ver, err := pep440.Parse(v)
	if err != nil {
		e := newError("version", RuleVersion, pyfmt.Repr(v)+" is invalid for 'version'")
		e.addDetail(err.Error())
		return e
	}
	if ver.Local() != "" {
		return newError("version", RuleLocalVersion, "The use of local versions in "+pyfmt.Repr(ver.String())+" is not allowed.")
	}
	return nil
}

// summaryBreaks are the line boundaries of Python's str.splitlines; PyPI
// (packaging 26.2) refuses only "\n", but every one of them would break
// a header, so all are refused here.
const summaryBreaks = "\n\r\v\f\x1c\x1d\x1e\u0085\u2028\u2029"

// Summary checks the Summary field: one line, at most 512 characters.
func Summary(v string) error {
	if strings.ContainsAny(v, summaryBreaks) {
		return newError("summary", RuleSummaryLine, "'summary' must be a single line")
	}
	if utf8.RuneCountInString(v) > 512 {
		return newError("summary", RuleSummaryLength, "'summary' field must be 512 characters or less.")
	}
	return nil
}

// Unparsed is the error for a field PyPI could not map from the form: a
// single-use field sent twice, or Project-URL with a duplicate label.
// formKey is the upload form's key ("summary", "project_urls").
func Unparsed(formKey string) error {
	return newError(formKey, RuleUnparsed, pyfmt.Repr(formKey)+" has invalid data")
}

// ProvidesExtra checks one Provides-Extra value (a valid name, for every
// metadata version).
func ProvidesExtra(v string) error {
	if nameRE.MatchString(v) {
		return nil
	}
	return newError("provides-extra", RuleProvidesExtra, pyfmt.Repr(v)+" is invalid for 'provides-extra'")
}

// dynamicFields are the fields packaging knows by their e-mail names.
var dynamicFields = map[string]bool{
	"author": true, "author-email": true, "classifier": true, "description": true,
	"description-content-type": true, "download-url": true, "dynamic": true,
	"home-page": true, "import-name": true, "import-namespace": true, "keywords": true,
	"license": true, "license-expression": true, "license-file": true, "maintainer": true,
	"maintainer-email": true, "metadata-version": true, "name": true, "obsoletes": true,
	"obsoletes-dist": true, "platform": true, "project-url": true, "provides": true,
	"provides-dist": true, "provides-extra": true, "requires": true, "requires-dist": true,
	"requires-external": true, "requires-python": true, "summary": true,
	"supported-platform": true, "version": true,
}

// Dynamic checks one Dynamic value: packaging refuses the identity
// fields and unknown names; Warehouse then refuses "Dynamic" itself.
func Dynamic(v string) error {
	f := pyLower(v)
	switch {
	case f == "name" || f == "version" || f == "metadata-version":
		return newError("dynamic", RuleDynamic, pyfmt.Repr(f)+" is not allowed as a dynamic field")
	case !dynamicFields[f]:
		return newError("dynamic", RuleDynamic, pyfmt.Repr(f)+" is not a valid dynamic field")
	case f == "dynamic":
		return newError("dynamic", RuleDynamicWarehouse, "Dynamic field "+pyfmt.Repr(f)+" is not a valid dynamic field.")
	}
	return nil
}

// LicenseConflict is Warehouse's error for License beside License-Expression.
func LicenseConflict() error {
	return newError("license", RuleLicenseConflict, "License is deprecated when License-Expression is present. Only License-Expression should be present.")
}

// LicenseFile checks one License-File path, in packaging's order.
func LicenseFile(v string) error {
	var why string
	switch {
	case strings.Contains(v, ".."):
		why = "parent directory indicators are not allowed"
	case strings.Contains(v, "*"):
		why = "paths must be resolved"
	case strings.HasPrefix(v, "/") || windowsAbsolute(v):
		why = "paths must be relative"
	case windowsAsPosix(v) != v:
		why = "paths must use '/' delimiter"
	default:
		return nil
	}
	return newError("license-file", RuleLicenseFile, pyfmt.Repr(v)+" is invalid for 'license-file', "+why)
}

// windowsAbsolute is PureWindowsPath(v).is_absolute(): a drive and a root
// ("C:\x", "C:/x"), or a UNC share ("\\server\share").
func windowsAbsolute(v string) bool {
	w := strings.ReplaceAll(v, "/", `\`)
	if len(w) >= 3 && w[1] == ':' && w[2] == '\\' && isASCIILetter(w[0]) {
		return true
	}
	if strings.HasPrefix(w, `\\`) {
		rest := strings.TrimLeft(w[2:], `\`)
		server, share, ok := strings.Cut(rest, `\`)
		return ok && server != "" && share != ""
	}
	return false
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// windowsAsPosix is PureWindowsPath(v).as_posix() for the relative paths
// that reach it: separators become "/", empty and "." components vanish.
func windowsAsPosix(v string) string {
	w := strings.ReplaceAll(v, `\`, "/")
	drive := ""
	if len(w) >= 2 && w[1] == ':' && isASCIILetter(w[0]) {
		drive, w = w[:2], w[2:]
	}
	var parts []string
	for _, p := range strings.Split(w, "/") {
		if p != "" && p != "." {
			parts = append(parts, p)
		}
	}
	root := ""
	if strings.HasPrefix(w, "/") {
		root = "/"
	}
	s := drive + root + strings.Join(parts, "/")
	if s == "" {
		return "."
	}
	return s
}

// pythonKeywords is keyword.kwlist (hard keywords only: the soft keywords
// match, case, type and _ are valid names).
var pythonKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true,
	"async": true, "await": true, "break": true, "class": true, "continue": true,
	"def": true, "del": true, "elif": true, "else": true, "except": true, "finally": true,
	"for": true, "from": true, "global": true, "if": true, "import": true, "in": true,
	"is": true, "lambda": true, "nonlocal": true, "not": true, "or": true, "pass": true,
	"raise": true, "return": true, "try": true, "while": true, "with": true, "yield": true,
}

// ImportName checks one Import-Name or Import-Namespace value; field is
// "import-name" or "import-namespace".
func ImportName(field, v string) error {
	name, opt, semicolon := strings.Cut(v, ";")
	name = strings.TrimRightFunc(name, pyIsSpace)
	for _, part := range strings.Split(name, ".") {
		switch {
		case !isIdentifier(part):
			return newError(field, RuleImportName, fmt.Sprintf("%s is invalid for %s; %s is not a valid identifier", pyfmt.Repr(name), pyfmt.Repr(field), pyfmt.Repr(part)))
		case pythonKeywords[part]:
			return newError(field, RuleImportName, fmt.Sprintf("%s is invalid for %s; %s is a keyword", pyfmt.Repr(name), pyfmt.Repr(field), pyfmt.Repr(part)))
		}
	}
	if semicolon && strings.TrimLeftFunc(opt, pyIsSpace) != "private" {
		return newError(field, RuleImportName, fmt.Sprintf("%s is invalid for %s; the only valid option is 'private'", pyfmt.Repr(v), pyfmt.Repr(field)))
	}
	return nil
}

// isIdentifier approximates Python's str.isidentifier: XID_Start or "_",
// then XID_Continue. Go has no XID tables; ID_Start/ID_Continue with the
// Other_ID_* properties differ from them on a handful of characters only.
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		start := r == '_' || unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r)
		if i == 0 {
			if !start {
				return false
			}
			continue
		}
		if !start && !unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Continue) {
			return false
		}
	}
	return true
}
