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
		dir := t.TempDir()
		skimmed, err := readUploadForm(r.Clone(r.Context()), bytes.NewReader(body), 64, dir, false)
		if err == nil && (skimmed.content != nil || len(skimmed.fields) > 1 || len(skimmed.fields) == 1 && len(skimmed.value(":action")) > maxAction) {
			t.Errorf("a refused request's form kept %+v", skimmed)
		}
		form, err := readUploadForm(r, r.Body, 64, dir, true)
		if c := contentOf(form); c != nil {
			kept := int64(-1)
			if c.file != nil {
				fi, _ := c.file.Stat()
				kept = fi.Size()
			}
			if c.size <= 64 && kept != c.size || c.size > 64 && c.file != nil {
				t.Errorf("content of %d bytes, kept %d", c.size, kept)
			}
		}
		if err == nil {
			form.sanitize()
			checkFormFields(form)
			formMetadata(form)
		}
		form.discard()
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("%d temporary files left after discard (read error %v)", len(left), err)
		}
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

// contentOf returns form's content part, if any.
func contentOf(form *uploadForm) *contentPart {
	if form == nil {
		return nil
	}
	return form.content
}

func TestFormSeeds(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{"form-twine.txt": "demo-1.0.tar.gz", "form-no-content.txt": "", "form-tuple.txt": "", "form-urlencoded.txt": ""} {
		b, _ := os.ReadFile(filepath.Join("testdata", "legacy", name))
		ctype, body, _ := strings.Cut(string(b), "\n")
		r, _ := http.NewRequest(http.MethodPost, "/legacy/", strings.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		form, err := readUploadForm(r, r.Body, 1<<20, t.TempDir(), true)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		defer form.discard()
		got := ""
		if form.content != nil {
			got = form.content.filename
		}
		if got != want || form.value("name") != "demo" && name != "form-tuple.txt" {
			t.Errorf("%s: content %q, name %q", name, got, form.value("name"))
		}
	}
}
