package pypitest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"golang.org/x/crypto/blake2b"
)

const uploadToken = "pypi-test-upload-token"

// testForm is a form as clients send it, built from a file.
type testForm struct {
	fields      [][2]string
	filename    string
	content     []byte
	contentType string // of the content part; "" for application/octet-stream
	extraFile   string // a field name also sent as a file part
}

// newTestForm is the form twine would send for the file (filename,
// content), made by testWheel or testSdist.
func newTestForm(filename string, content []byte) *testForm {
	name, rest, _ := strings.Cut(filename, "-")
	version, _, _ := strings.Cut(strings.TrimSuffix(rest, ".tar.gz"), "-")
	filetype, pyversion := "bdist_wheel", "py3"
	if strings.HasSuffix(filename, ".tar.gz") {
		filetype, pyversion = "sdist", "source"
	}
	sha, b2 := sha256.Sum256(content), blake2b.Sum256(content)
	return &testForm{
		fields: [][2]string{
			{":action", "file_upload"}, {"protocol_version", "1"}, {"metadata_version", "2.1"},
			{"name", name}, {"version", version}, {"summary", "A test package"},
			{"filetype", filetype}, {"pyversion", pyversion},
			{"sha256_digest", hex.EncodeToString(sha[:])}, {"blake2_256_digest", hex.EncodeToString(b2[:])},
		},
		filename: filename,
		content:  content,
	}
}

// set replaces the named field's values by value ("" removes it).
func (f *testForm) set(name, value string) *testForm {
	var kept [][2]string
	for _, fl := range f.fields {
		if fl[0] != name {
			kept = append(kept, fl)
		}
	}
	if value != "" {
		kept = append(kept, [2]string{name, value})
	}
	f.fields = kept
	return f
}

// value returns the named field's value.
func (f *testForm) value(name string) string {
	for _, fl := range f.fields {
		if fl[0] == name {
			return fl[1]
		}
	}
	return ""
}

// body renders the form as multipart/form-data.
func (f *testForm) body() (string, []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, fl := range f.fields {
		mw.WriteField(fl[0], fl[1])
	}
	if f.extraFile != "" {
		w, _ := mw.CreateFormFile(f.extraFile, "x.txt")
		io.WriteString(w, "text")
	}
	if f.filename != "" {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="content"; filename="%s"`, f.filename))
		ct := f.contentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		w, _ := mw.CreatePart(h)
		w.Write(f.content)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// sendForm posts f to path with the Authorization header auth and the
// Accept header accept, returning the response with its body read.
func sendForm(t *testing.T, srv *Server, path string, f *testForm, auth, accept string) (*http.Response, string) {
	t.Helper()
	ctype, body := f.body()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return send(t, srv, req)
}

// tokenAuth is the Basic header for an API token.
func tokenAuth(token string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte("__token__:"+token))
}

// newIndexServer starts a server accepting uploadToken for any project.
func newIndexServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	srv := NewServer(opts...)
	t.Cleanup(srv.Close)
	srv.AddAPIToken("alice", uploadToken)
	return srv
}

// upload sends f to /legacy/ with uploadToken and returns the status and
// the reason phrase.
func upload(t *testing.T, srv *Server, f *testForm) (int, string) {
	t.Helper()
	resp, _ := sendForm(t, srv, "/legacy/", f, tokenAuth(uploadToken), "")
	return resp.StatusCode, strings.TrimPrefix(resp.Status, fmt.Sprint(resp.StatusCode, " "))
}
