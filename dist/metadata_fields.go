package dist

import (
	"strings"
	"unicode/utf8"

	"github.com/trustpub/pypi/dist/verify"
)

// metadataField describes one core metadata field (PUG core-metadata.rst).
// A single-use field has str, a multi-use field has list; Project-URL has
// neither and is handled on its own.
type metadataField struct {
	name  string // as the specification spells it
	added string // metadata version that introduced it
	str   func(*Metadata) *string
	list  func(*Metadata) *[]string
}

// metadataFields lists every field of metadata 1.0 to 2.6 in the order of
// the specification. Read-only.
var metadataFields = [...]metadataField{
	{name: "Metadata-Version", added: "1.0", str: func(m *Metadata) *string { return &m.MetadataVersion }},
	{name: "Name", added: "1.0", str: func(m *Metadata) *string { return &m.Name }},
	{name: "Version", added: "1.0", str: func(m *Metadata) *string { return &m.Version }},
	{name: "Dynamic", added: "2.2", list: func(m *Metadata) *[]string { return &m.Dynamic }},
	{name: "Platform", added: "1.0", list: func(m *Metadata) *[]string { return &m.Platforms }},
	{name: "Supported-Platform", added: "1.1", list: func(m *Metadata) *[]string { return &m.SupportedPlatforms }},
	{name: "Summary", added: "1.0", str: func(m *Metadata) *string { return &m.Summary }},
	{name: "Description", added: "1.0", str: func(m *Metadata) *string { return &m.Description }},
	{name: "Description-Content-Type", added: "2.1", str: func(m *Metadata) *string { return &m.DescriptionContentType }},
	{name: "Keywords", added: "1.0", str: func(m *Metadata) *string { return &m.Keywords }},
	{name: "Home-page", added: "1.0", str: func(m *Metadata) *string { return &m.HomePage }},
	{name: "Download-URL", added: "1.1", str: func(m *Metadata) *string { return &m.DownloadURL }},
	{name: "Author", added: "1.0", str: func(m *Metadata) *string { return &m.Author }},
	{name: "Author-email", added: "1.0", str: func(m *Metadata) *string { return &m.AuthorEmail }},
	{name: "Maintainer", added: "1.2", str: func(m *Metadata) *string { return &m.Maintainer }},
	{name: "Maintainer-email", added: "1.2", str: func(m *Metadata) *string { return &m.MaintainerEmail }},
	{name: "License", added: "1.0", str: func(m *Metadata) *string { return &m.License }},
	{name: "License-Expression", added: "2.4", str: func(m *Metadata) *string { return &m.LicenseExpression }},
	{name: "License-File", added: "2.4", list: func(m *Metadata) *[]string { return &m.LicenseFiles }},
	{name: "Classifier", added: "1.1", list: func(m *Metadata) *[]string { return &m.Classifiers }},
	{name: "Requires-Dist", added: "1.2", list: func(m *Metadata) *[]string { return &m.RequiresDist }},
	{name: "Requires-Python", added: "1.2", str: func(m *Metadata) *string { return &m.RequiresPython }},
	{name: "Requires-External", added: "1.2", list: func(m *Metadata) *[]string { return &m.RequiresExternal }},
	{name: "Project-URL", added: "1.2"},
	{name: "Provides-Extra", added: "2.1", list: func(m *Metadata) *[]string { return &m.ProvidesExtra }},
	{name: "Provides-Dist", added: "1.2", list: func(m *Metadata) *[]string { return &m.ProvidesDist }},
	{name: "Obsoletes-Dist", added: "1.2", list: func(m *Metadata) *[]string { return &m.ObsoletesDist }},
	{name: "Requires", added: "1.1", list: func(m *Metadata) *[]string { return &m.Requires }},
	{name: "Provides", added: "1.1", list: func(m *Metadata) *[]string { return &m.Provides }},
	{name: "Obsoletes", added: "1.1", list: func(m *Metadata) *[]string { return &m.Obsoletes }},
	{name: "Import-Name", added: "2.5", list: func(m *Metadata) *[]string { return &m.ImportNames }},
	{name: "Import-Namespace", added: "2.5", list: func(m *Metadata) *[]string { return &m.ImportNamespaces }},
}

// lookupField returns the field named name (any case), or nil.
func lookupField(name string) *metadataField {
	for i := range metadataFields {
		if strings.EqualFold(metadataFields[i].name, name) {
			return &metadataFields[i]
		}
	}
	return nil
}

// FieldIntroduced returns the core metadata version that introduced the
// named field (any case), e.g. "2.4" for "License-Expression", or "" if
// the field is not a core metadata field.
func FieldIntroduced(field string) string {
	if f := lookupField(field); f != nil {
		return f.added
	}
	return ""
}

// metadataVersions are the legal Metadata-Version values, each with
// whether PyPI accepts it (packaging 26.2 and Warehouse: not
// yet 2.6). 2.0 (PEP 426) was withdrawn and is not one of them.
var metadataVersions = map[string]bool{
	"1.0": true, "1.1": true, "1.2": true,
	"2.1": true, "2.2": true, "2.3": true, "2.4": true, "2.5": true, "2.6": false,
}

// knownMetadataVersion reports whether v is a Metadata-Version this package
// knows: 1.0, 1.1, 1.2 and 2.1 to 2.6, spelled exactly so, as packaging
// requires. PyPI accepts a subset of them (not yet 2.6).
func knownMetadataVersion(v string) bool {
	_, ok := metadataVersions[v]
	return ok
}

// FieldsNewerThan returns the fields of m, spelled as the specification
// spells them and in its order, that hold a parsed value (present and not
// in Unparsed) but were introduced after metadata version version, such as
// "License-Expression" in a file declaring 2.1: those that
// [verify.FieldIntroduced] refuses. It returns nil when version is not of
// the form "major.minor".
func (m *Metadata) FieldsNewerThan(version string) []string {
	var newer []string
	for i := range metadataFields {
		f := &metadataFields[i]
		if verify.NewerMetadataVersion(f.added, version) && m.parsed(f.name) {
			newer = append(newer, f.name)
		}
	}
	return newer
}

// Present reports whether the file declares the named field (any case): a
// header of that name, known or not, or for "Description" also a non-empty
// body. A present field may still be in Unparsed (repeated, not UTF-8).
func (m *Metadata) Present(field string) bool {
	for _, h := range m.Headers {
		if strings.EqualFold(h.Name, field) {
			return true
		}
	}
	if strings.EqualFold(field, "Description") {
		return m.DescriptionInBody || len(m.Unparsed["description"]) > 0
	}
	return false
}

// parsed reports whether the named field is present and was parsed into
// its struct field (it is not in Unparsed).
func (m *Metadata) parsed(field string) bool {
	if strings.EqualFold(field, "Description") {
		_, ok := m.descriptionHeader()
		return ok || m.DescriptionInBody
	}
	if _, bad := m.Unparsed[strings.ToLower(field)]; bad {
		return false
	}
	return m.Present(field)
}

// descriptionHeader returns the Description header when Description holds
// its value. A body that is not UTF-8 goes to Unparsed alone and leaves the
// header parsed, as in packaging; so the header is parsed when it is the
// only one, is UTF-8, and was not moved to Unparsed beside a body (which
// makes exactly two unparsed values).
func (m *Metadata) descriptionHeader() (Header, bool) {
	if m.DescriptionInBody {
		return Header{}, false
	}
	var found []Header
	for _, h := range m.Headers {
		if strings.EqualFold(h.Name, "Description") {
			found = append(found, h)
		}
	}
	if len(found) != 1 || !utf8.ValidString(found[0].Value) || len(m.Unparsed["description"]) == 2 {
		return Header{}, false
	}
	return found[0], true
}

// KeywordList returns Keywords split at commas, each keyword stripped of
// surrounding whitespace, as packaging does ("a, b,c" gives a, b and c;
// "a b" stays one keyword; an empty field gives one empty keyword). It
// returns nil when Keywords is absent or in Unparsed.
func (m *Metadata) KeywordList() []string {
	if !m.parsed("Keywords") {
		return nil
	}
	kws := strings.Split(m.Keywords, ",")
	for i, k := range kws {
		kws[i] = pyStrip(k)
	}
	return kws
}

// RawDescription returns the description as packaging's parse_email and
// twine read it: the body, or the header value with its continuation lines
// as written (legacy indentation kept). Description has that indentation
// removed.
func (m *Metadata) RawDescription() string {
	if h, ok := m.descriptionHeader(); ok {
		return h.Value
	}
	return m.Description
}
