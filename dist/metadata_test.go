package dist

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hs builds headers from name, value pairs.
func hs(nv ...string) []Header {
	var h []Header
	for i := 0; i < len(nv); i += 2 {
		h = append(h, Header{Name: nv[i], Value: nv[i+1]})
	}
	return h
}

// metadataCases are the grammar edge cases of the core metadata format
// (RFC 822 headers as Python's email compat32 parser reads them, and a
// body or Description field), each with every field it must produce. The
// interop test runs Python on the same inputs.
var metadataCases = []struct {
	name string
	in   string
	want Metadata
}{
	{
		name: "minimal",
		in:   "Metadata-Version: 2.1\nName: foo\nVersion: 1.0\n",
		want: Metadata{MetadataVersion: "2.1", Name: "foo", Version: "1.0",
			Headers: hs("Metadata-Version", "2.1", "Name", "foo", "Version", "1.0")},
	},
	{
		name: "empty file",
		in:   "",
		want: Metadata{},
	},
	{
		name: "CRLF with body",
		in:   "Name: foo\r\nSummary: s\r\n\r\nline 1\r\n\r\nline 3\r\n",
		want: Metadata{Name: "foo", Summary: "s", Description: "line 1\r\n\r\nline 3\r\n", DescriptionInBody: true,
			Headers: hs("Name", "foo", "Summary", "s")},
	},
	{
		name: "CR only",
		in:   "Name: foo\rVersion: 1\r\rbody\r",
		want: Metadata{Name: "foo", Version: "1", Description: "body\r", DescriptionInBody: true,
			Headers: hs("Name", "foo", "Version", "1")},
	},
	{
		name: "no trailing newline, no space after colon",
		in:   "Name:foo\nVersion:1.0",
		want: Metadata{Name: "foo", Version: "1.0", Headers: hs("Name", "foo", "Version", "1.0")},
	},
	{
		name: "leading blanks stripped, trailing kept",
		in:   "Name: \t foo  \n",
		want: Metadata{Name: "foo  ", Headers: hs("Name", "foo  ")},
	},
	{
		name: "continuation lines kept raw",
		in:   "Summary: a\n\tb\n  c\r\nName: n\n",
		want: Metadata{Summary: "a\n\tb\n  c", Name: "n", Headers: hs("Summary", "a\n\tb\n  c", "Name", "n")},
	},
	{
		name: "empty first line then continuation",
		in:   "Summary:\n  wrapped\n",
		want: Metadata{Summary: "\n  wrapped", Headers: hs("Summary", "\n  wrapped")},
	},
	{
		name: "whitespace-only line is a continuation",
		in:   "Name: foo\n \nVersion: 1\n",
		want: Metadata{Name: "foo\n ", Version: "1", Headers: hs("Name", "foo\n ", "Version", "1")},
	},
	{
		name: "leading space on the first line loses the header",
		in:   " Metadata-Version: 2.1\n continued\nName: foo\n",
		want: Metadata{Name: "foo", Headers: hs("Name", "foo")},
	},
	{
		name: "byte order mark makes everything the body",
		in:   "\ufeffMetadata-Version: 2.1\nName: foo\n",
		want: Metadata{Description: "\ufeffMetadata-Version: 2.1\nName: foo\n", DescriptionInBody: true},
	},
	{
		name: "space before colon ends the headers without a blank line",
		in:   "Name: foo\nSummary : x\nVersion: 1\n",
		want: Metadata{Name: "foo", Description: "Summary : x\nVersion: 1\n", DescriptionInBody: true,
			Headers: hs("Name", "foo")},
	},
	{
		name: "line without colon ends the headers",
		in:   "Name: foo\njust text\n\nmore\n",
		want: Metadata{Name: "foo", Description: "just text\n\nmore\n", DescriptionInBody: true,
			Headers: hs("Name", "foo")},
	},
	{
		name: "From envelope line skipped",
		in:   "From someone@example.org Mon Jan 1\nName: foo\n",
		want: Metadata{Name: "foo", Headers: hs("Name", "foo")},
	},
	{
		name: "misplaced From line and its continuation dropped",
		in:   "Name: foo\nFrom x\n y\nVersion: 1\n",
		want: Metadata{Name: "foo", Version: "1", Headers: hs("Name", "foo", "Version", "1")},
	},
	{
		name: "From line last in the headers starts the body",
		in:   "Name: foo\nFrom x\n\nbody\n",
		want: Metadata{Name: "foo", Description: "From x\nbody\n", DescriptionInBody: true,
			Headers: hs("Name", "foo")},
	},
	{
		name: "From: is an ordinary unknown header",
		in:   "From: someone\nName: foo\n",
		want: Metadata{Name: "foo", Headers: hs("From", "someone", "Name", "foo"),
			Unparsed: map[string][]string{"from": {"someone"}}},
	},
	{
		name: "empty field name dropped with its continuation",
		in:   "Name: a\n:x\n y\nVersion: 1\n",
		want: Metadata{Name: "a", Version: "1", Headers: hs("Name", "a", "Version", "1")},
	},
	{
		name: "NUL in a value",
		in:   "Name: a\x00b\n",
		want: Metadata{Name: "a\x00b", Headers: hs("Name", "a\x00b")},
	},
	{
		name: "control character in a name ends the headers",
		in:   "Name: a\nX\x01: y\n",
		want: Metadata{Name: "a", Description: "X\x01: y\n", DescriptionInBody: true, Headers: hs("Name", "a")},
	},
	{
		name: "names in any case",
		in:   "nAmE: foo\nVERSION: 1\n",
		want: Metadata{Name: "foo", Version: "1", Headers: hs("nAmE", "foo", "VERSION", "1")},
	},
	{
		name: "repeated single-use field",
		in:   "Name: a\nVersion: 1\nNAME: b\n",
		want: Metadata{Version: "1", Headers: hs("Name", "a", "Version", "1", "NAME", "b"),
			Unparsed: map[string][]string{"name": {"a", "b"}}},
	},
	{
		name: "unknown fields",
		in:   "X-Custom: 1\nx-custom: 2\nWheel-Version: 1.0\n",
		want: Metadata{Headers: hs("X-Custom", "1", "x-custom", "2", "Wheel-Version", "1.0"),
			Unparsed: map[string][]string{"x-custom": {"1", "2"}, "wheel-version": {"1.0"}}},
	},
	{
		name: "multi-use fields in order",
		in:   "Classifier: b\nRequires-Dist: x\nclassifier: a\nPlatform: UNKNOWN\n",
		want: Metadata{Classifiers: []string{"b", "a"}, RequiresDist: []string{"x"}, Platforms: []string{"UNKNOWN"},
			Headers: hs("Classifier", "b", "Requires-Dist", "x", "classifier", "a", "Platform", "UNKNOWN")},
	},
	{
		name: "UTF-8 value",
		in:   "Author: Andr\xc3\xa9\n",
		want: Metadata{Author: "André", Headers: hs("Author", "André")},
	},
	{
		name: "value not UTF-8 goes to Unparsed as Latin-1",
		in:   "Author: Andr\xe9\nAuthor: Bob\n",
		want: Metadata{Headers: hs("Author", "Andr\xe9", "Author", "Bob"),
			Unparsed: map[string][]string{"author": {"André", "Bob"}}},
	},
	{
		name: "RFC 2047 encoded word kept verbatim",
		in:   "Author: =?utf-8?q?Andr=C3=A9?=\n",
		want: Metadata{Author: "=?utf-8?q?Andr=C3=A9?=", Headers: hs("Author", "=?utf-8?q?Andr=C3=A9?=")},
	},
	{
		name: "Description with 8-space continuation",
		in:   "Description: line 1\n        line 2\n        \n            indented\n",
		want: Metadata{Description: "line 1\nline 2\n\n    indented",
			Headers: hs("Description", "line 1\n        line 2\n        \n            indented")},
	},
	{
		name: "Description with 7 spaces and a bar",
		in:   "Description: line 1\r\n       |line 2\r\n       |\r\n       |  indented\r\n",
		want: Metadata{Description: "line 1\r\nline 2\r\n\r\n  indented",
			Headers: hs("Description", "line 1\r\n       |line 2\r\n       |\r\n       |  indented")},
	},
	{
		name: "Description continuation with other indentation kept",
		in:   "Description: a\n\tb\n   c\n",
		want: Metadata{Description: "a\n\tb\n   c", Headers: hs("Description", "a\n\tb\n   c")},
	},
	{
		name: "Description in header and body",
		in:   "Description: head\n\nbody\n",
		want: Metadata{Headers: hs("Description", "head"),
			Unparsed: map[string][]string{"description": {"head", "body\n"}}},
	},
	{
		name: "empty Description header and body",
		in:   "Description:\n\nbody",
		want: Metadata{Headers: hs("Description", ""),
			Unparsed: map[string][]string{"description": {"", "body"}}},
	},
	{
		name: "blank body after a Description header still conflicts",
		in:   "Description: d\n\n\n",
		want: Metadata{Headers: hs("Description", "d"),
			Unparsed: map[string][]string{"description": {"d", "\n"}}},
	},
	{
		name: "repeated Description header and a body",
		in:   "Description: a\nDescription: b\n\nbody",
		want: Metadata{Headers: hs("Description", "a", "Description", "b"),
			Unparsed: map[string][]string{"description": {"a", "b", "body"}}},
	},
	{
		name: "empty body is no Description",
		in:   "Name: x\n\n",
		want: Metadata{Name: "x", Headers: hs("Name", "x")},
	},
	{
		name: "body not UTF-8",
		in:   "Name: x\n\n\xff\xfe\n",
		want: Metadata{Name: "x", Headers: hs("Name", "x"),
			Unparsed: map[string][]string{"description": {"ÿþ\n"}}},
	},
	{
		name: "header Description kept when the body is not UTF-8",
		in:   "Description: d\n\n\xff",
		want: Metadata{Description: "d", Headers: hs("Description", "d"),
			Unparsed: map[string][]string{"description": {"ÿ"}}},
	},
	{
		name: "Content-Transfer-Encoding does not decode the body",
		in:   "Content-Transfer-Encoding: base64\n\naGVsbG8=\n",
		want: Metadata{Description: "aGVsbG8=\n", DescriptionInBody: true,
			Headers:  hs("Content-Transfer-Encoding", "base64"),
			Unparsed: map[string][]string{"content-transfer-encoding": {"base64"}}},
	},
	{
		name: "Keywords kept raw",
		in:   "Keywords: a, b,c ,\n",
		want: Metadata{Keywords: "a, b,c ,", Headers: hs("Keywords", "a, b,c ,")},
	},
	{
		name: "Project-URL split at the first comma and stripped",
		in:   "Project-URL: A,B,C\nProject-URL:  Source Code , https://x \nProject-URL: no comma\n",
		want: Metadata{
			ProjectURLs: []ProjectURL{{"A", "B,C"}, {"Source Code", "https://x"}, {"no comma", ""}},
			Headers:     hs("Project-URL", "A,B,C", "Project-URL", "Source Code , https://x ", "Project-URL", "no comma"),
		},
	},
	{
		name: "empty Project-URL",
		in:   "Project-URL:\n",
		want: Metadata{ProjectURLs: []ProjectURL{{"", ""}}, Headers: hs("Project-URL", "")},
	},
	{
		name: "duplicate Project-URL labels",
		in:   "Project-URL: Home, https://a\nProject-URL: Docs, https://d\nProject-URL: Home , https://b\n",
		want: Metadata{Headers: hs("Project-URL", "Home, https://a", "Project-URL", "Docs, https://d", "Project-URL", "Home , https://b"),
			Unparsed: map[string][]string{"project-url": {"Home, https://a", "Docs, https://d", "Home , https://b"}}},
	},
	{
		name: "one empty Import-Name means none",
		in:   "Import-Name:\n",
		want: Metadata{ImportNames: []string{}, Headers: hs("Import-Name", "")},
	},
	{
		name: "two empty Import-Names stay",
		in:   "Import-Name:\nImport-Name:\nImport-Namespace: ns\n",
		want: Metadata{ImportNames: []string{"", ""}, ImportNamespaces: []string{"ns"},
			Headers: hs("Import-Name", "", "Import-Name", "", "Import-Namespace", "ns")},
	},
}

func TestParseMetadata(t *testing.T) {
	t.Parallel()
	for _, tc := range metadataCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := ParseMetadata([]byte(tc.in))
			if err != nil {
				t.Fatalf("ParseMetadata(%q): %v", tc.in, err)
			}
			if d := cmp.Diff(&tc.want, m); d != "" {
				t.Errorf("ParseMetadata(%q) (-want +got):\n%s", tc.in, d)
			}
		})
	}
}

// TestParseMetadataEveryField checks that every field of the struct is
// filled from a file that uses every field of metadata 2.5.
func TestParseMetadataEveryField(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/metadata/full-2.5.METADATA")
	if err != nil {
		t.Fatal(err)
	}
	m, err := ParseMetadata(b)
	if err != nil {
		t.Fatal(err)
	}
	want := &Metadata{
		MetadataVersion:        "2.5",
		Name:                   "every-field",
		Version:                "1.2.3",
		Dynamic:                []string{"Requires-Dist", "license-file"},
		Platforms:              []string{"Linux", "Windows"},
		SupportedPlatforms:     []string{"manylinux_2_28_x86_64"},
		Summary:                "A package that uses every field",
		Description:            "# Every field\n\nThis README is the body: *Markdown*.\n",
		DescriptionContentType: "text/markdown; charset=UTF-8; variant=GFM",
		Keywords:               "one, two,three ,four five",
		HomePage:               "https://example.org/home",
		DownloadURL:            "https://example.org/download",
		Author:                 "Ann Author",
		AuthorEmail:            "Ann Author <ann@example.org>",
		Maintainer:             "Max Maintainer",
		MaintainerEmail:        "max@example.org",
		License:                "the old free-text licence",
		LicenseExpression:      "MIT OR Apache-2.0",
		LicenseFiles:           []string{"LICENSE", "licenses/NOTICE.txt"},
		Classifiers:            []string{"Programming Language :: Python :: 3", "Operating System :: OS Independent"},
		RequiresDist:           []string{"requests>=2.0", `tomli; python_version < "3.11"`, `pytest; extra == "test"`},
		RequiresPython:         ">=3.9",
		RequiresExternal:       []string{"libpq (>=9.0)"},
		ProjectURLs:            []ProjectURL{{"Homepage", "https://example.org"}, {"Source Code", "https://example.org/src,main"}},
		ProvidesExtra:          []string{"test"},
		ProvidesDist:           []string{"every_field_alias (1.2.3)"},
		ObsoletesDist:          []string{"old-every-field"},
		Requires:               []string{"os"},
		Provides:               []string{"every_field"},
		Obsoletes:              []string{"old_every_field"},
		ImportNames:            []string{"every_field", "every_field._private; private"},
		ImportNamespaces:       []string{"every_ns"},
		DescriptionInBody:      true,
	}
	if d := cmp.Diff(want, m, cmp.FilterPath(func(p cmp.Path) bool {
		return p.String() == "Headers"
	}, cmp.Ignore())); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if len(m.Headers) != 39 {
		t.Errorf("got %d headers, want 39", len(m.Headers))
	}
	if got, want := m.KeywordList(), []string{"one", "two", "three", "four five"}; !cmp.Equal(got, want) {
		t.Errorf("KeywordList() = %q, want %q", got, want)
	}
	if got := m.FieldsNewerThan("2.5"); got != nil {
		t.Errorf("FieldsNewerThan(2.5) = %q, want none", got)
	}
	want21 := []string{"Dynamic", "License-Expression", "License-File", "Import-Name", "Import-Namespace"}
	if got := m.FieldsNewerThan("2.1"); !cmp.Equal(got, want21) {
		t.Errorf("FieldsNewerThan(2.1) = %q, want %q", got, want21)
	}
}

func TestKeywordList(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Keywords: a, b,c\n", []string{"a", "b", "c"}},
		{"Keywords: a b\n", []string{"a b"}},
		{"Keywords:\n", []string{""}},
		{"Keywords: x,\u00a0y\u2028,\x1cz\n", []string{"x", "y", "z"}},
		{"Name: no keywords\n", nil},
		{"Keywords: a\nKeywords: b\n", nil}, // repeated: in Unparsed
	} {
		m, _ := ParseMetadata([]byte(tc.in))
		if got := m.KeywordList(); !cmp.Equal(got, tc.want) {
			t.Errorf("%q: KeywordList() = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRawDescription(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, raw, unfolded string }{
		{"Description: a\n        b\n", "a\n        b", "a\nb"},
		{"Name: x\n\n  body\n", "  body\n", "  body\n"},
		{"Description: a\nDescription: b\n", "", ""},
	} {
		m, _ := ParseMetadata([]byte(tc.in))
		if got := m.RawDescription(); got != tc.raw {
			t.Errorf("%q: RawDescription() = %q, want %q", tc.in, got, tc.raw)
		}
		if m.Description != tc.unfolded {
			t.Errorf("%q: Description = %q, want %q", tc.in, m.Description, tc.unfolded)
		}
	}
}

func TestPresent(t *testing.T) {
	t.Parallel()
	m, _ := ParseMetadata([]byte("Name: x\nname: y\nSummary:\nX-Thing: 1\n\nbody"))
	for field, want := range map[string]bool{
		"Name": true, "NAME": true, "summary": true, "x-thing": true,
		"Description": true, "Version": false, "License-File": false,
	} {
		if got := m.Present(field); got != want {
			t.Errorf("Present(%q) = %v, want %v", field, got, want)
		}
	}
	m, _ = ParseMetadata([]byte("Name: x\n\n\xff"))
	if !m.Present("description") {
		t.Error("a body that is not UTF-8 is still a present Description")
	}
	m, _ = ParseMetadata([]byte("Name: x\n"))
	if m.Present("description") {
		t.Error("no body and no header: Description must not be present")
	}
}

func TestFieldIntroduced(t *testing.T) {
	t.Parallel()
	for field, want := range map[string]string{
		"Metadata-Version": "1.0", "name": "1.0", "Supported-Platform": "1.1",
		"Download-URL": "1.1", "Classifier": "1.1", "Maintainer": "1.2",
		"Requires-Dist": "1.2", "Project-URL": "1.2", "Requires": "1.1",
		"Description-Content-Type": "2.1", "Provides-Extra": "2.1",
		"Dynamic": "2.2", "License-Expression": "2.4", "license-file": "2.4",
		"Import-Name": "2.5", "IMPORT-NAMESPACE": "2.5",
		"X-Custom": "", "": "", "Platforms": "",
	} {
		if got := FieldIntroduced(field); got != want {
			t.Errorf("FieldIntroduced(%q) = %q, want %q", field, got, want)
		}
	}
}

func TestKnownMetadataVersion(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{
		"1.0": true, "1.1": true, "1.2": true, "2.1": true, "2.2": true, "2.3": true,
		"2.4": true, "2.5": true, "2.6": true,
		"2.0": false, "2.7": false, "3.0": false, "abc": false, "": false, "2.1 ": false, "02.1": false,
	} {
		if got := knownMetadataVersion(v); got != want {
			t.Errorf("knownMetadataVersion(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestFieldsNewerThan(t *testing.T) {
	t.Parallel()
	in := "Metadata-Version: 2.1\nLicense-Expression: MIT\nDynamic: a\nDynamic: b\n" +
		"Import-Name:\nLicense-File: a\nLicense-File: \xff\nX-New: 1\nProvides-Extra: e\n"
	m, _ := ParseMetadata([]byte(in))
	for version, want := range map[string][]string{
		"1.0": {"Dynamic", "License-Expression", "Provides-Extra", "Import-Name"},
		"2.1": {"Dynamic", "License-Expression", "Import-Name"},
		"2.2": {"License-Expression", "Import-Name"},
		"2.4": {"Import-Name"},
		"2.6": nil,
		"x":   nil,
		"2":   nil,
	} {
		if got := m.FieldsNewerThan(version); !cmp.Equal(got, want) {
			t.Errorf("FieldsNewerThan(%q) = %q, want %q", version, got, want)
		}
	}
}

func BenchmarkParseMetadata(b *testing.B) {
	for _, name := range []string{"full-2.5.METADATA", "legacy-1.0-8space.PKG-INFO"} {
		in, err := os.ReadFile("testdata/metadata/" + name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseMetadata(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
