package upload

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpub/pypi/dist"
)

const richMETADATA = `Metadata-Version: 2.4
Name: my_pkg
Version: 1.0
Summary: Does things
Description-Content-Type: text/markdown
Keywords: a, b,c
Author: Ann
Author-email: ann@example.com
License-Expression: MIT
License-File: LICENSE
License-File: NOTICE
Classifier: Programming Language :: Python :: 3
Classifier: Operating System :: OS Independent
Requires-Python: >=3.9
Requires-Dist: requests>=2
Requires-Dist: tomli; python_version < "3.11"
Project-URL: Homepage, https://example.com
Project-URL: Issues, https://example.com/issues
Provides-Extra: dev
Dynamic: Classifier

# Title

Body.
`

func richMetadata(t testing.TB) *dist.Metadata { return metadata(t, richMETADATA) }

func TestFormWheel(t *testing.T) {
	t.Parallel()
	text := strings.Replace(richMETADATA, "2.4", "2.5", 1)
	m := metadata(t, strings.Replace(text, "Dynamic: Classifier\n", "Dynamic: Classifier\nImport-Name: my_pkg\n", 1))
	d := newDist(t, "", "my_pkg-1.0-py2.py3-none-any.whl", []byte("wheel bytes"), m)
	got, err := Form(d, Options{Comment: "built by CI"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Field{
		{":action", "file_upload"},
		{"protocol_version", "1"},
		{"metadata_version", "2.5"},
		{"name", "my_pkg"},
		{"version", "1.0"},
		{"filetype", "bdist_wheel"},
		{"pyversion", "py2.py3"},
		{"summary", "Does things"},
		{"description", "# Title\n\nBody.\n"},
		{"description_content_type", "text/markdown"},
		{"keywords", "a, b, c"},
		{"author", "Ann"},
		{"author_email", "ann@example.com"},
		{"license_expression", "MIT"},
		{"license_file", "LICENSE"},
		{"license_file", "NOTICE"},
		{"classifiers", "Programming Language :: Python :: 3"},
		{"classifiers", "Operating System :: OS Independent"},
		{"requires_python", ">=3.9"},
		{"requires_dist", "requests>=2"},
		{"requires_dist", `tomli; python_version < "3.11"`},
		{"project_urls", "Homepage, https://example.com"},
		{"project_urls", "Issues, https://example.com/issues"},
		{"provides_extra", "dev"},
		{"dynamic", "Classifier"},
		{"import_name", "my_pkg"},
		{"comment", "built by CI"},
		{"sha256_digest", sums(t, d).SHA256},
		{"blake2_256_digest", sums(t, d).BLAKE2b256},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Form (-want +got):\n%s", diff)
	}
}

func TestFormSdistAndOptions(t *testing.T) {
	t.Parallel()
	m := metadata(t, "Metadata-Version: 2.1\nName: pkg\nVersion: 2.0\nLicense-File: LICENSE\n")
	d := newDist(t, "", "pkg-2.0.tar.gz", []byte("sdist bytes"), m)
	got, err := Form(d, Options{MD5: true, AlwaysSendRequiresPython: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []Field{
		{":action", "file_upload"},
		{"protocol_version", "1"},
		{"metadata_version", "2.1"},
		{"name", "pkg"},
		{"version", "2.0"},
		{"filetype", "sdist"},
		{"pyversion", "source"},
		// license_file dropped: Metadata-Version 2.1 (as twine does)
		{"requires_python", ""},
		{"sha256_digest", sums(t, d).SHA256},
		{"blake2_256_digest", sums(t, d).BLAKE2b256},
		{"md5_digest", sums(t, d).MD5},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Form (-want +got):\n%s", diff)
	}
}

func TestFormRefusesFieldsNewerThanMetadataVersion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		mv, field, want string
	}{
		{"1.0", "Requires-Dist: x", "requires-dist introduced in metadata version 1.2, not 1.0"},
		{"2.1", "License-Expression: MIT", "license-expression introduced in metadata version 2.4, not 2.1"},
		{"2.1", "Dynamic: Summary", "dynamic introduced in metadata version 2.2, not 2.1"},
		{"2.4", "Import-Name: pkg", "import-name introduced in metadata version 2.5, not 2.4"},
	} {
		m := metadata(t, "Metadata-Version: "+tc.mv+"\nName: pkg\nVersion: 1.0\n"+tc.field+"\n")
		d := newDist(t, "", "pkg-1.0.tar.gz", []byte("x"), m)
		_, err := Form(d, Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "pkg-1.0.tar.gz") {
			t.Errorf("Form(%s) error = %v, want one naming the file and %q", tc.mv, err, tc.want)
		}
	}
}

// TestFormWithoutDigests: the form without digests is Form's but the
// digest fields, and is made without reading the file (here, gone).
func TestFormWithoutDigests(t *testing.T) {
	t.Parallel()
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("x"), nil)
	full, err := Form(d, Options{MD5: true, Comment: "c"})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(d.Path); err != nil {
		t.Fatal(err)
	}
	got, err := FormWithoutDigests(d, Options{MD5: true, Comment: "c"})
	if err != nil {
		t.Fatal(err)
	}
	want := slices.DeleteFunc(slices.Clone(full), func(f Field) bool { return strings.HasSuffix(f.Name, "_digest") })
	if diff := cmp.Diff(want, got); diff != "" || len(full)-len(got) != 3 {
		t.Errorf("FormWithoutDigests (-Form without digests +got):\n%s", diff)
	}
	if _, err := Form(d, Options{}); err == nil || !strings.Contains(err.Error(), d.Path) {
		t.Errorf("Form of a missing file: err = %v, want one naming it", err)
	}
}

func TestFormRefusesUnparsedFields(t *testing.T) {
	t.Parallel()
	m := metadata(t, "Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\nSummary: a\nSummary: b\nX-Custom: y\n")
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("x"), m)
	_, err := Form(d, Options{})
	want := "upload: pkg-1.0.tar.gz: invalid distribution metadata: unrecognized or malformed field 'summary'; unrecognized or malformed field 'x-custom'"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}
