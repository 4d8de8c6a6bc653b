package dist

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/blake2b"
)

// randomBytes returns n deterministic pseudo-random bytes.
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// oneShotDigests computes the digests with the one-call functions, a path
// independent of fanOut's streaming.
func oneShotDigests(b []byte) Digests {
	s, b2, m := sha256.Sum256(b), blake2b.Sum256(b), md5.Sum(b)
	return Digests{SHA256: hex.EncodeToString(s[:]), BLAKE2b256: hex.EncodeToString(b2[:]), MD5: hex.EncodeToString(m[:])}
}

// allAlgorithms are every digest a Digests holds.
var allAlgorithms = []algorithm{algSHA256, algBLAKE2b256, algMD5}

func TestFanOutDigests(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 8191, 8192, 8193, chunkSize - 1, chunkSize, chunkSize + 1, chunksInFlight*chunkSize + 7} {
		data := randomBytes(n, uint64(n))
		// The size is only a hint for the buffers: a wrong one still
		// reads to the end.
		for _, hint := range []int64{int64(n), 0, chunkSize} {
			h := newHashers(allAlgorithms)
			read, err := fanOut(bytes.NewReader(data), hint, h.consumers()...)
			if err != nil || read != int64(n) {
				t.Fatalf("%d bytes, hint %d: fanOut = %d, %v", n, hint, read, err)
			}
			var got Digests
			if h.sumInto(&got); got != oneShotDigests(data) {
				t.Errorf("%d bytes, hint %d: digests %+v, want %+v", n, hint, got, oneShotDigests(data))
			}
		}
	}
}

type failingReader struct{ n int }

var errDisk = errors.New("disk on fire")

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errDisk
	}
	m := min(len(p), r.n)
	r.n -= m
	return m, nil
}

func TestFanOutReadError(t *testing.T) {
	t.Parallel()
	n, err := fanOut(&failingReader{n: 3*chunkSize + 5}, 3*chunkSize+5, newHashers(allAlgorithms).consumers()...)
	if !errors.Is(err, errDisk) || n != 3*chunkSize+5 {
		t.Errorf("fanOut = %d, %v; want %d, %v", n, err, 3*chunkSize+5, errDisk)
	}
}

// TestDigestsMatchCoreutils compares fanOut's digests of a file spanning
// several chunks with sha256sum, b2sum -l 256 and md5sum.
func TestDigestsMatchCoreutils(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "blob")
	if err := os.WriteFile(path, randomBytes(3*chunkSize+17, 7), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := newHashers(allAlgorithms)
	if _, err := fanOut(f, 3*chunkSize+17, h.consumers()...); err != nil {
		t.Fatal(err)
	}
	var d Digests
	h.sumInto(&d)
	for _, tool := range []struct {
		args []string
		want string
	}{
		{[]string{"sha256sum"}, d.SHA256},
		{[]string{"md5sum"}, d.MD5},
		{[]string{"b2sum", "-l", "256"}, d.BLAKE2b256},
	} {
		if _, err := exec.LookPath(tool.args[0]); err != nil {
			t.Logf("%s is not installed", tool.args[0])
			continue
		}
		out, err := exec.Command(tool.args[0], append(tool.args[1:], path)...).Output()
		if err != nil {
			t.Fatalf("%s: %v", tool.args[0], err)
		}
		if got, _, _ := strings.Cut(string(out), " "); got != tool.want {
			t.Errorf("%s = %s, fanOut computed %s", tool.args[0], got, tool.want)
		}
	}
}

// wheelFixture is the file name of the demo wheels in testdata.
const wheelFixture = "demo-1.0-py3-none-any.whl"

// TestDigestsKnown checks what Open leaves to compute: nothing for an
// sdist, whose every byte it reads anyway, and the digests of a wheel,
// computed by the first call and kept.
func TestDigestsKnown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id    string
		known bool
	}{{"sdist", true}, {"wheel", false}} {
		path := goodFile(t, tc.id)
		d, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		content, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want := oneShotDigests(content)
		if got, ok := d.KnownDigests(false); ok != tc.known || ok && (got.SHA256 != want.SHA256 || got.BLAKE2b256 != want.BLAKE2b256 || got.MD5 != "") {
			t.Errorf("%s: after Open, KnownDigests = %+v, %v; want known %v", tc.id, got, ok, tc.known)
		}
		if _, ok := d.KnownDigests(true); ok {
			t.Errorf("%s: md5 known after Open; it is computed only on request", tc.id)
		}
		if got, err := d.Digests(true); err != nil || got != want {
			t.Errorf("%s: Digests(true) = %+v, %v; want %+v", tc.id, got, err, want)
		}
		// Known now: the file may even be gone.
		d.Path = filepath.Join(t.TempDir(), "gone.whl")
		if got, err := d.Digests(true); err != nil || got != want {
			t.Errorf("%s: Digests(true) again = %+v, %v; want the kept %+v", tc.id, got, err, want)
		}
	}
}

// TestHashingReader reads files of several sizes through a
// HashingReader in small reads, as an HTTP transport does, and checks
// the bytes, the digests and that the Distribution keeps them.
func TestHashingReader(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, chunkSize - 1, chunkSize, chunksInFlight*chunkSize + 7} {
		for _, withMD5 := range []bool{false, true} {
			data := randomBytes(n, uint64(n)+3)
			d := &Distribution{Path: wheelFixture, Size: int64(n), ra: bytes.NewReader(data), cache: &digestCache{}}
			r, err := d.HashingReader(withMD5)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Digests(); err == nil && n > 0 {
				t.Errorf("%d bytes: Digests before reading succeeded", n)
			}
			got, err := io.ReadAll(struct{ io.Reader }{r}) // small reads, no WriterTo
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("%d bytes: read %d bytes, %v", n, len(got), err)
			}
			want := oneShotDigests(data)
			if !withMD5 {
				want.MD5 = ""
			}
			if sums, err := r.Digests(); err != nil || sums != want {
				t.Errorf("%d bytes, md5 %v: Digests = %+v, %v; want %+v", n, withMD5, sums, err, want)
			}
			if kept, ok := d.KnownDigests(withMD5); !ok || kept != want {
				t.Errorf("%d bytes, md5 %v: KnownDigests = %+v, %v; want %+v", n, withMD5, kept, ok, want)
			}
			if err := r.Close(); err != nil {
				t.Error(err)
			}
		}
	}
}

// TestHashingReaderShortContent: content shorter than the size it had
// when opened gives no digests, and teaches the Distribution none.
func TestHashingReaderShortContent(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), wheelFixture)
	if err := os.WriteFile(path, randomBytes(3*chunkSize, 5), 0o644); err != nil {
		t.Fatal(err)
	}
	d := &Distribution{Path: path, Size: 3 * chunkSize, cache: &digestCache{}}
	r, err := d.HashingReader(false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	buf := make([]byte, 1000)
	if _, err := r.Read(buf); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, chunkSize+5); err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, r)
	if err != nil || n+1000 != chunkSize+5 {
		t.Fatalf("read %d more bytes, %v", n, err)
	}
	if _, err := r.Digests(); err == nil || !strings.Contains(err.Error(), "changed while it was read") {
		t.Errorf("Digests of a truncated file: %v", err)
	}
	if _, ok := d.KnownDigests(false); ok {
		t.Error("the Distribution learnt digests of a truncated file")
	}
}

// TestHashingReaderCloseEarly closes a reader mid-file, with every
// buffer in flight, from another goroutine as an HTTP transport may: it
// returns, and a later Read fails.
func TestHashingReaderCloseEarly(t *testing.T) {
	t.Parallel()
	data := randomBytes(4*chunksInFlight*chunkSize, 9)
	d := &Distribution{Path: wheelFixture, Size: int64(len(data)), ra: bytes.NewReader(data)}
	r, err := d.HashingReader(true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(io.Discard, r, int64(chunksInFlight*chunkSize+3)); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error)
	go func() { closed <- r.Close() }()
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(make([]byte, 10)); err == nil {
		t.Error("Read after Close succeeded")
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
