package upload

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUploadSendsTheForm(t *testing.T) {
	t.Parallel()
	ix := newIndex(t, nil)
	content := bytes.Repeat([]byte("0123456789abcdef"), 10000)
	d := newDist(t, "", "my_pkg-1.0-py3-none-any.whl", content, richMetadata(t))
	var last atomic.Int64
	var total int64
	c := ix.client()
	c.UserAgent = "test-agent/1"
	res, err := c.Upload(t.Context(), d, Options{Progress: func(p Progress) {
		last.Store(p.Sent)
		total = p.Total
	}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := diffResult(outcome{Outcome: OutcomeUploaded, Attempts: 1}, res); diff != "" || res.Status != 200 {
		t.Errorf("status %d, want 200; result (-want +got):\n%s", res.Status, diff)
	}
	if ix.count() != 1 {
		t.Fatalf("index got %d uploads, want 1", ix.count())
	}
	rec := ix.upload(0)
	want, err := Form(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, rec.Fields); diff != "" {
		t.Errorf("fields received (-want +got):\n%s", diff)
	}
	if !bytes.Equal(rec.Content, content) || rec.Filename != "my_pkg-1.0-py3-none-any.whl" || rec.ContentType != "application/octet-stream" {
		t.Errorf("content part: %d bytes, filename %q, type %q", len(rec.Content), rec.Filename, rec.ContentType)
	}
	if rec.ContentLength != rec.BodyLength || rec.ContentLength != res.BodySize || len(rec.TransferEncoding) != 0 {
		t.Errorf("Content-Length %d, body %d bytes, result %d, Transfer-Encoding %v: want one exact length, not chunked",
			rec.ContentLength, rec.BodyLength, res.BodySize, rec.TransferEncoding)
	}
	if last.Load() != rec.BodyLength || total != rec.BodyLength {
		t.Errorf("progress ended at %d of %d, body is %d bytes", last.Load(), total, rec.BodyLength)
	}
	wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte("__token__:"+testToken))
	for h, v := range map[string]string{"Authorization": wantAuth, "User-Agent": "test-agent/1", "Accept": acceptErrors} {
		if got := rec.Header.Get(h); got != v {
			t.Errorf("%s = %q, want %q", h, got, v)
		}
	}
}

// TestUploadBodyBytes checks the body byte for byte: the digests after
// the file by default (hashed as it is sent), before it with
// DigestsFirst (twine's order), the same length either way.
func TestUploadBodyBytes(t *testing.T) {
	t.Parallel()
	m := metadata(t, "Metadata-Version: 1.0\nName: p\nVersion: 1\nSummary: say \"hi\"\n")
	d := newDist(t, "", "p-1-py3-none-any.whl", []byte("PK"), m)
	part := func(name, value string) string {
		return "--B0UND\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n"
	}
	fields := part(":action", "file_upload") + part("protocol_version", "1") + part("metadata_version", "1.0") +
		part("name", "p") + part("version", "1") + part("filetype", "bdist_wheel") + part("pyversion", "py3") +
		part("summary", `say "hi"`)
	digests := part("sha256_digest", sums(t, d).SHA256) + part("blake2_256_digest", sums(t, d).BLAKE2b256)
	content := "--B0UND\r\nContent-Disposition: form-data; name=\"content\"; filename=\"p-1-py3-none-any.whl\"\r\n" +
		"Content-Type: application/octet-stream\r\n\r\nPK\r\n"
	for _, tc := range []struct {
		first bool
		want  string
	}{
		{false, fields + content + digests + "--B0UND--\r\n"},
		{true, fields + digests + content + "--B0UND--\r\n"},
	} {
		var body []byte
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ = io.ReadAll(r.Body)
			if got := r.Header.Get("Content-Type"); got != "multipart/form-data; boundary=B0UND" {
				t.Errorf("Content-Type = %q", got)
			}
		}))
		c := &Client{URL: srv.URL + "/legacy/", HTTPClient: srv.Client(), Username: "u", Password: "p"}
		res, err := c.Upload(t.Context(), d, Options{boundary: "B0UND", DigestsFirst: tc.first})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, string(body)); diff != "" || res.BodySize != int64(len(tc.want)) {
			t.Errorf("DigestsFirst %v: BodySize %d; body (-want +got):\n%s", tc.first, res.BodySize, diff)
		}
	}
}

func TestEscapeParam(t *testing.T) {
	t.Parallel()
	if got, want := escapeParam("a\"b\r\nc"), "a%22b%0D%0Ac"; got != want {
		t.Errorf("escapeParam = %q, want %q", got, want)
	}
}

func TestAnySuccessStatus(t *testing.T) {
	t.Parallel()
	for _, code := range []int{200, 201, 204} {
		ix := newIndex(t, func(w http.ResponseWriter, rec *received, n int) { w.WriteHeader(code) })
		d := newDist(t, "", "pkg-1.0.tar.gz", []byte("x"), nil)
		res, _ := ix.client().Upload(t.Context(), d, Options{})
		if diff := diffResult(outcome{Outcome: OutcomeUploaded, Attempts: 1}, res); diff != "" || res.Status != code {
			t.Errorf("%d: status %d; result (-want +got):\n%s", code, res.Status, diff)
		}
	}
}

func TestErrorAnswers(t *testing.T) {
	t.Parallel()
	const exists = "File already exists ('pkg-1.0.tar.gz', with blake2_256 hash 'ab'). See https://pypi.org/help/#file-name-reuse for more information."
	pyramidHTML := "<html>\n <head>\n  <title>403 Forbidden</title>\n </head>\n <body>\n  <h1>403 Forbidden</h1>\n" +
		"  Access was denied to this resource.<br/><br/>\nInvalid or non-existent authentication information. See https://pypi.org/help/#invalid-auth for more information.\n\n\n </body>\n</html>"
	for _, tc := range []struct {
		name               string
		code               int
		reason, ctype, msg string
		wantMsg            string
		wantKind           error
		wantHint           string
	}{
		{"reason phrase", 403, "Invalid API Token: token expired", "text/html", "<html></html>",
			"Invalid API Token: token expired", ErrAuth, "expired"},
		{"json code", 400, "Bad Request", "application/json",
			`{"message": "The server could not comply...\n\n\nError: Use 'source' as Python version for an sdist.\n\n", "code": "400 Error: Use 'source' as Python version for an sdist.", "title": "Bad Request"}`,
			"Error: Use 'source' as Python version for an sdist.", nil, ""},
		{"html page", 403, "Forbidden", "text/html; charset=UTF-8", pyramidHTML,
			"Invalid or non-existent authentication information. See https://pypi.org/help/#invalid-auth for more information.", ErrAuth, "PyPI and TestPyPI tokens differ"},
		{"plain text", 400, "Bad Request", "text/plain", "400 This filename was previously used by a file that has since been deleted. Use a different version.\n\nThe server could not comply\n",
			"This filename was previously used by a file that has since been deleted. Use a different version.", errFileReused, "post-release"},
		{"problem json", 413, "Payload Too Large", "application/problem+json", `{"title":"Too big","detail":"Max 10 MB"}`,
			"Max 10 MB", ErrTooLarge, "size"},
		{"405", 405, "Method Not Allowed", "text/plain", "", "", errNotUploadURL, "simple index instead of the upload URL"},
		{"410", 410, "Project pre-registration is no longer required or supported, upload your files instead.", "text/plain", "",
			"Project pre-registration is no longer required or supported, upload your files instead.", errNotUploadURL, "upload.pypi.org/legacy/"},
		{"14 days", 400, "Uploading new files to releases older than 14 days is not allowed.", "text/plain", "",
			"Uploading new files to releases older than 14 days is not allowed.", errReleaseTooOld, "new version"},
		{"file too large", 400, "File too large. Limit for project 'pkg' is 100 MB.", "text/plain", "",
			"File too large. Limit for project 'pkg' is 100 MB.", ErrTooLarge, "storage-limits"},
		{"exists", 400, exists, "text/plain", "", exists, ErrFileExists, "new version"},
		{"exists in body", 400, "Bad Request", "text/plain", "Error: A file named pkg-1.0.tar.gz already exists", "Error: A file named pkg-1.0.tar.gz already exists", ErrFileExists, ""},
		{"409", 409, "Conflict", "text/plain", "", "", ErrFileExists, ""},
		{"409 project name", 409, "The name 'pkg' conflicts with an existing project.", "text/plain", "",
			"The name 'pkg' conflicts with an existing project.", nil, "rename"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ix := newIndex(t, func(w http.ResponseWriter, rec *received, n int) {
				answer(w, tc.code, tc.reason, tc.ctype, tc.msg)
			})
			d := newDist(t, "", "pkg-1.0.tar.gz", []byte("x"), nil)
			res, err := ix.client().Upload(t.Context(), d, Options{})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if e.StatusCode != tc.code || e.Message != tc.wantMsg || e.File != "pkg-1.0.tar.gz" || res.Outcome != OutcomeFailed {
				t.Errorf("got %d %q for %s (%v), want %d %q", e.StatusCode, e.Message, e.File, res.Outcome, tc.code, tc.wantMsg)
			}
			if tc.wantKind != nil && !errors.Is(err, tc.wantKind) || tc.wantKind == nil && e.Unwrap() != nil {
				t.Errorf("errors.Is(%v) = false, kind %v", tc.wantKind, e.Unwrap())
			}
			if !strings.Contains(e.Hint, tc.wantHint) {
				t.Errorf("hint %q, want it to mention %q", e.Hint, tc.wantHint)
			}
			if strings.Contains(err.Error(), "\n") || e.Hint != "" && strings.Contains(err.Error(), e.Hint) {
				t.Errorf("error %q: want one line, without the hint %q", err, e.Hint)
			}
			if !strings.HasPrefix(err.Error(), "upload: pkg-1.0.tar.gz: "+ix.srv.URL+"/legacy/: "+fmt.Sprint(tc.code)) {
				t.Errorf("error %q does not start with the file, URL and status", err)
			}
		})
	}
}

func TestLegacyExistsAnswers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code int
		msg  string
	}{{400, "Repository does not allow updating assets: pypi-hosted"}, {403, "Not enough permissions to overwrite artifact"}, {400, "Name has already been taken"}} {
		ix := newIndex(t, func(w http.ResponseWriter, rec *received, n int) { answer(w, tc.code, tc.msg, "text/plain", "") })
		d := newDist(t, "", "pkg-1.0.tar.gz", []byte("x"), nil)
		c := ix.client()
		res, err := c.Upload(t.Context(), d, Options{SkipExisting: true})
		if err == nil {
			t.Errorf("%d %q without LegacyExistsAnswers: skipped (%v)", tc.code, tc.msg, res.Outcome)
		}
		res, err = c.Upload(t.Context(), d, Options{SkipExisting: true, LegacyExistsAnswers: true})
		if err != nil || res.Outcome != OutcomeSkipped || res.Message != tc.msg {
			t.Errorf("%d %q: %v, %v; want skipped with the message", tc.code, tc.msg, res.Outcome, err)
		}
	}
}

func TestInsecureURL(t *testing.T) {
	t.Parallel()
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("x"), nil)
	for _, u := range []string{"http://example.com/legacy/", "ftp://x/", "/legacy/", "http://[::1]:1:bad/"} {
		c := &Client{URL: u, Username: "u", Password: "secret-pass"}
		_, err := c.Upload(t.Context(), d, Options{})
		if err == nil || strings.Contains(err.Error(), "secret-pass") {
			t.Errorf("%s: err = %v, want a refusal without the password", u, err)
		}
	}
	_, err := (&Client{URL: "http://user:secret-pass@example.com/legacy/"}).Upload(t.Context(), d, Options{})
	if !errors.Is(err, errInsecureURL) || strings.Contains(err.Error(), "secret-pass") {
		t.Errorf("err = %v, want errInsecureURL without the password", err)
	}
}
