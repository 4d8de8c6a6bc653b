package upload

import (
	"archive/zip"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trustpub/pypi/dist"
)

// randomWheel writes a valid wheel of project 1.0 whose one module is
// size pseudo-random bytes, stored: the file is about size bytes, and
// neither compresses nor hashes any faster than real content.
func randomWheel(tb testing.TB, dir, project string, size int64) string {
	tb.Helper()
	src := func() io.Reader { return io.LimitReader(rand.NewChaCha8([32]byte{1}), size) }
	crc := crc32.NewIEEE()
	if _, err := io.Copy(crc, src()); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, project+"-1.0-py3-none-any.whl")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: project + "/big.bin", Method: zip.Store,
		CRC32: crc.Sum32(), CompressedSize64: uint64(size), UncompressedSize64: uint64(size)})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(w, src()); err != nil {
		tb.Fatal(err)
	}
	for _, m := range []struct{ name, body string }{
		{"METADATA", "Metadata-Version: 2.4\nName: " + project + "\nVersion: 1.0\nSummary: big\n"},
		{"WHEEL", "Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
		{"RECORD", project + "/big.bin,,\n" + project + "-1.0.dist-info/METADATA,,\n" + project + "-1.0.dist-info/WHEEL,,\n" + project + "-1.0.dist-info/RECORD,,\n"},
	} {
		m.name = project + "-1.0.dist-info/" + m.name
		// Raw, with the sizes up front: PyPI refuses data descriptors.
		mw, err := zw.CreateRaw(&zip.FileHeader{Name: m.name, Method: zip.Store, CRC32: crc32.ChecksumIEEE([]byte(m.body)),
			CompressedSize64: uint64(len(m.body)), UncompressedSize64: uint64(len(m.body))})
		if err != nil {
			tb.Fatal(err)
		}
		io.WriteString(mw, m.body)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// openCheckUpload is what publishing one file costs the client: open
// it, check it by PyPI's rules and upload it.
func openCheckUpload(b *testing.B, c *Client, path string) {
	d, err := dist.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := d.Validate(dist.PyPI); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Upload(b.Context(), d, Options{}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkOpenUpload publishes a 256 MiB wheel of random bytes (open,
// check, upload to a loopback server that discards it), against reading
// the same (page-cached) file: the whole cost of a file, its hashing
// included wherever it happens.
func BenchmarkOpenUpload(b *testing.B) {
	const size = 256 << 20
	path := randomWheel(b, b.TempDir(), "demo", size)
	b.Run("publish", func(b *testing.B) {
		srv := discardServer(b)
		c := &Client{URL: srv.URL + "/legacy/", HTTPClient: srv.Client(), Username: "u", Password: "p"}
		b.SetBytes(size)
		cpu := cpuTime(b)
		for b.Loop() {
			openCheckUpload(b, c, path)
		}
		reportCPU(b, cpu)
	})
	b.Run("read", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, f)
			f.Close()
		}
	})
}

// BenchmarkPublish1GiB publishes a 1 GiB wheel of random bytes (open,
// check, upload to a loopback server that discards it) and reports the
// peak heap growth and the process's peak RSS during it (the goal is
// at most 32 MiB of RSS for the client; the server here shares the
// process, and adds its own buffers).
func BenchmarkPublish1GiB(b *testing.B) {
	path := randomWheel(b, b.TempDir(), "demo", 1<<30)
	srv := discardServer(b)
	c := &Client{URL: srv.URL + "/legacy/", HTTPClient: srv.Client(), Username: "u", Password: "p"}
	b.SetBytes(1 << 30)
	var heap, rss uint64
	cpu := cpuTime(b)
	for b.Loop() {
		resetPeakRSS(b)
		stop := peakHeap()
		openCheckUpload(b, c, path)
		heap, rss = max(heap, stop()), max(rss, peakRSS(b))
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per operation since start, the
// server's (which only reads and drops the bodies) included: unlike the
// wall time, it does not grow when other processes load the machine.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime(b)-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// resetPeakRSS resets the process's peak RSS (VmHWM) to its current RSS.
func resetPeakRSS(b *testing.B) {
	runtime.GC()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak RSS: %v", err)
	}
}

// peakRSS returns the process's peak RSS since resetPeakRSS.
func peakRSS(b *testing.B) uint64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// BenchmarkBatch12x2MiB publishes 12 wheels of 2 MiB of random bytes
// (12 projects, so none waits for another's first file: open, check,
// upload) to a server that answers each 50 ms after reading it, as a
// distant index would, at several concurrencies.
func BenchmarkBatch12x2MiB(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(50 * time.Millisecond)
	}))
	b.Cleanup(srv.Close)
	var paths []string
	dir := b.TempDir()
	for i := range 12 {
		paths = append(paths, randomWheel(b, dir, fmt.Sprintf("pkg%d", i), 2<<20))
	}
	c := &Client{URL: srv.URL + "/legacy/", HTTPClient: srv.Client(), Username: "u", Password: "p"}
	for _, parallel := range []int{1, 2, 4, 6, 12} {
		b.Run(fmt.Sprintf("parallel=%d", parallel), func(b *testing.B) {
			cpu := cpuTime(b)
			for b.Loop() {
				ds := make([]*dist.Distribution, len(paths))
				for i, p := range paths {
					d, err := dist.Open(p)
					if err != nil {
						b.Fatal(err)
					}
					if err := d.Validate(dist.PyPI); err != nil {
						b.Fatal(err)
					}
					ds[i] = d
				}
				for _, r := range c.UploadAll(b.Context(), ds, Options{Concurrency: parallel}) {
					if r.Err != nil {
						b.Fatal(r.Err)
					}
				}
			}
			reportCPU(b, cpu)
		})
	}
}
