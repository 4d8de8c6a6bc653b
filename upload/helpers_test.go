package upload

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/crypto/blake2b"
	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/dist"
)

const testToken = "pypi-AgEIcHlwaS5vcmcCJGZha2UtdG9rZW4tZm9yLXRlc3RzAAAGIAAAAAAAAAAA"

// fastRetry keeps retry tests quick.
var fastRetry = Retry{Attempts: 4, MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

// newDist writes content to a temporary file named filename and returns
// it as dist.Open would, with the metadata m (name and version from the
// file name when m is nil).
func newDist(t testing.TB, dir, filename string, content []byte, m *dist.Metadata) *dist.Distribution {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, filename)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	f := parseTestFilename(t, filename)
	if m == nil {
		m = metadata(t, "Metadata-Version: 2.1\nName: "+f.Name+"\nVersion: "+f.Version+"\nSummary: A test package\n")
	}
	return &dist.Distribution{Path: path, Filename: f, Size: int64(len(content)), Metadata: m}
}

// sums returns the digests of d's file, md5 included, computed apart
// from dist's streaming hashers.
func sums(t testing.TB, d *dist.Distribution) dist.Digests {
	t.Helper()
	content, err := os.ReadFile(d.Path)
	if err != nil {
		t.Fatal(err)
	}
	s, b, m := sha256.Sum256(content), blake2b.Sum256(content), md5.Sum(content)
	return dist.Digests{SHA256: hex.EncodeToString(s[:]), BLAKE2b256: hex.EncodeToString(b[:]), MD5: hex.EncodeToString(m[:])}
}

// metadata parses a METADATA file's text.
func metadata(t testing.TB, text string) *dist.Metadata {
	t.Helper()
	m, err := dist.ParseMetadata([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// parseTestFilename splits the simple file names the tests use.
func parseTestFilename(t testing.TB, filename string) *dist.Filename {
	t.Helper()
	if stem, ok := strings.CutSuffix(filename, ".whl"); ok {
		p := strings.Split(stem, "-")
		if len(p) != 5 {
			t.Fatalf("test wheel name %q", filename)
		}
		return &dist.Filename{Kind: dist.Wheel, Name: p[0], Version: p[1], Ext: ".whl",
			PythonTags: strings.Split(p[2], "."), ABITags: strings.Split(p[3], "."), PlatformTags: strings.Split(p[4], ".")}
	}
	stem, ok := strings.CutSuffix(filename, ".tar.gz")
	name, version, ok2 := strings.Cut(stem, "-")
	if !ok || !ok2 {
		t.Fatalf("test file name %q", filename)
	}
	return &dist.Filename{Kind: dist.Sdist, Name: name, Version: version, Ext: ".tar.gz"}
}

// received is one upload request as a server saw it.
type received struct {
	Fields           []Field
	FieldsBefore     int // how many of Fields came before the content part
	Filename         string
	ContentType      string // of the content part
	Content          []byte
	Header           http.Header
	ContentLength    int64
	BodyLength       int64
	TransferEncoding []string
}

func (r *received) field(name string) string {
	for _, f := range r.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// readUpload parses an upload request.
func readUpload(r *http.Request) (*received, error) {
	rec := &received{Header: r.Header.Clone(), ContentLength: r.ContentLength, TransferEncoding: r.TransferEncoding}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, err
	}
	cr := &countingReader{r: r.Body}
	mr := multipart.NewReader(cr, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, err
		}
		if p.FormName() == "content" {
			rec.Filename, rec.ContentType, rec.Content = p.FileName(), p.Header.Get("Content-Type"), b
			rec.FieldsBefore = len(rec.Fields)
			continue
		}
		rec.Fields = append(rec.Fields, Field{p.FormName(), string(b)})
	}
	io.Copy(io.Discard, cr)
	rec.BodyLength = cr.n
	return rec, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// index is a small stand-in for an index in this package's tests: a
// handler per test for /legacy/, and a simple API listing what it holds.
// (pypitest has the full fake PyPI.)
type index struct {
	srv *httptest.Server
	mux *http.ServeMux

	mu       sync.Mutex
	uploads  []*received
	files    map[string]string // filename → sha256 listed by /simple/
	simpleNo int               // GETs of the simple API
}

// newIndex starts an index whose /legacy/ runs handle (after recording
// the request); handle nil stores the file and answers 200.
func newIndex(t *testing.T, handle func(w http.ResponseWriter, rec *received, n int)) *index {
	t.Helper()
	ix := &index{mux: http.NewServeMux(), files: map[string]string{}}
	ix.mux.HandleFunc("POST /legacy/", func(w http.ResponseWriter, r *http.Request) {
		rec, err := readUpload(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ix.mu.Lock()
		ix.uploads = append(ix.uploads, rec)
		n := len(ix.uploads)
		ix.mu.Unlock()
		if handle == nil {
			ix.store(rec)
			return
		}
		handle(w, rec, n)
	})
	ix.mux.HandleFunc("GET /simple/{name}/", func(w http.ResponseWriter, r *http.Request) {
		ix.mu.Lock()
		defer ix.mu.Unlock()
		ix.simpleNo++
		if len(ix.files) == 0 {
			http.NotFound(w, r)
			return
		}
		type file struct {
			Filename string            `json:"filename"`
			Hashes   map[string]string `json:"hashes"`
		}
		var page struct {
			Files []file `json:"files"`
		}
		for fn, sha := range ix.files {
			page.Files = append(page.Files, file{fn, map[string]string{"sha256": sha}})
		}
		w.Header().Set("Content-Type", simpleJSON)
		json.NewEncoder(w).Encode(page)
	})
	ix.srv = httptest.NewServer(ix.mux)
	t.Cleanup(ix.srv.Close)
	return ix
}

// store lists rec's file on the simple API.
func (ix *index) store(rec *received) {
	sum := sha256.Sum256(rec.Content)
	ix.list(rec.Filename, hex.EncodeToString(sum[:]))
}

// list lists filename with sha256 on the simple API ("" unlists it).
func (ix *index) list(filename, sha256 string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if sha256 == "" {
		delete(ix.files, filename)
		return
	}
	ix.files[filename] = sha256
}

func (ix *index) simpleCount() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.simpleNo
}

// upload returns the i-th upload received.
func (ix *index) upload(i int) *received {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.uploads[i]
}

func (ix *index) count() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return len(ix.uploads)
}

func (ix *index) client() *Client {
	return &Client{
		URL:        ix.srv.URL + "/legacy/",
		HTTPClient: ix.srv.Client(),
		Token:      oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testToken}),
		Retry:      fastRetry,
	}
}

// answer writes a response whose status line carries reason, as
// Warehouse's do (net/http always writes the standard phrase), and closes
// the connection.
func answer(w http.ResponseWriter, code int, reason, contentType, body string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		code, reason, contentType, len(body), body)
	buf.Flush()
}

// outcome is the part of an upload's Result that tests compare.
type outcome struct {
	Outcome  Outcome
	Attempts int
	Err      error
}

// diffResult is cmp.Diff(want, res's outcome): "" when they match.
func diffResult(want outcome, res *Result) string {
	return cmp.Diff(want, outcome{res.Outcome, res.Attempts, res.Err}, cmpopts.EquateErrors())
}
