package upload

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/trustpub/pypi/dist"
)

// Field is one text part of the upload form, in the order it is sent.
type Field struct {
	Name  string
	Value string
}

// metaField maps one core metadata field to its form field.
type metaField struct {
	form   string // Warehouse's form name
	header string // the core metadata field, for version gating
	values func(m *dist.Metadata) []string
}

func one(s string) []string { return []string{s} }

// metaFields lists the optional metadata fields in the order they are
// sent: the core metadata specification's order, with the deprecated 1.1
// fields and the 2.5 import names last. Warehouse ignores field order.
var metaFields = []metaField{
	{"summary", "Summary", func(m *dist.Metadata) []string { return one(m.Summary) }},
	{"description", "Description", func(m *dist.Metadata) []string { return one(m.RawDescription()) }},
	{"description_content_type", "Description-Content-Type", func(m *dist.Metadata) []string { return one(m.DescriptionContentType) }},
	{"keywords", "Keywords", func(m *dist.Metadata) []string { return one(strings.Join(m.KeywordList(), ", ")) }},
	{"home_page", "Home-page", func(m *dist.Metadata) []string { return one(m.HomePage) }},
	{"download_url", "Download-URL", func(m *dist.Metadata) []string { return one(m.DownloadURL) }},
	{"author", "Author", func(m *dist.Metadata) []string { return one(m.Author) }},
	{"author_email", "Author-email", func(m *dist.Metadata) []string { return one(m.AuthorEmail) }},
	{"maintainer", "Maintainer", func(m *dist.Metadata) []string { return one(m.Maintainer) }},
	{"maintainer_email", "Maintainer-email", func(m *dist.Metadata) []string { return one(m.MaintainerEmail) }},
	{"license", "License", func(m *dist.Metadata) []string { return one(m.License) }},
	{"license_expression", "License-Expression", func(m *dist.Metadata) []string { return one(m.LicenseExpression) }},
	{"license_file", "License-File", func(m *dist.Metadata) []string { return m.LicenseFiles }},
	{"classifiers", "Classifier", func(m *dist.Metadata) []string { return m.Classifiers }},
	{"platform", "Platform", func(m *dist.Metadata) []string { return m.Platforms }},
	{"supported_platform", "Supported-Platform", func(m *dist.Metadata) []string { return m.SupportedPlatforms }},
	{"requires_python", "Requires-Python", func(m *dist.Metadata) []string { return one(m.RequiresPython) }},
	{"requires_dist", "Requires-Dist", func(m *dist.Metadata) []string { return m.RequiresDist }},
	{"provides_dist", "Provides-Dist", func(m *dist.Metadata) []string { return m.ProvidesDist }},
	{"obsoletes_dist", "Obsoletes-Dist", func(m *dist.Metadata) []string { return m.ObsoletesDist }},
	{"requires_external", "Requires-External", func(m *dist.Metadata) []string { return m.RequiresExternal }},
	{"project_urls", "Project-URL", projectURLs},
	{"provides_extra", "Provides-Extra", func(m *dist.Metadata) []string { return m.ProvidesExtra }},
	{"dynamic", "Dynamic", func(m *dist.Metadata) []string { return m.Dynamic }},
	{"requires", "Requires", func(m *dist.Metadata) []string { return m.Requires }},
	{"provides", "Provides", func(m *dist.Metadata) []string { return m.Provides }},
	{"obsoletes", "Obsoletes", func(m *dist.Metadata) []string { return m.Obsoletes }},
	{"import_name", "Import-Name", func(m *dist.Metadata) []string { return m.ImportNames }},
	{"import_namespace", "Import-Namespace", func(m *dist.Metadata) []string { return m.ImportNamespaces }},
}

func projectURLs(m *dist.Metadata) []string {
	out := make([]string, len(m.ProjectURLs))
	for i, u := range m.ProjectURLs {
		out[i] = u.Label + ", " + u.URL
	}
	return out
}

// Form returns the text fields of d's upload form, in the order Upload
// sends them (the package doc lists them); the file itself follows them
// as the "content" part. A field newer than the declared
// Metadata-Version (but License-File, which is left out), or one the
// metadata parser could not read, is an error in packaging's and twine's
// words. Form reads the attestation files beside
// d unless opts.Attestations is AttestationsOff.
func Form(d *dist.Distribution, opts Options) ([]Field, error) {
	if d.Metadata == nil || d.Filename == nil {
		return nil, fmt.Errorf("upload: %s: no parsed metadata or file name (open it with dist.Open)", d.Path)
	}
	m := d.Metadata
	fields := []Field{
		{":action", "file_upload"},
		{"protocol_version", "1"},
		{"metadata_version", m.MetadataVersion},
		{"name", m.Name},
		{"version", m.Version},
		{"filetype", d.Kind().Filetype()},
		{"pyversion", pyversion(d.Filename)},
	}
	meta, err := metadataFields(m, opts.AlwaysSendRequiresPython)
	if err != nil {
		return nil, fmt.Errorf("upload: %s: invalid distribution metadata: %w", baseName(d), err)
	}
	fields = append(fields, meta...)
	if opts.Comment != "" {
		fields = append(fields, Field{"comment", opts.Comment})
	}
	fields = append(fields, Field{"sha256_digest", d.Digests.SHA256})
	if d.Digests.BLAKE2b256 != "" {
		fields = append(fields, Field{"blake2_256_digest", d.Digests.BLAKE2b256})
	}
	if opts.MD5 {
		if d.Digests.MD5 == "" {
			return nil, fmt.Errorf("upload: %s: md5_digest requested but the distribution has no MD5 digest", baseName(d))
		}
		fields = append(fields, Field{"md5_digest", d.Digests.MD5})
	}
	att, err := attestationsField(d, opts.Attestations)
	if err != nil {
		return nil, err
	}
	if att != "" {
		fields = append(fields, Field{"attestations", att})
	}
	return fields, nil
}

// metadataFields renders the optional metadata fields of m, gated by its
// Metadata-Version.
func metadataFields(m *dist.Metadata, alwaysRequiresPython bool) ([]Field, error) {
	if len(m.Unparsed) > 0 {
		var bad []string
		for _, k := range slices.Sorted(maps.Keys(m.Unparsed)) {
			bad = append(bad, fmt.Sprintf("unrecognized or malformed field '%s'", k))
		}
		return nil, errors.New(strings.Join(bad, "; ")) // as twine refuses them
	}
	mv, mvOK := parseMetadataVersion(m.MetadataVersion)
	var out []Field
	for _, f := range metaFields {
		values := nonEmpty(f.values(m))
		if len(values) == 0 {
			if f.form == "requires_python" && alwaysRequiresPython {
				out = append(out, Field{f.form, ""})
			}
			continue
		}
		if intro := dist.FieldIntroduced(f.header); mvOK && intro != "" {
			if v, ok := parseMetadataVersion(intro); ok && v > mv {
				if f.form == "license_file" {
					continue // twine drops it, as setuptools writes it into 2.1 metadata
				}
				return nil, fmt.Errorf("%s introduced in metadata version %s, not %s",
					strings.ToLower(f.header), intro, m.MetadataVersion)
			}
		}
		for _, v := range values {
			out = append(out, Field{f.form, v})
		}
	}
	return out, nil
}

func nonEmpty(values []string) []string {
	out := values[:0:0]
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// parseMetadataVersion turns "2.4" into 2004, so versions compare as ints.
func parseMetadataVersion(s string) (int, bool) {
	major, minor, ok := strings.Cut(strings.TrimSpace(s), ".")
	if !ok {
		return 0, false
	}
	a, err1 := strconv.Atoi(major)
	b, err2 := strconv.Atoi(minor)
	if err1 != nil || err2 != nil || a < 0 || b < 0 || b > 999 {
		return 0, false
	}
	return a*1000 + b, true
}

// pyversion is the form's pyversion: "source" for an sdist, the wheel's
// python tag set (e.g. "py2.py3") for a wheel.
func pyversion(f *dist.Filename) string {
	if f.Kind == dist.Sdist {
		return "source"
	}
	return strings.Join(f.PythonTags, ".")
}
