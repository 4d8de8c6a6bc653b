package warehousecases

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/blake2b"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/pypitest"
)

// Table is testdata/cases.json: the versions the answers come from and
// the cases.
type Table struct {
	Generator        string  `json:"generator"`
	Warehouse        string  `json:"warehouse"`
	Packaging        string  `json:"packaging"`
	TroveClassifiers string  `json:"trove_classifiers"`
	ReadmeRenderer   string  `json:"readme_renderer"`
	Docutils         string  `json:"docutils"`
	EmailValidator   string  `json:"email_validator"`
	Cases            []*Case `json:"cases"`
}

// Case is one upload and PyPI's answer to it.
type Case struct {
	Name        string             `json:"name"`
	Kind        string             `json:"kind"`     // "wheel" or "sdist"
	Filename    string             `json:"filename"` // as uploaded
	Root        string             `json:"root"`     // the .dist-info directory, or the sdist's top directory
	Headers     [][2]string        `json:"headers"`  // the core metadata, in order
	Description string             `json:"description"`
	Files       map[string]string  `json:"files"`   // more members, by path in the archive
	Omit        []string           `json:"omit"`    // default members left out: WHEEL, RECORD, METADATA, PKG-INFO
	Archive     string             `json:"archive"` // "", "garbage", "zip", "descriptor" or "bzip2"
	Form        map[string]*string `json:"form"`    // form fields replaced (null: removed)
	Setup       string             `json:"setup"`   // what the index sees first (see serverAnswer)
	Scope       string             `json:"scope"`   // "both", or "server" when only the index can judge it
	Source      string             `json:"source"`  // who decides: a library, or "warehouse"
	Cite        string             `json:"cite"`
	Status      int                `json:"status"`
	Reason      string             `json:"reason"` // the HTTP reason phrase PyPI answers with
	// AnyOrder marks a reason holding a list whose order varies between
	// PyPI's processes (packaging lists a set); lists compare as sets.
	AnyOrder bool `json:"any_order"`
}

const recorded = "testdata/cases.json"

var loadTable = sync.OnceValues(func() (*Table, error) {
	b, err := os.ReadFile(recorded)
	if err != nil {
		return nil, err
	}
	var tb Table
	if err := json.Unmarshal(b, &tb); err != nil {
		return nil, fmt.Errorf("%s: %w", recorded, err)
	}
	return &tb, nil
})

func table(t *testing.T) *Table {
	t.Helper()
	tb, err := loadTable()
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// knownDisagreements are the cases where dist or pypitest answers other
// than PyPI today, each with what differs; key "dist:<case>" or
// "pypitest:<case>". A listed case that agrees fails the test, so that
// the list is emptied as the code is fixed.
var knownDisagreements = map[string]string{}

// outcome tallies one side's agreement with the table.
type outcome struct {
	mu      sync.Mutex
	side    string
	total   int
	matched int
	known   []string
}

// judge compares one answer with the table's, failing t on an
// unexplained disagreement or an explained one that no longer differs.
func (o *outcome) judge(t *testing.T, c *Case, got, want string) {
	t.Helper()
	key := o.side + ":" + c.Name
	why, listed := knownDisagreements[key]
	if c.AnyOrder {
		got, want = sortLists(got), sortLists(want)
	}
	o.mu.Lock()
	o.total++
	if got == want {
		o.matched++
	} else if listed {
		o.known = append(o.known, c.Name)
	}
	o.mu.Unlock()
	switch {
	case got == want && listed:
		t.Errorf("%s now agrees with PyPI; remove it from knownDisagreements (%s)", key, why)
	case got != want && listed:
		t.Logf("known disagreement %s (%s):\n got %q\nwant %q", key, why, got, want)
	case got != want:
		t.Errorf("%s disagrees with PyPI (%s, %s):\n got %q\nwant %q", key, c.Source, c.Cite, got, want)
	}
}

// sortLists sorts the items of each bracketed, comma-separated list in s.
func sortLists(s string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(s, '[')
		end := strings.IndexByte(s[open+1:], ']')
		if open < 0 || end < 0 {
			return b.String() + s
		}
		items := strings.Split(s[open+1:open+1+end], ", ")
		slices.Sort(items)
		b.WriteString(s[:open+1] + strings.Join(items, ", ") + "]")
		s = s[open+2+end:]
	}
}

// report prints the agreement figure.
func (o *outcome) report(t *testing.T) {
	t.Helper()
	slices.Sort(o.known)
	t.Logf("%s agrees with PyPI on %d/%d cases; %d known disagreement(s) %v", o.side, o.matched, o.total, len(o.known), o.known)
}

func TestTableShape(t *testing.T) {
	t.Parallel()
	tb := table(t)
	if len(tb.Warehouse) != 40 {
		t.Fatalf("warehouse commit %q, want 40 hex digits", tb.Warehouse)
	}
	if len(tb.Cases) < 100 {
		t.Errorf("%d cases, want at least 100", len(tb.Cases))
	}
	seen := map[string]bool{}
	for _, c := range tb.Cases {
		switch {
		case seen[c.Name]:
			t.Errorf("case %s: listed twice", c.Name)
		case c.Status != http.StatusOK && c.Status != http.StatusBadRequest:
			t.Errorf("case %s: status %d", c.Name, c.Status)
		case (c.Status == http.StatusOK) != (c.Reason == "OK"):
			t.Errorf("case %s: status %d with reason %q", c.Name, c.Status, c.Reason)
		case c.Source == "warehouse" && !strings.HasPrefix(c.Cite, "pypi/warehouse@"+tb.Warehouse[:12]+" "):
			t.Errorf("case %s: a hand-written answer must cite Warehouse %s, not %q", c.Name, tb.Warehouse, c.Cite)
		}
		seen[c.Name] = true
	}
	for key := range knownDisagreements {
		side, name, _ := strings.Cut(key, ":")
		if (side != "dist" && side != "pypitest") || !seen[name] {
			t.Errorf("knownDisagreements: %q names no case", key)
		}
	}
}

// TestDist holds dist's offline checks (Open, then Check under the PyPI
// profile, worded by PyPIReply) to the table, for the cases a file shows.
func TestDist(t *testing.T) {
	t.Parallel()
	o := &outcome{side: "dist"}
	t.Cleanup(func() { o.report(t) })
	for _, c := range table(t).Cases {
		if c.Scope != "both" {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			want := ""
			if c.Status != http.StatusOK {
				want = c.Reason
			}
			o.judge(t, c, distAnswer(t, c), want)
		})
	}
}

// distAnswer is the reply dist predicts for the case's file: "" for
// success.
func distAnswer(t *testing.T, c *Case) string {
	t.Helper()
	content, err := c.build()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), c.Filename)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := dist.Open(path)
	var ve *dist.ValidationError
	switch {
	case errors.As(err, &ve):
		return dist.PyPIReply(ve.Problems)
	case err != nil:
		return "dist.Open: " + err.Error()
	}
	return dist.PyPIReply(d.Check(dist.PyPI))
}

// TestPypitest uploads each case to a pypitest server as twine would, in
// a raw multipart POST, and holds its status line to the table.
func TestPypitest(t *testing.T) {
	t.Parallel()
	o := &outcome{side: "pypitest"}
	t.Cleanup(func() { o.report(t) })
	for _, c := range table(t).Cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			got, want := serverAnswer(t, c)
			o.judge(t, c, got, want)
		})
	}
}

const uploadToken = "pypi-warehousecases-token"

// serverAnswer runs the case's setup against a new server, uploads the
// case's file and returns the answer's status line and the table's. The
// setups: "upload-twice" uploads the file before; "other-content-first"
// uploads another file of the same name before; "deleted-first" uploads
// the file and deletes it; "max-size-1k" lowers the size limit to 1 KiB;
// "no-content" sends no file; "image-content" labels the file image/png.
func serverAnswer(t *testing.T, c *Case) (got, want string) {
	t.Helper()
	srv := pypitest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddAPIToken("alice", uploadToken)
	content, err := c.build()
	if err != nil {
		t.Fatal(err)
	}
	var first []byte
	switch c.Setup {
	case "upload-twice", "deleted-first":
		first = content
	case "other-content-first":
		other := *c
		other.Description = "Another file of the same name.\n"
		if first, err = other.build(); err != nil {
			t.Fatal(err)
		}
	case "max-size-1k":
		srv.SetMaxFileSize(1 << 10)
	}
	if first != nil {
		if got := post(t, srv, c, first); got != "200 OK" {
			t.Fatalf("setup upload: %s", got)
		}
	}
	if c.Setup == "deleted-first" && !srv.DeleteFile(c.Filename) {
		t.Fatalf("setup: %s was not stored", c.Filename)
	}
	b2 := blake2b.Sum256(content)
	reason := strings.ReplaceAll(c.Reason, "{blake2}", hex.EncodeToString(b2[:]))
	return post(t, srv, c, content), strconv.Itoa(c.Status) + " " + latin1(reason)
}

// latin1 is s as Warehouse puts it in a status line: encoded as Latin-1,
// other characters replaced by "?".
func latin1(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return string(b)
}

// post uploads content as the case's file and returns the status line.
func post(t *testing.T, srv *pypitest.Server, c *Case, content []byte) string {
	t.Helper()
	ctype, body, err := c.multipart(content)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/legacy/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("__token__:"+uploadToken)))
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)); err != nil {
		t.Fatal(err)
	}
	return resp.Status
}

// formNames maps core metadata fields to upload form names where they
// differ from the field lowercased with "-" as "_".
var formNames = map[string]string{"Classifier": "classifiers", "Project-URL": "project_urls"}

// fields returns the text fields of the upload form twine sends for the
// case's file, with the case's replacements.
func (c *Case) fields(content []byte) [][2]string {
	filetype, pyversion := "bdist_wheel", "py3"
	if c.Kind == "sdist" {
		filetype, pyversion = "sdist", "source"
	}
	sha, b2, md := sha256.Sum256(content), blake2b.Sum256(content), md5.Sum(content)
	fs := [][2]string{{":action", "file_upload"}, {"protocol_version", "1"}}
	for _, h := range c.Headers {
		name, ok := formNames[h[0]]
		if !ok {
			name = strings.ReplaceAll(strings.ToLower(h[0]), "-", "_")
		}
		fs = append(fs, [2]string{name, h[1]})
	}
	if c.Description != "" {
		fs = append(fs, [2]string{"description", c.Description})
	}
	fs = append(fs, [2]string{"filetype", filetype}, [2]string{"pyversion", pyversion},
		[2]string{"md5_digest", hex.EncodeToString(md[:])}, [2]string{"sha256_digest", hex.EncodeToString(sha[:])},
		[2]string{"blake2_256_digest", hex.EncodeToString(b2[:])})
	names := make([]string, 0, len(c.Form))
	for name := range c.Form {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fs = slices.DeleteFunc(fs, func(f [2]string) bool { return f[0] == name })
		if v := c.Form[name]; v != nil {
			fs = append(fs, [2]string{name, *v})
		}
	}
	return fs
}

// multipart renders the upload form with content as the file part.
func (c *Case) multipart(content []byte) (string, []byte, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range c.fields(content) {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return "", nil, err
		}
	}
	if c.Setup != "no-content" {
		ctype := "application/octet-stream"
		if c.Setup == "image-content" {
			ctype = "image/png"
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="content"; filename="%s"`, c.Filename))
		h.Set("Content-Type", ctype)
		w, err := mw.CreatePart(h)
		if err != nil {
			return "", nil, err
		}
		if _, err := w.Write(content); err != nil {
			return "", nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return "", nil, err
	}
	return mw.FormDataContentType(), buf.Bytes(), nil
}

func TestSortLists(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"must be one of ['b', 'c', 'a'], not 'x'.": "must be one of ['a', 'b', 'c'], not 'x'.",
		"are ['GFM', 'CommonMark'] and ['z', 'y']": "are ['CommonMark', 'GFM'] and ['y', 'z']",
		"no list [": "no list [",
		"plain":     "plain",
	} {
		if got := sortLists(in); got != want {
			t.Errorf("sortLists(%q) = %q, want %q", in, got, want)
		}
	}
}
