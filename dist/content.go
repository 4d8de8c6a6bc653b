package dist

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/trustpub/pypi/dist/readme"
	"github.com/trustpub/pypi/dist/verify"
	"github.com/trustpub/pypi/internal/pyfmt"
)

// formKeys are the upload form's names for the fields whose form key is
// not their lowercase e-mail name with "-" as "_" (Warehouse maps them
// back; a field PyPI cannot map is reported under its form key).
var formKeys = map[string]string{
	"classifier":  "classifiers",
	"project-url": "project_urls",
}

// formKey is the upload form's key for a field (lowercase e-mail name).
func formKey(field string) string {
	if k, ok := formKeys[field]; ok {
		return k
	}
	return strings.ReplaceAll(field, "-", "_")
}

// checkContent returns the field-content problems of m (names, versions,
// summaries, content types, e-mail addresses, URLs, classifiers,
// requirements, extras, Dynamic, licences, License-File and Import-Name
// values) as PyPI judges them, with PyPI's messages. Under [PyPI] they are
// errors, under [Lenient] warnings. Each problem's Field is the lowercase
// key PyPI groups errors by ("requires-dist"; the form key, such as
// "project_urls", for a field PyPI could not read), which PyPIReply uses.
//
// As PyPI does, it skips a single-use field whose value is "UNKNOWN"
// (Warehouse deletes those form fields before validating) and a field
// newer than the declared Metadata-Version (that is reported, by Check,
// instead). The Metadata-Version, required-field and field-too-new rules
// themselves are Check's.
func checkContent(file string, m *Metadata, p Profile) []*Problem {
	c := &contentChecker{file: file, m: m, sev: SeverityWarning, tooNew: map[string]bool{}}
	if p == PyPI {
		c.sev = SeverityError
	}
	for _, f := range m.FieldsNewerThan(m.MetadataVersion) {
		c.tooNew[strings.ToLower(f)] = true
	}
	c.unparsed()
	c.identity()
	c.packagingFields()
	c.warehouseFields()
	c.description()
	return c.problems
}

type contentChecker struct {
	file     string
	m        *Metadata
	sev      Severity
	tooNew   map[string]bool // lowercase field names newer than Metadata-Version
	problems []*Problem
}

// detailSep separates PyPI's message from the cause PyPI does not show.
const detailSep = "\ncause: "

func (c *contentChecker) add(err error) {
	var e *verify.Error
	if !errors.As(err, &e) {
		return
	}
	msg := e.Message
	if e.Detail != "" {
		msg += detailSep + e.Detail
	}
	c.problems = append(c.problems, &Problem{File: c.file, Field: e.Field, Rule: e.Rule, Message: msg, Severity: c.sev})
}

// single returns a single-use field's value and whether PyPI would check
// it: present, parsed, not empty, not "UNKNOWN", not newer than the
// metadata version.
func (c *contentChecker) single(field string) (string, bool) {
	f := lookupField(field)
	key := strings.ToLower(field)
	if f == nil || f.str == nil || c.tooNew[key] || !c.m.parsed(f.name) {
		return "", false
	}
	v := *f.str(c.m)
	if v == "" || pyStrip(v) == "UNKNOWN" {
		return "", false
	}
	return v, true
}

// list returns a multi-use field's values when PyPI would check them.
func (c *contentChecker) list(field string) []string {
	f := lookupField(field)
	if f == nil || f.list == nil || c.tooNew[strings.ToLower(field)] || !c.m.parsed(f.name) {
		return nil
	}
	vs := *f.list(c.m)
	if len(vs) == 1 && vs[0] == "" {
		return nil // the form drops a lone empty value
	}
	return vs
}

// unparsed reports the known fields PyPI could not read from the form: a
// single-use field given twice, a repeated Project-URL label.
func (c *contentChecker) unparsed() {
	for i := range metadataFields {
		key := strings.ToLower(metadataFields[i].name)
		if _, bad := c.m.Unparsed[key]; bad {
			c.add(verify.Unparsed(formKey(key)))
		}
	}
}

// identity checks Name as PyPI's upload form does (so an absent or
// "UNKNOWN" name gets the form's "This field is required."), and Version.
func (c *contentChecker) identity() {
	if _, bad := c.m.Unparsed["name"]; !bad {
		name, _ := c.single("Name")
		c.add(verify.Name(name))
	}
	if v, ok := c.single("Version"); ok {
		c.add(verify.Version(v))
	}
}

// each applies rule to every value of a multi-use field. packaging
// reports only a field's first bad value; Warehouse reports every one.
func (c *contentChecker) each(field string, rule func(string) error) {
	reported := false
	for _, v := range c.list(field) {
		err := rule(v)
		var e *verify.Error
		if !errors.As(err, &e) {
			continue
		}
		if e.Stage == verify.StagePackaging {
			if reported {
				continue
			}
			reported = true
		}
		c.add(err)
	}
}

// packagingFields are the fields packaging validates, and the checks
// Warehouse adds to them.
func (c *contentChecker) packagingFields() {
	singles := []struct {
		field string
		rule  func(string) error
	}{
		{"Summary", verify.Summary},
		{"Description-Content-Type", verify.DescriptionContentType},
		{"Requires-Python", verify.RequiresPython},
		{"License-Expression", verify.LicenseExpression},
	}
	for _, s := range singles {
		if v, ok := c.single(s.field); ok {
			c.add(s.rule(v))
		}
	}
	c.each("Dynamic", verify.Dynamic)
	c.each("Provides-Extra", verify.ProvidesExtra)
	c.each("Requires-Dist", verify.RequiresDist)
	c.each("License-File", verify.LicenseFile)
	for _, field := range []string{"import-name", "import-namespace"} {
		c.each(field, func(v string) error { return verify.ImportName(field, v) })
	}
}

// warehouseFields are Warehouse's own checks, in its order.
func (c *contentChecker) warehouseFields() {
	for _, field := range []string{"author-email", "maintainer-email"} {
		if v, ok := c.single(field); ok {
			c.add(verify.Email(field, v))
		}
	}
	for _, err := range verify.DefaultClassifiers().Check(c.list("Classifier")) {
		c.add(err)
	}
	for _, field := range []string{"home-page", "download-url"} {
		if v, ok := c.single(field); ok {
			c.add(verify.URL(field, v))
		}
	}
	if !c.tooNew["project-url"] && c.m.parsed("Project-URL") {
		for _, u := range c.m.ProjectURLs {
			c.add(verify.ProjectURL(u.Label, u.URL))
		}
	}
	for _, field := range []string{"provides-dist", "obsoletes-dist"} {
		c.each(field, func(v string) error { return verify.DistRequirement(field, v) })
	}
	if _, ok := c.single("License"); ok {
		if _, ok := c.single("License-Expression"); ok {
			c.add(verify.LicenseConflict())
		}
	}
	c.importNameOverlap()
}

// description checks that PyPI can render the description as the upload
// form carries it (the raw value, legacy indentation kept), under its
// content type. The Problem's message is PyPI's; the renderer's own
// message and line, which say what to fix, follow as the cause.
func (c *contentChecker) description() {
	if _, ok := c.single("Description"); !ok {
		return
	}
	ct, _ := c.single("Description-Content-Type")
	var e *readme.Error
	if !errors.As(readme.Check(c.m.RawDescription(), ct), &e) {
		return
	}
	cause := e.Message
	if e.Line > 0 {
		cause = fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	c.problems = append(c.problems, &Problem{File: c.file, Field: "description", Rule: RuleDescriptionRender,
		Message: e.PyPIMessage() + detailSep + cause, Severity: c.sev})
}

// importNameOverlap warns, under every profile, about a name both in
// Import-Name and Import-Namespace: the specification says tools MUST
// refuse it, but neither packaging 26.2 nor PyPI does.
func (c *contentChecker) importNameOverlap() {
	names := map[string]bool{}
	for _, v := range c.list("Import-Name") {
		name, _, _ := strings.Cut(v, ";")
		names[strings.TrimRightFunc(name, unicode.IsSpace)] = true
	}
	for _, v := range c.list("Import-Namespace") {
		name, _, _ := strings.Cut(v, ";")
		if name = strings.TrimRightFunc(name, unicode.IsSpace); names[name] {
			c.problems = append(c.problems, &Problem{File: c.file, Field: "import-namespace", Rule: RuleImportNameOverlap,
				Message: pyfmt.Repr(name) + " is both an Import-Name and an Import-Namespace; the core metadata specification forbids it", Severity: SeverityWarning})
		}
	}
}

// replyStage returns where in Warehouse's upload pipeline a problem is
// found: the metadata stages of verify (form, unparsed, packaging,
// Warehouse), then description rendering, then everything else (file
// name, archive), which Warehouse checks later.
func replyStage(p *Problem) int {
	const (
		description = int(verify.StageWarehouse) + 1 + iota
		later
	)
	if s := verify.StageOf(p.Rule); s != 0 {
		return int(s)
	}
	if strings.EqualFold(p.Field, "description") {
		return description
	}
	return later
}

// PyPIReply returns the one message PyPI would reply with (HTTP 400) to
// an upload with these problems, as Check(PyPI) returns them, or "" when
// none is an error. PyPI stops at its first failing stage: the upload form
// (Name), fields it cannot read, packaging's checks (which hide
// Warehouse's own), Warehouse's checks, description rendering, then the
// file. Within a metadata stage it groups errors by field and reports the
// first error of Metadata-Version, Name or Version if any, else of the
// alphabetically first field, followed by " See <help URL> for more
// information.". PyPI sends this in the HTTP status line encoded as
// Latin-1, where other characters become "?"; the reply here keeps them.
func PyPIReply(problems []*Problem) string {
	var errs []*Problem
	for _, p := range problems {
		if p.Severity == SeverityError {
			errs = append(errs, p)
		}
	}
	if len(errs) == 0 {
		return ""
	}
	first := replyStage(errs[0])
	for _, p := range errs {
		first = min(first, replyStage(p))
	}
	var stage []*Problem
	for _, p := range errs {
		if replyStage(p) == first {
			stage = append(stage, p)
		}
	}
	if first != int(verify.StageUnparsed) && first != int(verify.StagePackaging) && first != int(verify.StageWarehouse) {
		msg, _, _ := strings.Cut(stage[0].Message, detailSep)
		return msg
	}
	chosen := stage[0]
	for _, p := range stage[1:] {
		if fieldRank(p.Field) < fieldRank(chosen.Field) {
			chosen = p
		}
	}
	msg, _, _ := strings.Cut(chosen.Message, detailSep)
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	url := verify.CoreMetadataURL
	if chosen.Rule == verify.RuleLocalVersion {
		url = verify.LocalVersionsURL
	}
	return msg + " See " + url + " for more information."
}

// fieldRank orders field keys as Warehouse picks them: Metadata-Version,
// Name and Version first, then alphabetically.
func fieldRank(field string) string {
	switch f := strings.ToLower(field); f {
	case "metadata-version":
		return "\x00"
	case "name":
		return "\x01"
	case "version":
		return "\x02"
	default:
		return f
	}
}
