package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// On a terminal each file has a bar, redrawn in place; in a log each
// attempt of each file is one line.
func TestProgress(t *testing.T) {
	t.Parallel()
	var term bytes.Buffer
	p := newProgress(&term, true)
	p.sending("a.whl", 1, 0, 2000)
	p.sending("b.tar.gz", 1, 1000, 1000)
	p.done("b.tar.gz", "uploaded")
	out := term.String()
	for _, want := range []string{
		"\x1b[2Ka.whl", "[                              ]   0% 0 bytes/2.0 kB\n",
		"\x1b[2A", // the second redraw moves up over both bars
		"[==============================] 100% uploaded\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal output lacks %q:\n%q", want, out)
		}
	}

	var log bytes.Buffer
	p = newProgress(&log, false)
	p.sending("a.whl", 1, 0, 2000)
	p.sending("a.whl", 1, 2000, 2000)
	p.sending("a.whl", 2, 10, 2000)
	p.done("a.whl", "uploaded")
	if want := "Uploading a.whl (2.0 kB)\nUploading a.whl again (attempt 2)\n"; log.String() != want {
		t.Errorf("log output %q, want %q", log.String(), want)
	}

	// A checked file's own size is printed, not its upload body's.
	log.Reset()
	p = newProgress(&log, false)
	p.checked("b.whl", 1500)
	p.sending("b.whl", 1, 0, 2100)
	if want := "Uploading b.whl (1.5 kB)\n"; log.String() != want {
		t.Errorf("log output %q, want %q", log.String(), want)
	}
}

func TestSize(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0 bytes", 999: "999 bytes", 1000: "1.0 kB", 1_234_567: "1.2 MB", 5e12: "5.0 TB"} {
		if got := size(n); got != want {
			t.Errorf("size(%d) = %q, want %q", n, got, want)
		}
	}
}

// /dev/null is a character device but no terminal: bars drawn into it
// would only cost time (a redraw of every bar per event).
func TestDevNullIsNoTerminal(t *testing.T) {
	t.Parallel()
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Errorf("isTerminal(%s) = true, want false", os.DevNull)
	}
}
