//go:build unix

package pypi_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/trustpub/pypi"
)

// A named pipe (or a device) is refused before anything opens it, which
// would wait for a writer forever, whether it is named, found in a
// directory or matched by a pattern; a symbolic link to a file is fine.
func TestFindFilesRefusesNonRegular(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeFile(t, dir, "a-1.0-py3-none-any.whl", nil)
	if err := os.Symlink(good, filepath.Join(dir, "link-1.0-py3-none-any.whl")); err != nil {
		t.Fatal(err)
	}
	if got, err := pypi.FindFiles(dir); err != nil || len(got) != 2 {
		t.Fatalf("FindFiles(dir with a symlink) = %q, %v", got, err)
	}
	fifo := filepath.Join(dir, "x-1.0-py3-none-any.whl")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ pattern, path, kind string }{
		{fifo, fifo, "a named pipe (FIFO)"},
		{dir, fifo, "a named pipe (FIFO)"},
		{filepath.Join(dir, "x-*"), fifo, "a named pipe (FIFO)"},
		{"/dev/null", "/dev/null", "a character device"},
	} {
		got, err := pypi.FindFiles(tc.pattern)
		want := "pypi: " + tc.path + ": " + tc.kind + ", not a regular file"
		if err == nil || !strings.Contains(err.Error(), want) || got != nil {
			t.Errorf("FindFiles(%q) = %q, %v; want an error %q", tc.pattern, got, err, want)
		}
	}
}

// Publish refuses the named pipe with that error too, and sends nothing.
func TestPublishRefusesNamedPipe(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "x-1.0-py3-none-any.whl")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := pypi.Publish(context.Background(), pypi.Options{Files: []string{dir}, DryRun: true, HTTPClient: noNetwork(t)})
	if err == nil || !strings.Contains(err.Error(), fifo+": a named pipe (FIFO)") {
		t.Errorf("Publish = %v, want the named pipe refused", err)
	}
}
