package upload

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// seeds adds every file of testdata/<dir> to f through add.
func seeds(f *testing.F, dir string, add func(b []byte)) {
	paths, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seeds in testdata/%s: %v", dir, err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		add(b)
	}
}

// FuzzServerMessage feeds answers to the message reader. Seeds are
// testdata/answers files: status, reason, content type, then the body.
func FuzzServerMessage(f *testing.F) {
	seeds(f, "answers", func(b []byte) {
		parts := strings.SplitN(string(b), "\n", 4)
		code, _ := strconv.Atoi(parts[0])
		f.Add(code, parts[1], parts[2], []byte(parts[3]))
	})
	f.Fuzz(func(t *testing.T, code int, reason, ctype string, body []byte) {
		if code < 100 || code > 999 || strings.ContainsAny(reason, "\r\n") {
			return
		}
		resp := &http.Response{
			StatusCode: code,
			Status:     strconv.Itoa(code) + " " + reason,
			Header:     http.Header{"Content-Type": {ctype}},
			Body:       io.NopCloser(bytes.NewReader(body)),
		}
		e := readError(resp, "f.whl", "https://x/legacy/", true, func(s string) string { return s })
		if e.StatusCode != code || len(e.Body) > maxErrorBody {
			t.Fatalf("error %+v", e)
		}
		if msg := serverMessage(resp, body); utf8.ValidString(reason) && utf8.ValidString(string(body)) && !utf8.ValidString(msg) {
			t.Errorf("message %q is not UTF-8", msg)
		}
		_ = e.Error()
	})
}

// FuzzCheckAttestation feeds attestation files to the shape check. Seeds
// are testdata/attestations files, for demo-1.0.tar.gz with sha256 "a"×64.
func FuzzCheckAttestation(f *testing.F) {
	seeds(f, "attestations", func(b []byte) { f.Add(b) })
	sha := strings.Repeat("a", 64)
	f.Fuzz(func(t *testing.T, raw []byte) {
		predicate, err := checkAttestation(raw, "demo-1.0.tar.gz", sha)
		if err == nil && predicate != predicatePublishV1 && predicate != predicateSLSAProvV1 {
			t.Errorf("accepted predicate type %q", predicate)
		}
	})
}

func TestAttestationSeeds(t *testing.T) {
	t.Parallel()
	sha := strings.Repeat("a", 64)
	for name, want := range map[string]string{"publish.json": predicatePublishV1, "slsa.json": predicateSLSAProvV1, "other-subject.json": "", "not-json.json": ""} {
		raw, err := os.ReadFile(filepath.Join("testdata", "attestations", name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := checkAttestation(raw, "demo-1.0.tar.gz", sha)
		if got != want || (err == nil) != (want != "") {
			t.Errorf("%s: %q, %v; want %q", name, got, err, want)
		}
	}
}

func TestAnswerSeeds(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"pyramid.html.txt": "Invalid or non-existent authentication information. See https://pypi.org/help/#invalid-auth for more information.",
		"pyramid.json.txt": "Error: Use 'source' as Python version for an sdist.",
		"pyramid.text.txt": "File already exists.",
		"problem.json.txt": "Max 10 MB",
		"nginx.txt":        "", // only the status again
	}
	for name, msg := range want {
		b, err := os.ReadFile(filepath.Join("testdata", "answers", name))
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.SplitN(string(b), "\n", 4)
		code, _ := strconv.Atoi(parts[0])
		resp := &http.Response{StatusCode: code, Status: parts[0] + " " + parts[1], Header: http.Header{"Content-Type": {parts[2]}}}
		if got := serverMessage(resp, []byte(parts[3])); got != msg {
			t.Errorf("%s: message %q, want %q", name, got, msg)
		}
	}
}

// FuzzReadAPIURL feeds upload URLs to ReadAPIURL. Seeds are the
// testdata/upload-urls files. A root is an absolute http(s) URL ending in
// "/" without user info, query or fragment, and is the one a Client
// finds the index's files under.
func FuzzReadAPIURL(f *testing.F) {
	seeds(f, "upload-urls", func(b []byte) { f.Add(string(b)) })
	f.Fuzz(func(t *testing.T, raw string) {
		root, err := ReadAPIURL(raw)
		if err != nil {
			if root != "" {
				t.Fatalf("ReadAPIURL(%q) = %q and %v", raw, root, err)
			}
			return
		}
		u, err := url.Parse(root)
		if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil ||
			u.RawQuery != "" || u.Fragment != "" || !strings.HasSuffix(u.Path, "/") {
			t.Fatalf("ReadAPIURL(%q) = %q (%v): not a clean root", raw, root, err)
		}
		if raw == "" {
			raw = PyPIURL
		}
		s, err := (&Client{URL: raw, InsecureAllowHTTP: true}).newSession(Options{})
		if err != nil || s.readAPI.String() != root {
			t.Fatalf("a Client for %q lists files under %v (%v), ReadAPIURL says %q", raw, s, err, root)
		}
	})
}

// FuzzParseListing feeds project listings to the streaming parser, as
// both APIs. Seeds are testdata/listings files.
func FuzzParseListing(f *testing.F) {
	seeds(f, "listings", func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, page []byte) {
		for _, api := range []listingAPI{simpleAPI, jsonAPI} {
			files, err := parseListing(bytes.NewReader(page), api, func(string) bool { return true })
			if err != nil && files != nil {
				t.Fatalf("files %v with error %v", files, err)
			}
		}
	})
}
