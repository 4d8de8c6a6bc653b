package upload

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/pypitest"
)

// fakePyPI is a pypitest server taking testToken, and a client for it.
func fakePyPI(t *testing.T) (*pypitest.Server, *Client) {
	t.Helper()
	srv := pypitest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddAPIToken("alice", testToken)
	return srv, &Client{
		URL:        srv.URL + "/legacy/",
		HTTPClient: srv.Client(),
		Token:      oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testToken}),
		Retry:      fastRetry,
	}
}

// openNew writes a file made by pypitest.Dist to dir and
// opens it.
func openNew(t *testing.T, dir, filename string, content []byte) *dist.Distribution {
	t.Helper()
	path := filepath.Join(dir, filename)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := dist.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func wheelOf(t *testing.T, name, version string, metadata ...string) *dist.Distribution {
	fn, content := pypitest.Dist{Name: name, Version: version, Metadata: metadata}.Build()
	return openNew(t, t.TempDir(), fn, content)
}

func TestFakePyPIAcceptsOurForm(t *testing.T) {
	t.Parallel()
	srv, c := fakePyPI(t)
	dir := t.TempDir()
	sdistName, sdist := pypitest.Dist{Name: "demo", Version: "1.0", Sdist: true, Metadata: []string{"Keywords: a,b"}}.Build()
	wheelName, wheel := pypitest.Dist{Name: "demo", Version: "1.0", Metadata: []string{"Requires-Python: >=3.9"}}.Build()
	ds := []*dist.Distribution{openNew(t, dir, sdistName, sdist), openNew(t, dir, wheelName, wheel)}
	for _, r := range c.UploadAll(t.Context(), ds, Options{}) {
		if r.Err != nil || r.Outcome != OutcomeUploaded {
			t.Errorf("%s: %v %v", r.File, r.Outcome, r.Err)
		}
	}
	ups := srv.Uploads()
	if len(ups) != 2 || len(srv.Files()) != 2 || ups[0].Filename != "demo-1.0-py3-none-any.whl" {
		t.Fatalf("uploads %+v", ups)
	}
	for i, d := range []*dist.Distribution{ds[1], ds[0]} {
		want, _ := Form(d, Options{})
		var got []Field
		for _, f := range ups[i].Fields {
			if f.IsFile {
				t.Errorf("%s: field %s arrived as a file", baseName(d), f.Name)
			}
			got = append(got, Field{f.Name, f.Value})
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: fields (-want +got):\n%s", baseName(d), diff)
		}
		if ups[i].ContentType != "application/octet-stream" || ups[i].UserAgent != defaultUserAgent() {
			t.Errorf("content type %q, user agent %q", ups[i].ContentType, ups[i].UserAgent)
		}
	}
}

func TestFaultUnavailableThenOK(t *testing.T) {
	t.Parallel()
	srv, c := fakePyPI(t)
	srv.FailUploads(3, pypitest.HTMLReply(503))
	res, _ := c.Upload(t.Context(), wheelOf(t, "demo", "1.0"), Options{})
	if diff := diffResult(outcome{Outcome: OutcomeUploaded, Attempts: 4}, res); diff != "" {
		t.Fatalf("result (-want +got):\n%s", diff)
	}
	if len(srv.Files()) != 1 || len(srv.Uploads()) != 4 {
		t.Errorf("%d files from %d uploads, want 1 from 4", len(srv.Files()), len(srv.Uploads()))
	}
}

func TestFaultConnectionResetMidBody(t *testing.T) {
	t.Parallel()
	srv, c := fakePyPI(t)
	srv.ResetUploads(2, 300)
	res, _ := c.Upload(t.Context(), wheelOf(t, "demo", "1.0"), Options{})
	if diff := diffResult(outcome{Outcome: OutcomeUploaded, Attempts: 3}, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if len(srv.Files()) != 1 {
		t.Errorf("%d files, want 1", len(srv.Files()))
	}
}

func TestFaultResponseLost(t *testing.T) {
	t.Parallel()
	srv, c := fakePyPI(t)
	srv.LoseUploadResponses(1)
	res, _ := c.Upload(t.Context(), wheelOf(t, "demo", "1.0"), Options{})
	if diff := diffResult(outcome{Outcome: OutcomeAlreadyPresent, Attempts: 1}, res); diff != "" {
		t.Errorf("result (-want +got); want it found by hash after one upload:\n%s", diff)
	}
	if len(srv.Uploads()) != 1 {
		t.Errorf("%d uploads, want 1", len(srv.Uploads()))
	}
}

func TestFaultOtherBytesUnderTheName(t *testing.T) {
	t.Parallel()
	srv, c := fakePyPI(t)
	first := wheelOf(t, "demo", "1.0")
	if _, err := c.Upload(t.Context(), first, Options{}); err != nil {
		t.Fatal(err)
	}
	other := wheelOf(t, "demo", "1.0", "Keywords: changed")
	for _, skip := range []bool{false, true} {
		n := len(srv.Uploads())
		_, err := c.Upload(t.Context(), other, Options{SkipExisting: skip})
		var me *MismatchError
		if !errors.As(err, &me) || !errors.Is(err, ErrFileExists) ||
			!strings.Contains(err.Error(), sums(t, first).SHA256) || !strings.Contains(err.Error(), sums(t, other).SHA256) {
			t.Errorf("SkipExisting=%v: err = %v, want a mismatch naming both digests", skip, err)
		}
		if sent := len(srv.Uploads()) - n; sent != map[bool]int{false: 1, true: 0}[skip] {
			t.Errorf("SkipExisting=%v: %d uploads sent", skip, sent)
		}
	}
	// twine's rule: SkipMismatched skips it, naming both digests
	n := len(srv.Uploads())
	res, err := c.Upload(t.Context(), other, Options{SkipExisting: true, SkipMismatched: true})
	if err != nil || res.Outcome != OutcomeSkipped || res.Mismatch == nil ||
		res.Mismatch.LocalSHA256 != sums(t, other).SHA256 || res.Mismatch.IndexSHA256 != sums(t, first).SHA256 || len(srv.Uploads()) != n {
		t.Errorf("SkipMismatched: %v %+v %v, %d uploads sent; want skipped with both digests", res.Outcome, res.Mismatch, err, len(srv.Uploads())-n)
	}
	if _, err := c.Upload(t.Context(), other, Options{SkipMismatched: true}); !errors.As(err, new(*MismatchError)) {
		t.Errorf("SkipMismatched without SkipExisting: err = %v, want a mismatch", err)
	}
	// same bytes: SkipExisting sends nothing; without it, PyPI's 200 no-op
	n = len(srv.Uploads())
	if res, err := c.Upload(t.Context(), first, Options{SkipExisting: true}); err != nil || res.Outcome != OutcomeAlreadyPresent || len(srv.Uploads()) != n {
		t.Errorf("SkipExisting, same file: %v %v", res.Outcome, err)
	}
	if res, err := c.Upload(t.Context(), first, Options{}); err != nil || res.Outcome != OutcomeUploaded || len(srv.Files()) != 1 {
		t.Errorf("same file again: %v %v", res.Outcome, err)
	}
}

func TestFakePyPIErrors(t *testing.T) {
	t.Parallel()
	srv, c := fakePyPI(t)
	c.Token = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "pypi-unknown"})
	_, err := c.Upload(t.Context(), wheelOf(t, "demo", "1.0"), Options{})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrAuth) || e.StatusCode != 403 ||
		e.Message != "Invalid or non-existent authentication information. See https://pypi.org/help/#invalid-auth for more information." {
		t.Errorf("err = %v", err)
	}
	if strings.Contains(err.Error(), "pypi-unknown") {
		t.Errorf("the token leaked: %v", err)
	}
	_, c = fakePyPI(t)
	c.URL = srv.URL + "/simple/"
	if _, err := c.Upload(t.Context(), wheelOf(t, "demo", "1.0"), Options{}); !errors.Is(err, errNotUploadURL) {
		t.Errorf("upload to the simple index: err = %v, want errNotUploadURL", err)
	}
}

func TestFakePyPIWithoutTrailingSlash(t *testing.T) {
	t.Parallel()
	// One at a time, one 308 fixes the URL for the batch; two releases'
	// first files at once may both be redirected before the fix.
	for parallel, most308 := range map[int]int{1: 1, 2: 2} {
		srv, c := fakePyPI(t)
		c.URL = srv.URL + "/legacy"
		ds := []*dist.Distribution{wheelOf(t, "demo", "1.0"), wheelOf(t, "demo", "2.0")}
		for _, r := range c.UploadAll(t.Context(), ds, Options{Concurrency: parallel}) {
			if r.Err != nil || r.Outcome != OutcomeUploaded || r.Attempts != 1 {
				t.Errorf("parallel=%d: %s: %v after %d attempts: %v", parallel, r.File, r.Outcome, r.Attempts, r.Err)
			}
		}
		ups := srv.Uploads()
		redirected := 0
		for _, u := range ups {
			if u.Status == 308 {
				redirected++
			}
		}
		if redirected < 1 || redirected > most308 || len(ups) != 2+redirected || len(srv.Files()) != 2 {
			t.Errorf("parallel=%d: %d redirected, want 1 to %d; uploads: %+v", parallel, redirected, most308, ups)
		}
	}
}

// OnResult hears of each file as it finishes, not when the batch ends:
// a release's sdist waits for its first file (the wheel), so the first
// callback comes while the sdists are still to be sent. Failed and aborted files are reported
// too, and the callback may run in several goroutines at once.
func TestUploadAllOnResult(t *testing.T) {
	t.Parallel()
	var ds []*dist.Distribution
	dir := t.TempDir()
	for _, v := range []string{"1.0", "1.1", "1.2"} {
		for _, sdist := range []bool{false, true} {
			name, content := pypitest.Dist{Name: "demo", Version: v, Sdist: sdist}.Build()
			ds = append(ds, openNew(t, dir, name, content))
		}
	}

	srv, c := fakePyPI(t)
	rec := &resultRecorder{srv: srv}
	results := c.UploadAll(t.Context(), ds, Options{Concurrency: 3, OnResult: rec.record})
	if len(rec.calls) != len(ds) {
		t.Fatalf("OnResult called %d times for %d files", len(rec.calls), len(ds))
	}
	if first := rec.calls[0]; !strings.HasSuffix(first.r.File, ".whl") || first.uploads > 3 {
		t.Errorf("first call: %s after %d uploads; want a wheel before any sdist was sent", first.r.File, first.uploads)
	}
	for _, cl := range rec.calls {
		if i := slices.Index(ds, cl.r.Dist); i < 0 || results[i] != cl.r {
			t.Errorf("%s: OnResult got a Result UploadAll did not return", cl.r.File)
		}
		if cl.r.Outcome != OutcomeUploaded || !cl.stored {
			t.Errorf("%s: reported %v, stored before the call %v; want uploaded and stored", cl.r.File, cl.r.Outcome, cl.stored)
		}
	}

	// FailFast: the refused first file and the aborted rest are reported
	// (one at a time, so that no other file is under way).
	srv, c = fakePyPI(t)
	srv.FailUploads(1, &pypitest.Reply{Status: http.StatusBadRequest, ContentType: "text/plain; charset=utf-8", Body: "refused"})
	rec = &resultRecorder{srv: srv}
	c.UploadAll(t.Context(), ds, Options{Concurrency: 1, FailFast: true, OnResult: rec.record})
	var refused, aborted int
	for _, cl := range rec.calls {
		var ue *Error
		switch {
		case errors.As(cl.r.Err, &ue) && ue.StatusCode == http.StatusBadRequest:
			refused++
		case errors.Is(cl.r.Err, ErrAborted):
			aborted++
		}
	}
	if refused != 1 || aborted != len(ds)-1 || len(rec.calls) != len(ds) {
		t.Errorf("FailFast: %d calls, %d refused, %d aborted; want 1 refused and %d aborted", len(rec.calls), refused, aborted, len(ds)-1)
	}

	// A client that cannot start reports every file.
	rec = &resultRecorder{srv: srv}
	(&Client{URL: "ftp://example.com/legacy/"}).UploadAll(t.Context(), ds, Options{OnResult: rec.record})
	if len(rec.calls) != len(ds) || rec.calls[0].r.Err == nil {
		t.Errorf("invalid URL: %d calls, want %d failures", len(rec.calls), len(ds))
	}
}

// resultRecorder is an OnResult callback that notes each Result with
// what the index had at the time.
type resultRecorder struct {
	srv   *pypitest.Server
	mu    sync.Mutex
	calls []recordedResult
}

type recordedResult struct {
	r       *Result
	uploads int  // upload requests the index had received
	stored  bool // the index had the file
}

func (rr *resultRecorder) record(r *Result) {
	_, stored := rr.srv.File(r.File)
	uploads := len(rr.srv.Uploads())
	rr.mu.Lock()
	defer rr.mu.Unlock()
	rr.calls = append(rr.calls, recordedResult{r, uploads, stored})
}

// TestFakePyPIReadsDigestsAfterFile: the fake PyPI, like Warehouse,
// reads the whole form before judging it: digests after the file part
// are checked against the file, a wrong one refused in Warehouse's words,
// the right ones accepted.
func TestFakePyPIReadsDigestsAfterFile(t *testing.T) {
	t.Parallel()
	srv, c := fakePyPI(t)
	d := wheelOf(t, "demo", "1.0")
	fields, err := FormWithoutDigests(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	good := sums(t, d)
	bad := good
	bad.BLAKE2b256 = strings.Repeat("0", 64)
	for i, tc := range []struct {
		sums   dist.Digests
		status int
		msg    string
	}{
		{bad, 400, "The digest supplied does not match a digest calculated from the uploaded file."},
		{good, 200, ""},
	} {
		mp, err := newMultipart(fields, digestFields(tc.sums, false), baseName(d), "")
		if err != nil {
			t.Fatal(err)
		}
		file, err := d.Reader()
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, c.URL, mp.Reader(file, d.Size, nil, nil))
		req.ContentLength = mp.Len(d.Size)
		req.Header.Set("Content-Type", mp.ContentType())
		req.SetBasicAuth("__token__", testToken)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		up := srv.Uploads()[i]
		if resp.StatusCode != tc.status || up.Status != tc.status || up.Message != tc.msg {
			t.Errorf("digests %+v after the file: %d, index recorded %d %q; want %d %q", tc.sums, resp.StatusCode, up.Status, up.Message, tc.status, tc.msg)
		}
	}
	if len(srv.Files()) != 1 {
		t.Errorf("index holds %d files, want 1", len(srv.Files()))
	}
}
