package main

import (
	"fmt"
	"os"
	"sync"
	"testing"
)

// host stands in for the testing.TB that pypitest's constructors take: it
// collects their cleanups, runs them when the server stops, and keeps the
// temporary files they ask for in one directory. pypitest has no
// constructor for use outside tests, and a testing.TB cannot be
// implemented outside package testing except by embedding one. Only the
// methods pypitest calls are implemented; the embedded interface is nil,
// so any other method pypitest comes to call panics loudly instead of
// doing something wrong (TestServer would catch it).
type host struct {
	testing.TB

	dir string

	mu       sync.Mutex
	cleanups []func()
}

func newHost() (*host, error) {
	dir, err := os.MkdirTemp("", "pypitest-server")
	if err != nil {
		return nil, err
	}
	return &host{dir: dir}, nil
}

func (*host) Helper() {}

func (h *host) Cleanup(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cleanups = append(h.cleanups, f)
}

func (h *host) TempDir() string {
	d, err := os.MkdirTemp(h.dir, "")
	if err != nil {
		panic(fmt.Sprintf("pypitest-server: %v", err))
	}
	return d
}

// stop runs the cleanups, newest first, and removes the temporary files.
func (h *host) stop() {
	h.mu.Lock()
	cs := h.cleanups
	h.cleanups = nil
	h.mu.Unlock()
	for i := len(cs) - 1; i >= 0; i-- {
		cs[i]()
	}
	os.RemoveAll(h.dir)
}
