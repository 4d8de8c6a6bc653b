package dist

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func goodFile(t *testing.T, id string) string {
	t.Helper()
	return caseFile(t, filepath.Join("testdata", "good", id))
}

// zipMember reads a member with archive/zip, independently of our reader.
func zipMember(t *testing.T, path, name string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tarMember reads a member of a .tar.gz with archive/tar.
func tarMember(t *testing.T, path, name string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s not found: %v", name, err)
		}
		if h.Name == name {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
}

func TestOpenMetadataBytes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id, member string
		read       func(*testing.T, string, string) []byte
	}{
		{"wheel", "demo-1.0.dist-info/METADATA", zipMember},
		{"wheel-decoys", "demo-1.0.dist-info/METADATA", zipMember},
		{"wheel-stored", "demo-1.0.dist-info/METADATA", zipMember},
		{"sdist", "demo-1.0/PKG-INFO", tarMember},
		{"sdist-two-gzip-members", "demo-1.0/PKG-INFO", tarMember},
	} {
		path := goodFile(t, tc.id)
		d, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		want := tc.read(t, path, tc.member)
		if !bytes.Equal(d.MetadataBytes, want) {
			t.Errorf("%s: MetadataBytes = %q, want %q", tc.id, d.MetadataBytes, want)
		}
		if got := oneShotDigests(want); d.MetadataDigests.SHA256 != got.SHA256 || d.MetadataDigests.BLAKE2b256 != got.BLAKE2b256 || d.MetadataDigests.MD5 != "" {
			t.Errorf("%s: MetadataDigests = %+v, want sha256 %s, blake2b %s", tc.id, d.MetadataDigests, got.SHA256, got.BLAKE2b256)
		}
		content, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := d.Digests(true); err != nil || got != oneShotDigests(content) || d.Size != int64(len(content)) {
			t.Errorf("%s: Digests %+v, %v, Size %d; want %+v, %d", tc.id, got, err, d.Size, oneShotDigests(content), len(content))
		}
		if !strings.Contains(strings.Join(d.Members, "\n"), tc.member) {
			t.Errorf("%s: Members %q lack %s", tc.id, d.Members, tc.member)
		}
		if !sharesMemory(d.Metadata.Description, d.MetadataBytes) {
			t.Errorf("%s: the Description (%d bytes) is a copy, not a part of MetadataBytes", tc.id, len(d.Metadata.Description))
		}
	}
}

// sharesMemory reports whether s is a non-empty part of b's memory.
func sharesMemory(s string, b []byte) bool {
	if s == "" || len(b) == 0 {
		return false
	}
	p, start := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p >= start && p+uintptr(len(s)) <= start+uintptr(len(b))
}

func TestOpenReaderAtMatchesOpen(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"wheel", "sdist", "wheel-license", "sdist-license"} {
		path := goodFile(t, id)
		d, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		content, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := OpenReaderAt(filepath.Base(path), bytes.NewReader(content), int64(len(content)))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(d, r, cmpopts.IgnoreUnexported(Distribution{}), cmpopts.IgnoreFields(Distribution{}, "Path")); diff != "" {
			t.Errorf("%s: OpenReaderAt differs from Open (-Open +OpenReaderAt):\n%s", id, diff)
		}
		m, raw, err := ReadMetadata(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(raw, d.MetadataBytes) || !cmp.Equal(m, d.Metadata) {
			t.Errorf("%s: ReadMetadata differs from Open", id)
		}
	}
}

func TestReader(t *testing.T) {
	t.Parallel()
	content, err := os.ReadFile(goodFile(t, "wheel"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), wheelFixture)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ra, err := OpenReaderAt(wheelFixture, bytes.NewReader(content), int64(len(content)))
	if err != nil {
		t.Fatal(err)
	}
	for _, dd := range []*Distribution{d, ra, d} { // twice: each call starts over
		rc, err := dd.Reader()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, content) {
			t.Errorf("Reader returned %d bytes, %v; want the %d bytes of the file", len(got), err, len(content))
		}
	}

	// The file grows after Open: Reader and Check refuse it.
	if err := os.WriteFile(path, append(content, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Reader(); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Reader after the file grew = %v, want an error naming %s", err, path)
	}
	if ps := d.Check(PyPI); len(ps) == 0 || ps[0].Rule != "unreadable" {
		t.Errorf("Check after the file grew = %v, want an unreadable problem", ps)
	}
	short := &Distribution{Path: "x.whl", Filename: d.Filename, Size: d.Size, ra: bytes.NewReader(content[:10])}
	if _, err := short.Reader(); err == nil {
		t.Error("Reader of a ReaderAt that shrank succeeded")
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, wheelFixture)
	if _, err := Open(missing); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Open(missing) = %v, want a not-exist error naming the path", err)
	}
	sub := filepath.Join(dir, "x.whl")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(sub); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Open(directory) = %v, want a not-a-regular-file error", err)
	}
	if _, _, err := ReadMetadata(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadMetadata(missing) = %v", err)
	}
	var ve *ValidationError
	if _, _, err := ReadMetadata(caseFile(t, filepath.Join("testdata", "bad", "zip-trailing-data"))); !errors.As(err, &ve) {
		t.Errorf("ReadMetadata(trailing data) = %v, want a *ValidationError", err)
	}
}
