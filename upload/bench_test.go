package upload

import (
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trustpub/pypi/dist"
)

// discardServer reads and drops every request body.
func discardServer(b testing.TB) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// bigDist returns a distribution of size bytes: sparse (zeros, no disk)
// or random. Its digests are not those of its content: the servers here
// do not check them.
func bigDist(b *testing.B, size int64, random bool) *dist.Distribution {
	path := filepath.Join(b.TempDir(), "big-1.0-py3-none-any.whl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if random {
		_, err = io.CopyN(f, rand.Reader, size)
	} else {
		err = f.Truncate(size)
	}
	if err != nil {
		b.Fatal(err)
	}
	d := newDist(b, b.TempDir(), "big-1.0-py3-none-any.whl", nil, nil)
	d.Path, d.Size = path, size
	return d
}

// peakHeap samples the heap in use until stop is called and returns the
// highest value seen above the baseline at the start.
func peakHeap() (stop func() uint64) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > base && ms.HeapInuse-base > peak.Load() {
				peak.Store(ms.HeapInuse - base)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}

// BenchmarkUpload2GiB uploads a 2 GiB sparse file to a loopback server
// and reports the peak heap growth (the goal is at most 32 MiB).
func BenchmarkUpload2GiB(b *testing.B) {
	srv := discardServer(b)
	d := bigDist(b, 2<<30, false)
	c := &Client{URL: srv.URL + "/legacy/", HTTPClient: srv.Client(), Username: "u", Password: "p"}
	b.SetBytes(d.Size)
	var worst uint64
	for b.Loop() {
		stop := peakHeap()
		if _, err := c.Upload(b.Context(), d, Options{}); err != nil {
			b.Fatal(err)
		}
		worst = max(worst, stop())
	}
	b.ReportMetric(float64(worst)/(1<<20), "peak-heap-MiB")
	if worst > 32<<20 {
		b.Errorf("peak heap grew by %d MiB, want at most 32", worst>>20)
	}
}

// BenchmarkThroughput compares an upload over loopback, which hashes the
// file (sha256, blake2b-256) as it sends it, with reading the same
// (page-cached) file.
func BenchmarkThroughput(b *testing.B) {
	const size = 256 << 20
	d := bigDist(b, size, true)
	b.Run("upload", func(b *testing.B) {
		srv := discardServer(b)
		c := &Client{URL: srv.URL + "/legacy/", HTTPClient: srv.Client(), Username: "u", Password: "p"}
		b.SetBytes(size)
		for b.Loop() {
			if _, err := c.Upload(b.Context(), d, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("read", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			r, err := d.Reader()
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, r)
			r.Close()
		}
	})
}

// BenchmarkBatchLatency uploads 24 small files to a server that answers
// each after 50 ms, one at a time and 4 at a time.
func BenchmarkBatchLatency(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(50 * time.Millisecond)
	}))
	b.Cleanup(srv.Close)
	var ds []*dist.Distribution
	dir := b.TempDir()
	for i := range 24 {
		ds = append(ds, newDist(b, dir, fmt.Sprintf("pkg-1.0-py3-none-plat%d.whl", i), []byte(strings.Repeat("x", 64<<10)), nil))
	}
	c := &Client{URL: srv.URL + "/legacy/", HTTPClient: srv.Client(), Username: "u", Password: "p"}
	for _, parallel := range []int{1, 4} {
		b.Run(fmt.Sprintf("parallel=%d", parallel), func(b *testing.B) {
			for b.Loop() {
				for _, r := range c.UploadAll(b.Context(), ds, Options{Concurrency: parallel}) {
					if r.Err != nil {
						b.Fatal(r.Err)
					}
				}
			}
		})
	}
}
