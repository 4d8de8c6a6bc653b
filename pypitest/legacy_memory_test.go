package pypitest

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime/multipart"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"
)

// zeroWheel is the wheel big-1.0-py3-none-any.whl whose package holds
// one file of size zero bytes, streamed by WriteTo.
func zeroWheel(size int64) Dist {
	return Dist{Name: "big", Version: "1.0", Members: []Member{{Name: "big/data.bin", Size: size,
		Open: func() io.Reader { return zeros{} }}}}
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// heapPeak samples the heap in use until stop is called, which returns
// its peak growth over the heap in use at the start.
func heapPeak() (stop func() uint64) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapInuse, ms.HeapInuse
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak - base
	}
}

// uploadZeroWheel streams a zero wheel of size bytes to srv as twine
// would send it, and returns the answer's status.
func uploadZeroWheel(tb testing.TB, srv *Server, size int64) int {
	sum := sha256.New()
	if _, err := zeroWheel(size).WriteTo(sum); err != nil {
		tb.Fatal(err)
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for _, f := range [][2]string{{":action", "file_upload"}, {"protocol_version", "1"}, {"metadata_version", "2.1"},
			{"name", "big"}, {"version", "1.0"}, {"filetype", "bdist_wheel"}, {"pyversion", "py3"},
			{"sha256_digest", hex.EncodeToString(sum.Sum(nil))}} {
			mw.WriteField(f[0], f[1])
		}
		part, err := mw.CreateFormFile("content", "big-1.0-py3-none-any.whl")
		if err == nil {
			_, err = zeroWheel(size).WriteTo(part)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/legacy/", pr)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", tokenAuth(uploadToken))
	resp, err := srv.Client().Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestUploadMemoryFlat uploads a 256 MiB wheel under a 512 MiB limit:
// the index streams it to disk and hashes it from there, so the heap
// grows by far less than the file. Not parallel: it measures the heap of
// the whole test binary, so it runs while no other test does.
func TestUploadMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 256 MiB")
	}
	const size = 256 << 20
	srv := newIndexServer(t)
	srv.SetMaxFileSize(2 * size)
	stop := heapPeak()
	status := uploadZeroWheel(t, srv, size)
	growth := stop()
	ups := srv.Uploads()
	if status != http.StatusOK || len(ups) != 1 || !ups[0].Stored || ups[0].Size <= size {
		t.Fatalf("status %d, uploads %+v; want the wheel stored", status, ups)
	}
	if growth > 32<<20 {
		t.Errorf("heap grew by %d MiB for a %d MiB upload, want under 32 MiB", growth>>20, size>>20)
	}
	t.Logf("heap growth %.1f MiB for a %d MiB upload", float64(growth)/(1<<20), size>>20)
}

// BenchmarkUpload256MiB measures the index receiving, judging and storing
// a 256 MiB wheel, reporting the peak heap growth of each upload.
func BenchmarkUpload256MiB(b *testing.B) {
	const size = 256 << 20
	var peak uint64
	for b.Loop() {
		b.StopTimer()
		srv := NewServer()
		srv.AddAPIToken("alice", uploadToken)
		srv.SetMaxFileSize(2 * size)
		stop := heapPeak()
		b.StartTimer()
		status := uploadZeroWheel(b, srv, size)
		b.StopTimer()
		peak = max(peak, stop())
		srv.Close()
		if status != http.StatusOK {
			b.Fatalf("status %d", status)
		}
		b.StartTimer()
	}
	b.SetBytes(size)
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}
