package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The .pypirc files in testdata/pypirc read as twine reads them.
func TestPypircRepositories(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file string
		want map[string]repoConfig
	}{
		{"twine-docs.pypirc", map[string]repoConfig{
			"pypi":               {url: pypiUploadURL, username: "__token__", password: "pypi-for-pypi"},
			"testpypi":           {url: testPyPIUploadURL, username: "__token__", password: "pypi-for-testpypi"},
			"private-repository": {url: "https://private.example.com/legacy/", username: "alice", password: "alices-password"},
		}},
		// no [distutils]: pypi and testpypi; [server-login] for both
		{"server-login.pypirc", map[string]repoConfig{
			"pypi": {url: pypiUploadURL, username: "bob", password: "bobs-password"},
			"testpypi": {url: "https://test.example.com/legacy/", username: "bob", password: "bobs-password",
				caCert: "/etc/ssl/private-ca.pem", clientCert: "/etc/ssl/me.pem"},
		}},
		// index-servers without testpypi: no testpypi; unlisted sections are not repositories
		{"only-pypi.pypirc", map[string]repoConfig{"pypi": {url: pypiUploadURL, password: "pypi-only"}}},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", "pypirc", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		f, err := parseINI(tc.file, data)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		got := map[string]repoConfig{}
		for name, r := range pypircRepositories(f) {
			got[name] = *r
		}
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(repoConfig{})); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.file, diff)
		}
	}
}

// Bad .pypirc files fail naming the file, the line and the rule.
func TestPypircErrors(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "pypirc", "duplicate.pypirc"))
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{
		string(data):            `duplicate.pypirc: line 3: option "password" already exists in its section`,
		"password = x\n":        "duplicate.pypirc: line 1: an option before the first [section] header",
		"[a]\n[b]\n[a]\n":       `duplicate.pypirc: line 3: section "a" already exists`,
		"[a]\npypi-AgEItoken\n": `duplicate.pypirc: line 2: want "key = value", an indented continuation or a [section] header`, // never quoted: it may be a secret
		"[a]\n= no key\n":       `duplicate.pypirc: line 2: want "key = value", an indented continuation or a [section] header`,
		"[a]\nk = v\n  more\n":  "", // a continuation line
		"[a]\n  k = v\n":        "", // indented, but nothing to continue
		"[]\n":                  "duplicate.pypirc: line 1: an option before the first [section] header",
		"\xef\xbb\xbf[pypi]\n":  "", // a byte order mark is skipped
		"[pypi]\nk = v\n\tw\n":  "",
	} {
		_, err := parseINI("duplicate.pypirc", []byte(text))
		if got := errText(err); got != want && !(want == "" && err == nil) {
			t.Errorf("%q: error %q, want %q", text, got, want)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// The [[tool.uv.index]] tables of testdata/pyproject read as uv reads
// them, and a bad string names the file, the line and the key.
func TestUVIndexes(t *testing.T) {
	t.Parallel()
	path := filepath.Join("testdata", "pyproject", "uv-docs.toml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseUVIndexes(path, data)
	if err != nil {
		t.Fatal(err)
	}
	want := []uvIndex{
		{name: "testpypi", url: "https://test.pypi.org/simple/", publishURL: "https://test.pypi.org/legacy/"},
		{name: "private", url: "https://private.example.com/simple/", publishURL: "https://private.example.com/legacy/"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(uvIndex{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	bad := filepath.Join("testdata", "pyproject", "bad-string.toml")
	if data, err = os.ReadFile(bad); err != nil {
		t.Fatal(err)
	}
	if _, err := parseUVIndexes(bad, data); errText(err) != bad+": line 2: [[tool.uv.index]] name: unterminated string" {
		t.Errorf("bad-string.toml: %v", err)
	}
	for text, want := range map[string]string{
		"[[tool.uv.index]]\nname = 3\n":             "x.toml: line 2: [[tool.uv.index]] name: want a one-line string",
		"[[tool.uv.index]]\nurl = 'a' b\n":          "x.toml: line 2: [[tool.uv.index]] url: want only a comment after the value",
		"[[tool.uv.index]]\nurl = \"\\q\"\n":        "x.toml: line 2: [[tool.uv.index]] url: a bad escape sequence",
		"[[tool.uv.index]]\npublish-url = 'open\n":  "x.toml: line 2: [[tool.uv.index]] publish-url: unterminated string",
		"[tool.other]\nname = 3\n[[tool.uv.index]]": "",
	} {
		_, err := parseUVIndexes("x.toml", []byte(text))
		if got := errText(err); got != want {
			t.Errorf("%q: error %q, want %q", text, got, want)
		}
	}
}

// fuzzSeeds adds the files of testdata/dir to f's corpus.
func fuzzSeeds(f *testing.F, dir string) {
	paths, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seeds in testdata/%s: %v", dir, err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// FuzzPypirc: any .pypirc parses or fails with a line number, and every
// repository it defines has a URL when pypi's or testpypi's.
func FuzzPypirc(f *testing.F) {
	fuzzSeeds(f, "pypirc")
	f.Fuzz(func(t *testing.T, data []byte) {
		ini, err := parseINI("x", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "x: line ") {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		if r := pypircRepositories(ini)["pypi"]; r == nil || r.url == "" {
			t.Fatalf("pypi: %+v, want a URL", r)
		}
	})
}

// FuzzPyproject: any pyproject.toml gives indexes or an error naming the
// file and the line.
func FuzzPyproject(f *testing.F) {
	fuzzSeeds(f, "pyproject")
	f.Fuzz(func(t *testing.T, data []byte) {
		idx, err := parseUVIndexes("x", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "x: line ") {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		if n := strings.Count(string(data), "[["); len(idx) > n {
			t.Errorf("%d indexes from %d table headers", len(idx), n)
		}
	})
}
