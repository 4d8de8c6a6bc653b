//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A distribution that is a FIFO is refused without opening it for
// reading, which would wait for a writer forever.
func TestVerifyRefusesFIFO(t *testing.T) {
	t.Parallel()
	root := fixturePath(t, publicGood)
	fifo := filepath.Join(t.TempDir(), tobSdist)
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan verifyRun, 1)
	go func() {
		done <- runVerifyCmd("--trusted-root", root, "--repository", "trailofbits/pypi-attestations", fifo)
	}()
	select {
	case r := <-done:
		if r.code != 1 || !strings.Contains(r.stdout+r.stderr, "not a regular file") {
			t.Errorf("exit %d, want 1 naming a file that is not regular\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
	case <-time.After(time.Minute): // a hang, not a measurement
		t.Fatal("verify is still waiting on the FIFO after a minute")
	}
}
