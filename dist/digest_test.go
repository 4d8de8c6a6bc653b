package dist

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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

func TestFanOutDigests(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 8191, 8192, 8193, chunkSize - 1, chunkSize, chunkSize + 1, chunksInFlight*chunkSize + 7} {
		data := randomBytes(n, uint64(n))
		// The size is only a hint for the buffers: a wrong one still
		// reads to the end.
		for _, hint := range []int64{int64(n), 0, chunkSize} {
			hs := newHashers()
			read, err := fanOut(bytes.NewReader(data), hint, hashConsumers(hs)...)
			if err != nil || read != int64(n) {
				t.Fatalf("%d bytes, hint %d: fanOut = %d, %v", n, hint, read, err)
			}
			if got, want := digestsOf(hs), oneShotDigests(data); got != want {
				t.Errorf("%d bytes, hint %d: digests %+v, want %+v", n, hint, got, want)
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
	n, err := fanOut(&failingReader{n: 3*chunkSize + 5}, 3*chunkSize+5, hashConsumers(newHashers())...)
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
	hs := newHashers()
	if _, err := fanOut(f, 3*chunkSize+17, hashConsumers(hs)...); err != nil {
		t.Fatal(err)
	}
	d := digestsOf(hs)
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
