package dist

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"

	"github.com/trustpub/pypi/dist/verify"
)

const coreHelp = " See https://packaging.python.org/specifications/core-metadata for more information."

// contentReply parses a METADATA file made of the spec's base fields plus
// extra, and returns the reply PyPI would send for its field contents.
func contentReply(t *testing.T, mv, extra string) (string, []*Problem) {
	t.Helper()
	src := "Metadata-Version: " + mv + "\nName: demo\nVersion: 1.0\n" + extra
	m, err := ParseMetadata([]byte(src))
	if err != nil {
		t.Fatalf("ParseMetadata(%q): %v", src, err)
	}
	problems := checkContent("demo-1.0.tar.gz", m, PyPI)
	return PyPIReply(problems), problems
}

// TestContentSpecTable runs metadata whose field contents PyPI refuses
// (each with Warehouse's reply, as its upload endpoint words it) through ParseMetadata, checkContent and PyPIReply, and
// asserts PyPI's whole reply.
func TestContentSpecTable(t *testing.T) {
	t.Parallel()
	label33 := "A23456789012345678901234567890123"
	tests := []struct {
		name, mv, extra, want string
	}{
		{"summary two lines", "2.4", "Summary: a\n\tb\n", "'summary' must be a single line." + coreHelp},
		{"summary 513", "2.4", "Summary: " + strings.Repeat("a", 513) + "\n", "'summary' field must be 512 characters or less." + coreHelp},
		{"summary twice", "2.4", "Summary: a\nSummary: b\n", "'summary' has invalid data." + coreHelp},
		{"DCT html", "2.4", "Description-Content-Type: text/html\n", "'description-content-type' must be one of ['text/x-rst', 'text/plain', 'text/markdown'], not 'text/html'." + coreHelp},
		{"DCT charset", "2.4", "Description-Content-Type: text/markdown; charset=utf-8\n", "'description-content-type' can only specify the UTF-8 charset, not 'utf-8'." + coreHelp},
		{"DCT variant", "2.4", "Description-Content-Type: text/markdown; variant=gfm\n", "valid Markdown variants for 'description-content-type' are ['GFM', 'CommonMark'], not 'gfm'." + coreHelp},
		{"DCT crash", "2.4", "Description-Content-Type: text/x-rst; x*\n", "'text/x-rst; x*' is not a valid content type for 'description-content-type'." + coreHelp},
		{"author email", "2.4", "Author-email: not an email\n", "'not' is not a valid email address: An email address must have an @-sign." + coreHelp},
		{"maintainer email", "2.4", "Maintainer-email: Foo <foo@localhost>\n", "'foo@localhost' is not a valid email address: The part after the @-sign is not valid. It should have a period." + coreHelp},
		{"emails skipped", "2.4", "Author-email: a@x.com, b@localhost\nMaintainer-email: foo@[127.0.0.1]\n", ""},
		{"classifier unknown", "2.4", "Classifier: Foo :: Bar\n", "'Foo :: Bar' is not a valid classifier." + coreHelp},
		{"classifier deprecated", "2.4", "Classifier: Natural Language :: Ukranian\n", "The classifier 'Natural Language :: Ukranian' has been deprecated, use one of ['Natural Language :: Ukrainian'] instead." + coreHelp},
		{"classifier no replacement", "2.4", "Classifier: License :: OSI Approved :: Intel Open Source License\n", "The classifier 'License :: OSI Approved :: Intel Open Source License' has been deprecated." + coreHelp},
		{"home-page", "2.4", "Home-page: example.com\n", "'example.com' is not a valid url." + coreHelp},
		{"home-page UNKNOWN is deleted by PyPI", "2.4", "Home-page: UNKNOWN\n", ""},
		{"download-url file", "2.4", "Download-URL: file:///etc/passwd\n", "'file:///etc/passwd' is not a valid url." + coreHelp},
		{"project-url no label", "2.4", "Project-URL: , https://x\n", "Must have a label." + coreHelp},
		{"project-url no url", "2.4", "Project-URL: Homepage\n", "Must have a URL." + coreHelp},
		{"project-url long label", "2.4", "Project-URL: " + label33 + ", https://x\n", "'" + label33 + "' must be 32 characters or less." + coreHelp},
		{"project-url bad url", "2.4", "Project-URL: Docs, not a url\n", "'not a url' is not a valid url." + coreHelp},
		{"project-url duplicate", "2.4", "Project-URL: Docs, https://a\nProject-URL: Docs, https://b\n", "'project_urls' has invalid data." + coreHelp},
		{"requires-dist", "2.4", "Requires-Dist: foo >=\n", "'foo >=' is invalid for 'requires-dist'." + coreHelp},
		{"requires-dist URL", "2.4", "Requires-Dist: foo @ https://example.com/foo-1.0.tar.gz\n", "Can't have direct dependency: foo @ https://example.com/foo-1.0.tar.gz." + coreHelp},
		{"requires-dist KeyError", "2.4", "Requires-Dist: foo{bar}\n", "'foo{bar}' is invalid for 'requires-dist'." + coreHelp},
		{"provides-dist URL", "2.4", "Provides-Dist: foo @ https://example.com/x\n", "Can't have direct dependency: 'foo @ https://example.com/x'." + coreHelp},
		{"obsoletes-dist", "2.4", "Obsoletes-Dist: Foo (1.0)\n", "'Foo (1.0)' is invalid: Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier\n    Foo (1.0)\n        ~^." + coreHelp},
		{"requires-python", "2.4", "Requires-Python: >=3.8 <4\n", "'>=3.8 <4' is invalid for 'requires-python'." + coreHelp},
		{"provides-extra", "2.4", "Provides-Extra: foo bar\n", "'foo bar' is invalid for 'provides-extra'." + coreHelp},
		{"dynamic name", "2.4", "Dynamic: Name\n", "'name' is not allowed as a dynamic field." + coreHelp},
		{"dynamic foo", "2.4", "Dynamic: Foo\n", "'foo' is not a valid dynamic field." + coreHelp},
		{"dynamic dynamic", "2.4", "Dynamic: Dynamic\n", "Dynamic field 'dynamic' is not a valid dynamic field." + coreHelp},
		{"license conflict", "2.4", "License: MIT\nLicense-Expression: MIT\n", "License is deprecated when License-Expression is present. Only License-Expression should be present." + coreHelp},
		{"license-expression", "2.4", "License-Expression: MIT/Apache-2.0\n", "'MIT/Apache-2.0' is invalid for 'license-expression'." + coreHelp},
		{"license-expression crash", "2.4", "License-Expression: LicenseRef-Foo+\n", "'LicenseRef-Foo+' is invalid for 'license-expression'." + coreHelp},
		{"license-file", "2.4", "License-File: ../LICENSE\n", "'../LICENSE' is invalid for 'license-file', parent directory indicators are not allowed." + coreHelp},
		{"import-name", "2.5", "Import-Name: foo.class\n", "'foo.class' is invalid for 'import-name'; 'class' is a keyword." + coreHelp},
		{"too new is not checked", "2.1", "License-Expression: Foo\n", ""},
		{"ordering: alphabetically first field", "2.4", "Classifier: Foo :: Bar\nAuthor-email: not an email\nRequires-Dist: foo @ https://x/y\n", "'not' is not a valid email address: An email address must have an @-sign." + coreHelp},
		{"ordering: packaging hides Warehouse", "2.4", "Summary: " + strings.Repeat("a", 600) + "\nRequires-Python: 3.8\nClassifier: Foo :: Bar\n", "'3.8' is invalid for 'requires-python'." + coreHelp},
		{"ordering: classifiers sorted, unknown first", "2.4", "Classifier: Zzz :: A\nClassifier: Natural Language :: Ukranian\nClassifier: Aaa :: B\n", "'Aaa :: B' is not a valid classifier." + coreHelp},
		{"valid", "2.4", "Summary: ok\nAuthor-email: Jane <jane@example.com>\nRequires-Dist: foo>=1; extra == 'x'\nProvides-Extra: x\nLicense-Expression: mit OR apache-2.0\nLicense-File: LICENSES/MIT.txt\nClassifier: Programming Language :: Python :: 3\nProject-URL: Source, https://example.com/src\n", ""},
	}
	for _, tc := range tests {
		got, problems := contentReply(t, tc.mv, tc.extra)
		if got != tc.want && !(strings.Contains(tc.want, "[") && sameList(got, tc.want)) {
			t.Errorf("%s:\n got %q\nwant %q\nproblems: %v", tc.name, got, tc.want, problems)
		}
	}
}

// sameList compares replies holding a Python set printed as a list,
// whose order PyPI randomises, as sets.
func sameList(got, want string) bool {
	norm := func(s string) string {
		i, j := strings.Index(s, "["), strings.Index(s, "]")
		if i < 0 || j < i {
			return s
		}
		items := strings.Split(s[i+1:j], ", ")
		for a := range items {
			for b := a + 1; b < len(items); b++ {
				if items[b] < items[a] {
					items[a], items[b] = items[b], items[a]
				}
			}
		}
		return s[:i] + strings.Join(items, ", ") + s[j:]
	}
	return norm(got) == norm(want)
}

// TestContentIdentity covers Name (the upload form's message, which wins
// over everything) and Version, whose local-version reply has its own URL.
func TestContentIdentity(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, src, want string }{
		{"form name", "Metadata-Version: 2.4\nName: demo_\nVersion: 1.0\nClassifier: Foo\n", "'demo_' is an invalid value for Name. Error: Start and end with a letter or numeral containing only ASCII numeric and '.', '_' and '-'." + coreHelp},
		{"name missing", "Metadata-Version: 2.4\nVersion: 1.0.x\n", "'' is an invalid value for Name. Error: This field is required." + coreHelp},
		{"name UNKNOWN", "Metadata-Version: 2.4\nName: UNKNOWN\nVersion: 1.0\n", "'' is an invalid value for Name. Error: This field is required." + coreHelp},
		{"version", "Metadata-Version: 2.4\nName: demo\nVersion: 1.0.x\n", "'1.0.x' is invalid for 'version'." + coreHelp},
		{"local version", "Metadata-Version: 2.4\nName: demo\nVersion: 01.0+Local_Build\n", "The use of local versions in '1.0+local.build' is not allowed. See https://packaging.python.org/en/latest/specifications/version-specifiers/#local-version-identifiers for more information."},
		{"local version hidden by packaging", "Metadata-Version: 2.4\nName: demo\nVersion: 1.0+x\nSummary: a\n b\nLicense-Expression: Foo\n", "'Foo' is invalid for 'license-expression'." + coreHelp},
	}
	for _, tc := range tests {
		m, err := ParseMetadata([]byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		if got := PyPIReply(checkContent("demo-1.0.tar.gz", m, PyPI)); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// TestContentLenient checks that the Lenient profile reports the same
// problems as warnings, so that PyPIReply finds no error.
func TestContentLenient(t *testing.T) {
	t.Parallel()
	m, err := ParseMetadata([]byte("Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nClassifier: Foo\nRequires-Dist: foo >=\n"))
	if err != nil {
		t.Fatal(err)
	}
	pypi, lenient := checkContent("f", m, PyPI), checkContent("f", m, Lenient)
	if len(pypi) != 2 || len(lenient) != len(pypi) {
		t.Fatalf("PyPI problems %v, Lenient problems %v; want 2 of each", pypi, lenient)
	}
	for i, p := range lenient {
		if p.Severity != SeverityWarning || pypi[i].Severity != SeverityError || p.Message != pypi[i].Message {
			t.Errorf("problem %d: PyPI %+v, Lenient %+v", i, pypi[i], p)
		}
	}
	if got := PyPIReply(lenient); got != "" {
		t.Errorf("PyPIReply(warnings) = %q, want \"\"", got)
	}
}

// TestContentImportNameOverlap checks the warning PyPI does not give.
func TestContentImportNameOverlap(t *testing.T) {
	t.Parallel()
	reply, problems := contentReply(t, "2.5", "Import-Name: demo.x\nImport-Namespace: demo\nImport-Namespace: demo.x ; private\n")
	if reply != "" || len(problems) != 1 || problems[0].Severity != SeverityWarning || problems[0].Rule != "import-name-overlap" {
		t.Fatalf("reply %q, problems %v", reply, problems)
	}
	if want := "'demo.x' is both an Import-Name and an Import-Namespace; the core metadata specification forbids it"; problems[0].Message != want {
		t.Errorf("message %q, want %q", problems[0].Message, want)
	}
}

// TestContentDetail checks that a problem keeps the cause PyPI hides, and
// that the reply drops it.
func TestContentDetail(t *testing.T) {
	t.Parallel()
	_, problems := contentReply(t, "2.4", "Requires-Dist: foo bar\n")
	if len(problems) != 1 {
		t.Fatalf("problems = %v, want 1", problems)
	}
	want := "'foo bar' is invalid for 'requires-dist'" + detailSep + "Expected semicolon (after name with no version specifier) or end\n    foo bar\n        ^"
	if p := problems[0]; p.Message != want || p.Field != "requires-dist" || p.Rule != verify.RuleRequirement || p.File != "demo-1.0.tar.gz" {
		t.Errorf("problem = %+v\nwant message %q", p, want)
	}
}

// wheelWith returns an in-memory wheel demo-1.0-py3-none-any.whl whose
// METADATA is metadata.
func wheelWith(t *testing.T, metadata string) *Distribution {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	files := []struct{ name, body string }{
		{"demo/__init__.py", ""},
		{"demo-1.0.dist-info/METADATA", metadata},
		{"demo-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
	}
	var record strings.Builder
	for _, f := range files {
		w, err := z.CreateRaw(&zip.FileHeader{Name: f.name, Method: zip.Store, CRC32: crc32.ChecksumIEEE([]byte(f.body)),
			CompressedSize64: uint64(len(f.body)), UncompressedSize64: uint64(len(f.body))})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, f.body)
		sum := sha256.Sum256([]byte(f.body))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", f.name, base64.RawURLEncoding.EncodeToString(sum[:]), len(f.body))
	}
	record.WriteString("demo-1.0.dist-info/RECORD,,\n")
	rec := record.String()
	w, err := z.CreateRaw(&zip.FileHeader{Name: "demo-1.0.dist-info/RECORD", Method: zip.Store, CRC32: crc32.ChecksumIEEE([]byte(rec)),
		CompressedSize64: uint64(len(rec)), UncompressedSize64: uint64(len(rec))})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, rec)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	d, err := OpenReaderAt("demo-1.0-py3-none-any.whl", bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("OpenReaderAt: %v", err)
	}
	return d
}

// TestCheckReply runs the Metadata-Version cases of PyPI's replies,
// which Check applies beside checkContent, through a whole wheel.
func TestCheckReply(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, metadata, want string }{
		{"MV 2.6", "Metadata-Version: 2.6\nName: demo\nVersion: 1.0\n", "'2.6' is not a valid metadata version." + coreHelp},
		{"MV 2.0", "Metadata-Version: 2.0\nName: demo\nVersion: 1.0\n", "'2.0' is not a valid metadata version." + coreHelp},
		{"License-Expression under 2.1", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nLicense-Expression: MIT\n", "license-expression introduced in metadata version 2.4, not 2.1." + coreHelp},
		{"Dynamic under 2.1", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nDynamic: Summary\n", "dynamic introduced in metadata version 2.2, not 2.1." + coreHelp},
		{"Import-Name under 2.4", "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nImport-Name: demo\n", "import-name introduced in metadata version 2.5, not 2.4." + coreHelp},
		{"classifier", "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nClassifier: Foo :: Bar\n", "'Foo :: Bar' is not a valid classifier." + coreHelp},
		{"valid", "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nSummary: fine\n", ""},
	}
	for _, tc := range tests {
		d := wheelWith(t, tc.metadata)
		if got := PyPIReply(d.Check(PyPI)); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q\nproblems %v", tc.name, got, tc.want, d.Check(PyPI))
		}
	}
}

func BenchmarkCheckContent(b *testing.B) {
	m, err := ParseMetadata([]byte("Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nSummary: s\n" +
		"Author-email: Jane <jane@example.com>\nHome-page: https://example.com\nLicense-Expression: MIT OR Apache-2.0\n" +
		"Classifier: Programming Language :: Python :: 3\nClassifier: License :: OSI Approved :: MIT License\n" +
		"Requires-Dist: requests>=2.31; python_version >= '3.8'\nRequires-Dist: foo[bar]~=1.2\nRequires-Python: >=3.8\n" +
		"Project-URL: Source, https://example.com/src\n"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ps := checkContent("demo-1.0.tar.gz", m, PyPI); len(ps) != 0 {
			b.Fatal(ps)
		}
	}
}

func ExamplePyPIReply() {
	problems := []*Problem{
		{File: "demo-1.0.tar.gz", Field: "classifier", Rule: verify.RuleClassifierUnknown, Message: "'Foo :: Bar' is not a valid classifier."},
		{File: "demo-1.0.tar.gz", Field: "author-email", Rule: verify.RuleEmail, Message: "'not' is not a valid email address: An email address must have an @-sign."},
	}
	fmt.Println(PyPIReply(problems))
	// Output:
	// 'not' is not a valid email address: An email address must have an @-sign. See https://packaging.python.org/specifications/core-metadata for more information.
}

// TestContentDescription checks that a description PyPI cannot render is
// refused before upload with PyPI's message, the renderer's line and
// message as the cause, and that the reply puts it after metadata errors.
func TestContentDescription(t *testing.T) {
	t.Parallel()
	const rstHelp = "The description failed to render in the default format of reStructuredText. See https://pypi.org/help/#description-content-type for more information."
	for _, tc := range []struct {
		name, extra string
		want        string // PyPI's reply; "" when it renders
		cause       string
	}{
		{"good rst", "Summary: s\n\nTitle\n=====\n\nText with a `link <https://example.com>`_.\n", "", ""},
		{"broken rst", "Summary: s\n\nText\n\n.. unknown-directive:: x\n", rstHelp, "line 3: Unknown directive type \"unknown-directive\"."},
		{"markdown renders to nothing", "Description-Content-Type: text/markdown\n\n[only]: https://example.com/a-link-definition\n",
			"The description failed to render for 'text/markdown'. See https://pypi.org/help/#description-content-type for more information.", ""},
		{"plain text never fails", "Description-Content-Type: text/plain\n\n.. unknown-directive:: x\n", "", ""},
		{"metadata errors come first", "Classifier: Foo :: Bar\n\n.. unknown-directive:: x\n", "'Foo :: Bar' is not a valid classifier. See https://packaging.python.org/specifications/core-metadata for more information.", ""},
	} {
		reply, problems := contentReply(t, "2.1", tc.extra)
		if reply != tc.want {
			t.Errorf("%s: reply %q, want %q", tc.name, reply, tc.want)
		}
		if tc.cause == "" {
			continue
		}
		var found bool
		for _, p := range problems {
			if p.Field == "description" {
				found = true
				if want := rstHelp + detailSep + tc.cause; p.Message != want || p.Rule != "description-render" {
					t.Errorf("%s: problem %q (%s), want %q", tc.name, p.Message, p.Rule, want)
				}
			}
		}
		if !found {
			t.Errorf("%s: no description problem in %v", tc.name, problems)
		}
	}
}
