package upload

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/trustpub/pypi/internal/bounded"
)

func TestParseListing(t *testing.T) {
	t.Parallel()
	all := func(string) bool { return true }
	for _, tt := range []struct {
		file string
		api  listingAPI
		keep func(string) bool
		want map[string]string
	}{
		{"simple.json", simpleAPI, all, map[string]string{"pkg-1.0.tar.gz": "aa11", "pkg-1.0-py3-none-any.whl": "bb22", "pkg-0.9.tar.gz": ""}},
		{"simple.json", simpleAPI, func(n string) bool { return n == "pkg-1.0.tar.gz" }, map[string]string{"pkg-1.0.tar.gz": "aa11"}},
		{"jsonapi.json", jsonAPI, all, map[string]string{"pkg-1.0.tar.gz": "aa11", "pkg-0.9.tar.gz": "ee33"}},
		{"simple.json", jsonAPI, all, map[string]string{}}, // no "releases" or "urls"
	} {
		f, err := os.Open(filepath.Join("testdata", "listings", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseListing(f, tt.api, tt.keep)
		f.Close()
		if err != nil || !maps.Equal(got, tt.want) {
			t.Errorf("%s as %v: %v, %v; want %v", tt.file, tt.api, got, err, tt.want)
		}
	}
	for _, bad := range []string{``, `[]`, `{"files": {}}`, `{"files": [1]}`, `{"files": [`, `{"files": [{"filename": 3}]}`, `{"releases": {"1": 3}}`} {
		if _, err := parseListing(strings.NewReader(bad), simpleAPI, all); err == nil && !strings.Contains(bad, "releases") {
			t.Errorf("%q: no error", bad)
		}
		if _, err := parseListing(strings.NewReader(bad), jsonAPI, all); err == nil && !strings.Contains(bad, "files") {
			t.Errorf("%q as the JSON API: no error", bad)
		}
	}
}

// writeListing writes a simple API page of n files for pkg, none of
// them pkg-1.0.tar.gz, then the entry last if not "", calling sample
// after each MiB.
func writeListing(w io.Writer, n int, last string, sample func()) {
	fmt.Fprint(w, `{"meta": {"api-version": "1.1"}, "name": "pkg", "files": [`)
	written, next := 0, 1<<20
	for i := range n {
		if i > 0 {
			io.WriteString(w, ",")
		}
		k, _ := fmt.Fprintf(w, `{"filename": "pkg-0.%d.tar.gz", "url": "https://files.example/pkg-0.%d.tar.gz", "hashes": {"sha256": "%064x"}, "requires-python": ">=3.9", "yanked": false, "size": %d}`, i, i, i, i)
		if written += k; written >= next {
			next += 1 << 20
			sample()
		}
	}
	if last != "" {
		io.WriteString(w, ","+last)
	}
	io.WriteString(w, `]}`)
}

// TestListingMemory: a 60 MB listing is read as a stream, keeping only
// the files being uploaded, so the heap stays far below its size; the
// file, listed last, is found. It
// runs alone (not in parallel) so that the heap it measures is its own.
func TestListingMemory(t *testing.T) {
	const files = 250_000 // about 60 MB
	d := newDist(t, "", "pkg-1.0.tar.gz", []byte("content"), nil)
	last := `{"filename": "pkg-1.0.tar.gz", "hashes": {"sha256": "` + sums(t, d).SHA256 + `"}}`
	size := &countingWriter{w: io.Discard}
	writeListing(size, files, last, func() {})
	var (
		mu   sync.Mutex
		peak uint64
	)
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		peak = max(peak, m.HeapAlloc)
		mu.Unlock()
	}
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	ix := newIndex(t, nil)
	ix.mux.HandleFunc("GET /simple/pkg/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", simpleJSON)
		writeListing(w, files, last, sample)
	})
	res, err := ix.client().Upload(t.Context(), d, Options{SkipExisting: true})
	if err != nil || res.Outcome != OutcomeAlreadyPresent { // found at the end of the listing
		t.Fatalf("Upload = %v, %v", res.Outcome, err)
	}
	mu.Lock()
	grown := peak - min(peak, base.HeapAlloc)
	mu.Unlock()
	t.Logf("listing of %d bytes: heap grew by %d bytes at most", size.n, grown)
	if size.n < 55<<20 || grown > 24<<20 {
		t.Errorf("a %d-byte listing grew the heap by %d bytes; want under 24 MiB", size.n, grown)
	}
}

type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}

// TestListingCap: a listing over the cap is refused with an error
// naming the URL and the cap, and the upload goes ahead.
func TestListingCap(t *testing.T) {
	t.Parallel()
	ix := newIndex(t, nil)
	ix.mux.HandleFunc("GET /simple/pkg/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", simpleJSON)
		writeListing(w, 300_000, "", func() {}) // over 64 MiB
	})
	s, err := ix.client().newSession(Options{})
	if err != nil {
		t.Fatal(err)
	}
	u := s.readAPI.JoinPath("simple", "pkg")
	u.Path += "/"
	_, err = s.getListing(t.Context(), u, simpleJSON, simpleAPI)
	var be *bounded.Error
	if err == nil || !errors.As(err, &be) || !strings.Contains(err.Error(), "/simple/pkg/: the answer is longer than the 64 MiB cap") {
		t.Errorf("err = %v; want the cap named", err)
	}
}

// TestListingDepth: a value nested past maxListingDepth under a key the
// parser skips is refused, not followed bracket by bracket; one at the
// bound is read.
func TestListingDepth(t *testing.T) {
	t.Parallel()
	nested := func(n int) string {
		return `{"meta": ` + strings.Repeat("[", n) + strings.Repeat("]", n) + `, "files": []}`
	}
	all := func(string) bool { return true }
	if _, err := parseListing(strings.NewReader(nested(maxListingDepth)), simpleAPI, all); err != nil {
		t.Errorf("nested %d deep: %v", maxListingDepth, err)
	}
	if _, err := parseListing(strings.NewReader(nested(maxListingDepth+1)), simpleAPI, all); !errors.Is(err, errListing) {
		t.Errorf("nested %d deep: err = %v, want errListing", maxListingDepth+1, err)
	}
}
