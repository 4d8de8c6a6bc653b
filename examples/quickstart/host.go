package main

import (
	"os"
	"testing"
)

// host stands in for the testing.TB that pypitest's constructors take,
// outside a test: it keeps their cleanups and temporary directories and
// releases them in stop. The embedded testing.TB is nil, so a method
// pypitest might newly call panics loudly instead of misbehaving.
type host struct {
	testing.TB
	dir      string
	cleanups []func()
}

func newHost() (*host, error) {
	dir, err := os.MkdirTemp("", "pypi-quickstart")
	if err != nil {
		return nil, err
	}
	return &host{dir: dir}, nil
}

func (*host) Helper()            {}
func (*host) Name() string       { return "quickstart" }
func (h *host) Cleanup(f func()) { h.cleanups = append(h.cleanups, f) }

func (h *host) TempDir() string {
	d, err := os.MkdirTemp(h.dir, "")
	if err != nil {
		panic("quickstart: " + err.Error())
	}
	return d
}

// stop runs the cleanups, last first, and removes the temporary files.
func (h *host) stop() {
	for i := len(h.cleanups) - 1; i >= 0; i-- {
		h.cleanups[i]()
	}
	os.RemoveAll(h.dir)
}
