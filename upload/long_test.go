package upload

import (
	"runtime"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/pypitest"
)

// openLongDescription opens the wheel whose METADATA is 60 MiB, nearly
// all of it the description.
func openLongDescription(tb testing.TB) *dist.Distribution {
	tb.Helper()
	d, err := dist.Open("../dist/testdata/bad/wheel-metadata-60mib-bomb/demo-1.0-py3-none-any.whl")
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// TestUploadLongDescriptionAllocs checks that uploading a 60 MiB
// description sends it from the metadata as it is, making no copy.
func TestUploadLongDescriptionAllocs(t *testing.T) {
	d := openLongDescription(t)
	srv := discardServer(t)
	c := &Client{URL: srv.URL + "/legacy/", HTTPClient: srv.Client(), Username: "u", Password: "p"}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := c.Upload(t.Context(), d, Options{}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
		t.Errorf("uploading a 60 MiB description allocated %d MiB, want at most 8", got>>20)
	}
}

// BenchmarkUploadLongDescription uploads the 60 MiB description to a
// server that drops it and to a fake PyPI in this process, and reports
// the peak heap growth (of both ends, for the fake PyPI) and the bytes
// allocated. The fake PyPI refuses text fields of that size, after
// reading as much as its limit.
func BenchmarkUploadLongDescription(b *testing.B) {
	d := openLongDescription(b)
	run := func(b *testing.B, url string, c *Client, wantErr string) {
		b.ReportAllocs()
		var worst uint64
		for b.Loop() {
			stop := peakHeap()
			_, err := c.Upload(b.Context(), d, Options{})
			worst = max(worst, stop())
			if err == nil && wantErr != "" || err != nil && !strings.Contains(err.Error(), wantErr) {
				b.Fatalf("upload to %s: %v, want %q", url, err, wantErr)
			}
		}
		b.ReportMetric(float64(worst)/(1<<20), "peak-heap-MiB")
	}
	b.Run("discard", func(b *testing.B) {
		srv := discardServer(b)
		run(b, srv.URL, &Client{URL: srv.URL + "/legacy/", HTTPClient: srv.Client(), Username: "u", Password: "p"}, "")
	})
	b.Run("pypitest", func(b *testing.B) {
		srv := pypitest.NewServer()
		b.Cleanup(srv.Close)
		srv.AddAPIToken("alice", testToken)
		run(b, srv.URL, &Client{URL: srv.URL + "/legacy/", HTTPClient: srv.Client(),
			Token: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testToken})}, "form field too large")
	})
}
