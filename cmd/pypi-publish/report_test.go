package main

import (
	"bytes"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/upload"
)

// FuzzWriteQuoted holds the chunked quoting of a dry run's form values to
// strconv.Quote of the whole value, with UTF-8 sequences, valid or not,
// straddling the chunk boundary.
func FuzzWriteQuoted(f *testing.F) {
	pad := strings.Repeat("a", quoteChunk-2)
	for _, tail := range []string{"é", "€x", "\U0001F600", "\xf0\x9f\x98", "\x80\x80\x80\x80\x80", "\xf0\x90\x80\x80\x80\x80", "\n\t\"\\"} {
		f.Add(pad + tail + pad)
		f.Add(pad[1:] + tail)
	}
	f.Add(strings.Repeat("\xe2\x82", quoteChunk))
	f.Fuzz(func(t *testing.T, s string) {
		var b bytes.Buffer
		writeQuoted(&b, nil, s)
		if got, want := `"`+b.String()+`"`, strconv.Quote(s); got != want {
			t.Errorf("writeQuoted(%d bytes) differs from strconv.Quote at byte %d", len(s), firstDiff(got, want))
		}
	})
}

func firstDiff(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// A dry run prints a description of many megabytes without a copy of it:
// what printing the form allocates is bounded by the scratch space. The
// test measures the process's allocations, so it does not run in parallel.
func TestPrintFormStreams(t *testing.T) {
	desc := strings.Repeat("A demo package.\n", 1<<20) // 16 MiB, quoted to 17 MiB
	r := &pypi.Result{Result: upload.Result{File: "demo-1.0-py3-none-any.whl"}, Form: []upload.Field{{Name: "description", Value: desc}}}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	printForm(io.Discard, r, "https://upload.pypi.org/legacy/")
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("printing a form with a 16 MiB description allocated %d bytes, want at most 1 MiB", n)
	}
	var b strings.Builder
	printForm(&b, r, "https://upload.pypi.org/legacy/")
	if want := "  description = " + strconv.Quote(desc) + "\n"; !strings.Contains(b.String(), want) {
		t.Errorf("the description is not printed as strconv.Quote quotes it")
	}
}
