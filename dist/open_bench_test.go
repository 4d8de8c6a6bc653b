package dist

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"testing"
)

const benchDigestSize = 64 << 20

// BenchmarkDigests compares the one-pass digest computation of the
// digests an upload sends (sha256 and blake2b-256, fed in parallel by
// fanOut) with each digest alone and with the two fed in turn through
// io.MultiWriter, on the same 64 MiB.
func BenchmarkDigests(b *testing.B) {
	data := randomBytes(benchDigestSize, 1)
	b.Run("all-parallel", benchFanOut(data, algSHA256, algBLAKE2b256))
	b.Run("all-sequential", func(b *testing.B) {
		b.SetBytes(benchDigestSize)
		buf := make([]byte, chunkSize)
		for b.Loop() {
			h := newHashers([]algorithm{algSHA256, algBLAKE2b256})
			io.CopyBuffer(io.MultiWriter(h.hs[0], h.hs[1]), bytes.NewReader(data), buf)
			h.sumInto(&Digests{})
		}
	})
	b.Run("sha256", benchSingle(data, algSHA256))
	b.Run("blake2b", benchSingle(data, algBLAKE2b256))
}

// BenchmarkDigestsMD5 is BenchmarkDigests with md5 too, as an upload
// with md5 asked for computes them, against md5 alone.
func BenchmarkDigestsMD5(b *testing.B) {
	data := randomBytes(benchDigestSize, 1)
	b.Run("all-parallel", benchFanOut(data, algSHA256, algBLAKE2b256, algMD5))
	b.Run("md5", benchSingle(data, algMD5))
}

// benchFanOut hashes data with algs in one fanOut pass.
func benchFanOut(data []byte, algs ...algorithm) func(*testing.B) {
	return func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			h := newHashers(algs)
			if _, err := fanOut(bytes.NewReader(data), int64(len(data)), h.consumers()...); err != nil {
				b.Fatal(err)
			}
			h.sumInto(&Digests{})
		}
	}
}

// benchSingle hashes data with a alone, in the goroutine that reads it.
func benchSingle(data []byte, a algorithm) func(*testing.B) {
	return func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		buf := make([]byte, chunkSize)
		for b.Loop() {
			h := a.newHash()
			io.CopyBuffer(h, bytes.NewReader(data), buf)
			h.Sum(nil)
		}
	}
}

// holeWriter writes to a file, leaving holes where the data is zero, so
// that a 1 GiB wheel costs no disk.
type holeWriter struct {
	f   *os.File
	off int64
}

var zeros = make([]byte, 64<<10)

func (w *holeWriter) Write(p []byte) (int, error) {
	if len(p) <= len(zeros) && bytes.Equal(p, zeros[:len(p)]) {
		w.off += int64(len(p))
		return len(p), nil
	}
	n, err := w.f.WriteAt(p, w.off)
	w.off += int64(n)
	return n, err
}

// writeBigWheel writes a valid wheel of demo 1.0 whose first member is
// size stored zero bytes, followed by its .dist-info.
func writeBigWheel(tb testing.TB, path string, size int64) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	w := &holeWriter{f: f}
	zw := zip.NewWriter(w)
	crc := crc32.NewIEEE()
	for n := size; n > 0; n -= int64(len(zeros)) {
		crc.Write(zeros[:min(n, int64(len(zeros)))])
	}
	big, err := zw.CreateRaw(&zip.FileHeader{Name: "demo/big.bin", Method: zip.Store,
		CRC32: crc.Sum32(), CompressedSize64: uint64(size), UncompressedSize64: uint64(size)})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.CopyN(big, zeroReader{}, size); err != nil {
		tb.Fatal(err)
	}
	for _, m := range []struct{ name, body string }{
		{"demo-1.0.dist-info/METADATA", "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\n"},
		{"demo-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n"},
		{"demo-1.0.dist-info/RECORD", "demo/big.bin,,\n"},
	} {
		mw, err := zw.Create(m.name)
		if err != nil {
			tb.Fatal(err)
		}
		io.WriteString(mw, m.body)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Truncate(w.off); err != nil {
		tb.Fatal(err)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// BenchmarkMetadata1GiB reads the metadata of a 1 GiB wheel with
// ReadMetadata: the end records, the central directory and METADATA, so
// the time does not depend on the file's size.
func BenchmarkMetadata1GiB(b *testing.B) {
	path := filepath.Join(b.TempDir(), wheelFixture)
	writeBigWheel(b, path, 1<<30)
	for b.Loop() {
		m, _, err := ReadMetadata(path)
		if err != nil || m.Name != "demo" {
			b.Fatalf("ReadMetadata = %v, %v", m, err)
		}
	}
}

// countingReaderAt counts the reads made through it and the bytes read.
type countingReaderAt struct {
	r     io.ReaderAt
	n     int64
	reads int
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += int64(n)
	c.reads++
	return n, err
}

// TestMetadataReadsLittle proves the claim BenchmarkMetadata1GiB measures:
// the metadata of a 1 GiB wheel comes from a few kilobytes of it.
func TestMetadataReadsLittle(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), wheelFixture)
	writeBigWheel(t, path, 1<<30)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	c := &countingReaderAt{r: f}
	fn, err := ParseFilename(wheelFixture)
	if err != nil {
		t.Fatal(err)
	}
	raw, _, is := zipMetadata(c, fi.Size(), wheelFixture, fn, false)
	if is.fatal() || !bytes.Contains(raw, []byte("Name: demo")) {
		t.Fatalf("zipMetadata = %q, %v", raw, is)
	}
	if c.n > 128<<10 {
		t.Errorf("read %d bytes of a %d-byte wheel for its metadata; want at most 128 KiB", c.n, fi.Size())
	}
}
