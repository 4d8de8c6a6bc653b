//go:build unix

package dist

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestOpenFIFO checks that a FIFO named like a wheel is refused, naming
// the path, by everything that opens a path, rather than waiting forever
// for a writer; a symbolic link to a regular file is read as the file.
func TestOpenFIFO(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, wheelFixture)
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link", wheelFixture)
	if err := os.Mkdir(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	want := "a FIFO, not a regular file"
	for _, p := range []string{fifo, link} {
		if _, err := Open(p); err == nil || !strings.Contains(err.Error(), p+": "+want) {
			t.Errorf("Open(%s) = %v, want %q naming the path", p, err, want)
		}
		if _, _, err := ReadMetadata(p); err == nil || !strings.Contains(err.Error(), p+": "+want) {
			t.Errorf("ReadMetadata(%s) = %v, want %q naming the path", p, err, want)
		}
	}

	// A symbolic link to a regular file opens; once the file is replaced
	// by a FIFO, re-reading it fails instead of blocking.
	good := filepath.Join(dir, "good", wheelFixture)
	if err := os.Mkdir(filepath.Dir(good), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(goodFile(t, "wheel"))
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "target.bin")
	if err := os.WriteFile(target, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, good); err != nil {
		t.Fatal(err)
	}
	d, err := Open(good)
	if err != nil {
		t.Fatalf("Open(symlink to a wheel) = %v", err)
	}
	if err := os.Remove(target); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(target, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Reader(); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Reader() after the file became a FIFO = %v, want %q", err, want)
	}
	if ps := d.Check(PyPI); len(ps) == 0 || !strings.Contains(ps[0].Message, want) {
		t.Errorf("Check after the file became a FIFO = %v, want a problem %q", ps, want)
	}
}
