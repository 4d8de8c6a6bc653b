package upload

import (
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/internal/testenv"
)

// A tiny setuptools project, using many metadata fields.
var tinyProject = map[string]string{
	"pyproject.toml": `[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "tiny_pkg"
version = "0.1.0"
description = "A tiny package"
readme = "README.md"
requires-python = ">=3.8"
license = {text = "MIT"}
authors = [{name = "Ann Example", email = "ann@example.com"}]
maintainers = [{name = "Bob"}]
keywords = ["tiny", "example"]
classifiers = ["Programming Language :: Python :: 3", "License :: OSI Approved :: MIT License"]
dependencies = ["requests>=2", "tomli; python_version < '3.11'"]

[project.optional-dependencies]
dev = ["pytest"]

[project.urls]
Homepage = "https://example.com"
Issues = "https://example.com/issues"
`,
	"README.md":            "# tiny\n\nA *tiny* package.\n",
	"tiny_pkg/__init__.py": "VERSION = '0.1.0'\n",
}

var (
	builtOnce  sync.Once
	builtFiles []string
	builtErr   string
)

// builtDists builds tinyProject's wheel and sdist once per test binary,
// with Debian's python3 -m build, and returns their paths with Debian's
// own wheels.
func builtDists(t *testing.T) []string {
	t.Helper()
	testenv.NeedPython(t, "build", "setuptools", "wheel")
	builtOnce.Do(func() {
		dir, err := os.MkdirTemp("", "upload-interop-")
		if err != nil {
			builtErr = err.Error()
			return
		}
		builtFiles, err = testenv.Build(dir, tinyProject)
		if err != nil {
			builtErr = err.Error()
			return
		}
		debian, _ := filepath.Glob("/usr/share/python-wheels/*.whl")
		builtFiles = append(builtFiles, debian...)
	})
	if builtErr != "" {
		t.Fatalf("building the test project: %s", builtErr)
	}
	if len(builtFiles) < 2 {
		t.Fatalf("built %v, want a wheel and an sdist", builtFiles)
	}
	return builtFiles
}

// capture is a server that records uploads and answers 200.
func capture(t *testing.T) (*httptest.Server, func() []*received) {
	var (
		mu   sync.Mutex
		recs []*received
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec, err := readUpload(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		recs = append(recs, rec)
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv, func() []*received {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(recs)
	}
}

// twineComparable removes the known differences between Debian's twine
// 4.0.2 and our form, so the rest must be equal (field order aside):
//   - name: twine sends safe_name (checked apart), we send Name as written;
//   - md5_digest: twine 4 sends it (twine 6.2 stopped), we do on request;
//   - twine 4 sends empty and "UNKNOWN" values for absent fields;
//   - twine 4 sends Provides-Extra as "provides_extras", a name Warehouse
//     ignores; we send Warehouse's (and twine 7's) "provides_extra";
//   - twine 4 sends Keywords as written; twine 7 and we join the keywords
//     with ", ";
//   - twine 4 sends no pyversion for an sdist; twine 6.1+ and we send "source".
func twineComparable(fields []Field, ours bool) []Field {
	var out []Field
	for _, f := range fields {
		switch {
		case f.Name == "md5_digest" || f.Name == "name":
			continue
		case ours && f.Name == "pyversion" && f.Value == "source":
			continue
		case !ours && (f.Value == "" || f.Value == "UNKNOWN" && f.Name != "summary"):
			continue
		case !ours && f.Name == "provides_extras":
			f.Name = "provides_extra"
		case !ours && f.Name == "keywords":
			kws := strings.Split(f.Value, ",")
			for i := range kws {
				kws[i] = strings.TrimSpace(kws[i])
			}
			f.Value = strings.Join(kws, ", ")
		}
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b Field) int { return strings.Compare(a.Name+"\x00"+a.Value, b.Name+"\x00"+b.Value) })
	return out
}

func TestTwineInterop(t *testing.T) {
	t.Parallel()
	files := builtDists(t)
	twine := testenv.NeedCommand(t, "twine")
	srv, recs := capture(t)
	cmd := exec.Command(twine, append([]string{"upload", "--repository-url", srv.URL + "/legacy/",
		"-u", "__token__", "-p", testToken, "--non-interactive", "--disable-progress-bar"}, files...)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("twine upload: %v\n%s", err, out)
	}
	got := recs()
	if len(got) != len(files) {
		t.Fatalf("twine sent %d files, want %d", len(got), len(files))
	}
	for _, rec := range got {
		var path string
		for _, f := range files {
			if filepath.Base(f) == rec.Filename {
				path = f
			}
		}
		d, err := dist.Open(path)
		if err != nil {
			t.Fatalf("dist.Open(%s): %v", rec.Filename, err)
		}
		ours, err := Form(d, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(twineComparable(rec.Fields, false), twineComparable(ours, true)); diff != "" {
			t.Errorf("%s: fields (-twine +ours):\n%s", rec.Filename, diff)
		}
		wantName := strings.Join(strings.FieldsFunc(d.Metadata.Name, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.')
		}), "-")
		if twineName := rec.field("name"); twineName != wantName {
			t.Errorf("%s: twine sent name %q, want safe_name %q (we send %q)", rec.Filename, twineName, wantName, d.Metadata.Name)
		}
	}
}

// TestUploadRealDists uploads the built files with our client to the
// fake PyPI, which judges them as PyPI does.
func TestUploadRealDists(t *testing.T) {
	t.Parallel()
	files := builtDists(t)
	srv, c := fakePyPI(t)
	var ds []*dist.Distribution
	for _, f := range files {
		d, err := dist.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	for _, r := range c.UploadAll(t.Context(), ds, Options{}) {
		if r.Err != nil || r.Outcome != OutcomeUploaded {
			t.Errorf("%s: %v %v", r.File, r.Outcome, r.Err)
		}
	}
	if len(srv.Files()) != len(files) {
		t.Errorf("index stored %d files, want %d", len(srv.Files()), len(files))
	}
}

// TestTwineToFakePyPI checks that twine's uploads of real files pass the
// fake PyPI, and that a second run is PyPI's no-op.
func TestTwineToFakePyPI(t *testing.T) {
	t.Parallel()
	files := builtDists(t)
	twine := testenv.NeedCommand(t, "twine")
	srv, _ := fakePyPI(t)
	for range 2 {
		cmd := exec.Command(twine, append([]string{"upload", "--repository-url", srv.URL + "/legacy/",
			"-u", "__token__", "-p", testToken, "--non-interactive", "--disable-progress-bar"}, files...)...)
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("twine upload: %v\n%s\nuploads: %+v", err, out, srv.Uploads())
		}
	}
	if len(srv.Files()) != len(files) || len(srv.Uploads()) != 2*len(files) {
		t.Errorf("stored %d files from %d uploads, want %d from %d", len(srv.Files()), len(srv.Uploads()), len(files), 2*len(files))
	}
}

// rawCapture is a server that keeps each upload body as sent, by the
// content part's file name, with its boundary.
func rawCapture(t *testing.T) (*httptest.Server, func(filename string) (body []byte, boundary string)) {
	type raw struct {
		body     []byte
		boundary string
	}
	var (
		mu   sync.Mutex
		byFn = map[string]raw{}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		_, params, perr := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || perr != nil {
			http.Error(w, "unreadable", http.StatusBadRequest)
			return
		}
		fn := regexp.MustCompile(`name="content"; filename="([^"]*)"`).FindSubmatch(body)
		if fn == nil {
			http.Error(w, "no file", http.StatusBadRequest)
			return
		}
		mu.Lock()
		byFn[string(fn[1])] = raw{body, params["boundary"]}
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv, func(filename string) ([]byte, string) {
		mu.Lock()
		defer mu.Unlock()
		return byFn[filename].body, byFn[filename].boundary
	}
}

// rawPart is one part of a multipart body: its field name and its bytes
// from after the boundary line to before the next boundary.
type rawPart struct {
	name string
	raw  string
}

// splitBody splits a body sent with boundary into its parts, checking
// the framing twine's encoder writes: "--B\r\n" first, "\r\n--B--\r\n"
// last.
func splitBody(t *testing.T, body []byte, boundary string) []rawPart {
	t.Helper()
	s := string(body)
	head, end := "--"+boundary+"\r\n", "\r\n--"+boundary+"--\r\n"
	if !strings.HasPrefix(s, head) || !strings.HasSuffix(s, end) {
		t.Fatalf("body framing: starts %q, ends %q", s[:min(len(s), 40)], s[max(0, len(s)-40):])
	}
	var parts []rawPart
	for _, p := range strings.Split(s[len(head):len(s)-len(end)], "\r\n"+head) {
		m := regexp.MustCompile(`^Content-Disposition: form-data; name="([^"]*)"`).FindStringSubmatch(p)
		if m == nil {
			t.Fatalf("part without a name: %q", p[:min(len(p), 80)])
		}
		parts = append(parts, rawPart{m[1], p})
	}
	return parts
}

// twineDifferences are the fields whose bytes may differ from twine
// 4.0.2's, and why; every other part, the file's included, must be
// byte-for-byte twine's.
var twineDifferences = map[string]string{
	"md5_digest":      "twine 4 sends md5; twine 6.2+ does not, and we send it only with Options.MD5",
	"name":            "twine sends safe_name(Name), which renames my_pkg to my-pkg on PyPI; we send Name as written",
	"provides_extras": "twine 4's name for Provides-Extra, which Warehouse ignores; we send provides_extra, as twine 7 does",
	"provides_extra":  "twine 4 sends provides_extras instead",
	"keywords":        "twine 4 sends Keywords as written; twine 7 and we join the keywords with \", \"",
	"pyversion":       "twine 4 sends none for an sdist; twine 6.1+ and we send \"source\"",
}

// TestTwineInteropBytes compares our bodies with twine 4.0.2's byte for
// byte, with twine's boundary: the parts are the same bytes but for the
// fields twineDifferences explains and twine's empty and "UNKNOWN"
// values (twine 4 sends absent fields). The order differs: ours is fixed,
// twine's follows a hash order, and we send a wheel's digests after the
// file, hashed as it is sent, where twine hashes the file before.
func TestTwineInteropBytes(t *testing.T) {
	t.Parallel()
	files := builtDists(t)
	twine := testenv.NeedCommand(t, "twine")
	srv, bodies := rawCapture(t)
	cmd := exec.Command(twine, append([]string{"upload", "--repository-url", srv.URL + "/legacy/",
		"-u", "__token__", "-p", testToken, "--non-interactive", "--disable-progress-bar"}, files...)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("twine upload: %v\n%s", err, out)
	}
	ours, oursBodies := rawCapture(t)
	c := &Client{URL: ours.URL + "/legacy/", HTTPClient: ours.Client(), Username: "u", Password: "p"}
	for _, path := range files {
		fn := filepath.Base(path)
		twineBody, boundary := bodies(fn)
		if twineBody == nil {
			t.Fatalf("twine sent no %s", fn)
		}
		d, err := dist.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		_, hashed := d.KnownDigests(false)
		if _, err := c.Upload(t.Context(), d, Options{boundary: boundary}); err != nil {
			t.Fatal(err)
		}
		ourBody, _ := oursBodies(fn)
		theirs, mine := splitBody(t, twineBody, boundary), splitBody(t, ourBody, boundary)
		left := map[string]int{}
		for _, p := range mine {
			left[p.raw]++
		}
		var twineOnly []rawPart
		for _, p := range theirs {
			if left[p.raw] > 0 {
				left[p.raw]--
				continue
			}
			twineOnly = append(twineOnly, p)
		}
		why := map[string]string{}
		for _, p := range twineOnly {
			_, value, _ := strings.Cut(p.raw, "\r\n\r\n")
			if value == "" || value == "UNKNOWN" {
				continue // an absent field, as twine 4 sends it
			}
			if twineDifferences[p.name] == "" {
				t.Errorf("%s: twine's part %q is not ours, unexplained:\n%q", fn, p.name, p.raw[:min(len(p.raw), 300)])
			}
			why[p.name] = twineDifferences[p.name]
		}
		for _, p := range mine {
			if left[p.raw] > 0 {
				left[p.raw]--
				if twineDifferences[p.name] == "" {
					t.Errorf("%s: our part %q is not twine's, unexplained:\n%q", fn, p.name, p.raw[:min(len(p.raw), 300)])
				}
				why[p.name] = twineDifferences[p.name]
			}
		}
		names := func(ps []rawPart) []string {
			var out []string
			for _, p := range ps {
				out = append(out, p.name)
			}
			return out
		}
		ourOrder := names(mine)
		contentAt, digestAt := slices.Index(ourOrder, "content"), slices.Index(ourOrder, "sha256_digest")
		if hashed != (digestAt < contentAt) {
			t.Errorf("%s: digests known before the upload %v, but sha256_digest is part %d and content part %d", fn, hashed, digestAt, contentAt)
		}
		t.Logf("%s: parts differing from twine's: %v\n  twine's order: %v\n  our order:     %v", fn, why, names(theirs), ourOrder)
	}
}
