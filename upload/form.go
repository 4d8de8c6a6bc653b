package upload

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/dist/verify"
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

// Form returns the text fields of d's upload form with its digests, in
// the order Upload sends them when the digests are known before it
// starts (the package documentation lists them); it computes the
// digests if they are not known yet (see dist.Distribution.Digests). The
// file itself follows them as the "content" part. It reads the
// attestation files beside d unless opts.Attestations is
// AttestationsOff.
func Form(d *dist.Distribution, opts Options) ([]Field, error) {
	fields, err := FormWithoutDigests(d, opts)
	if err != nil {
		return nil, err
	}
	sums, err := d.Digests(opts.MD5)
	if err != nil {
		return nil, fmt.Errorf("upload: %s: %w", baseName(d), err)
	}
	return withDigests(fields, digestFields(sums, opts.MD5)), nil
}

// FormWithoutDigests returns Form's fields but the digests, and reads
// no more of d than its attestation files need (their subject is the
// file's sha256): what Upload sends before the file when it hashes the
// file as it sends it, the digest fields following the file.
func FormWithoutDigests(d *dist.Distribution, opts Options) ([]Field, error) {
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
	att, err := attestationsField(d, opts)
	if err != nil {
		return nil, err
	}
	if att != "" {
		fields = append(fields, Field{attestationsName, att})
	}
	return fields, nil
}

// attestationsName is the form field of the attestations, which Form
// sends last.
const attestationsName = "attestations"

// withDigests returns fields with the digest fields where Form puts
// them: after the others, but before the attestations.
func withDigests(fields, digests []Field) []Field {
	at := len(fields)
	if at > 0 && fields[at-1].Name == attestationsName {
		at--
	}
	return slices.Concat(fields[:at], digests, fields[at:])
}

// digestFields are the digest fields of sums: sha256 and blake2b-256, as
// twine 6+ sends, and md5 when asked for.
func digestFields(sums dist.Digests, withMD5 bool) []Field {
	fields := []Field{{"sha256_digest", sums.SHA256}, {"blake2_256_digest", sums.BLAKE2b256}}
	if withMD5 {
		fields = append(fields, Field{"md5_digest", sums.MD5})
	}
	return fields
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
	newer := m.FieldsNewerThan(m.MetadataVersion)
	var out []Field
	for _, f := range metaFields {
		values := nonEmpty(f.values(m))
		if len(values) == 0 {
			if f.form == "requires_python" && alwaysRequiresPython {
				out = append(out, Field{f.form, ""})
			}
			continue
		}
		if slices.Contains(newer, f.header) {
			if f.form == "license_file" {
				continue // twine drops it, as setuptools writes it into 2.1 metadata
			}
			var e *verify.Error
			errors.As(verify.FieldIntroduced(f.header, dist.FieldIntroduced(f.header), m.MetadataVersion), &e)
			return nil, errors.New(e.Message)
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

// pyversion is the form's pyversion: "source" for an sdist, the wheel's
// python tag set (e.g. "py2.py3") for a wheel.
func pyversion(f *dist.Filename) string {
	if f.Kind == dist.Sdist {
		return "source"
	}
	return strings.Join(f.PythonTags, ".")
}
