package pypitest

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// legacySeeds adds every file of testdata/<dir> to f through add.
func legacySeeds(f *testing.F, dir string, add func(b []byte)) {
	paths, _ := filepath.Glob(filepath.Join("testdata", dir, "*"))
	if len(paths) == 0 {
		f.Fatalf("no seeds in testdata/%s", dir)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		add(b)
	}
}

// FuzzReadUploadForm reads request bodies as upload forms. Seeds are
// testdata/legacy files: the Content-Type line, then the body.
func FuzzReadUploadForm(f *testing.F) {
	legacySeeds(f, "legacy", func(b []byte) {
		ctype, body, _ := strings.Cut(string(b), "\n")
		f.Add(ctype, []byte(body))
	})
	f.Fuzz(func(t *testing.T, ctype string, body []byte) {
		r, err := http.NewRequest(http.MethodPost, "/legacy/", bytes.NewReader(body))
		if err != nil {
			return
		}
		r.Header.Set("Content-Type", ctype)
		form, err := readUploadForm(r, r.Body, 64)
		if err != nil {
			return
		}
		if c := form.content; c != nil && (c.size <= 64) != c.whole || c != nil && c.whole && int64(len(c.data)) != c.size {
			t.Errorf("content of %d bytes, kept %d", c.size, len(c.data))
		}
		form.sanitize()
		checkFormFields(form)
		formMetadata(form)
	})
}

// FuzzPreferred negotiates Accept headers. Seeds are testdata/accept.
func FuzzPreferred(f *testing.F) {
	legacySeeds(f, "accept", func(b []byte) { f.Add(string(b)) })
	offers := []string{"text/html", simpleV1HTML, simpleV1JSON}
	f.Fuzz(func(t *testing.T, accept string) {
		if got := preferred(accept, offers...); got != "" && !slices.Contains(offers, got) {
			t.Errorf("preferred(%q) = %q", accept, got)
		}
	})
}

func TestFormSeeds(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{"form-twine.txt": "demo-1.0.tar.gz", "form-no-content.txt": "", "form-tuple.txt": "", "form-urlencoded.txt": ""} {
		b, _ := os.ReadFile(filepath.Join("testdata", "legacy", name))
		ctype, body, _ := strings.Cut(string(b), "\n")
		r, _ := http.NewRequest(http.MethodPost, "/legacy/", strings.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		form, err := readUploadForm(r, r.Body, 1<<20)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := ""
		if form.content != nil {
			got = form.content.filename
		}
		if got != want || form.value("name") != "demo" && name != "form-tuple.txt" {
			t.Errorf("%s: content %q, name %q", name, got, form.value("name"))
		}
	}
}
