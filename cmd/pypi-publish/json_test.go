package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/internal/gha"
	"github.com/trustpub/pypi/upload"
)

// jsonWhole is the --json document encoded whole, as encoding/json and
// gha.JSON make it: what writeJSON must write byte for byte.
func jsonWhole(t *testing.T, results []pypi.Result, repository string, dryRun bool, err error) string {
	doc, values := newJSONDocument(results, repository, dryRun, err)
	for i := range doc.Files {
		for j := range doc.Files[i].Fields {
			doc.Files[i].Fields[j].Value, values = values[0], values[1:]
		}
	}
	b, merr := json.MarshalIndent(doc, "", "  ")
	if merr != nil {
		t.Fatal(merr)
	}
	return string(gha.JSON(b)) + "\n"
}

// jsonResults builds two results whose texts are s, in every place the
// document has text.
func jsonResults(s string) []pypi.Result {
	r := pypi.Result{Result: upload.Result{File: s, Outcome: upload.OutcomeUploaded, Attempts: 1}, Path: s, Kind: dist.Wheel,
		Size: 7, Name: s, Version: s, URL: s, Verdict: pypi.VerdictWarnings,
		Problems: []*dist.Problem{{Field: s, Rule: s, Message: s, Severity: dist.SeverityWarning}},
		Form:     []upload.Field{{Name: s, Value: s}, {Name: "description", Value: `"value": "" ` + s}, {Name: "x", Value: ""}}}
	failed := r
	failed.Err, failed.Form, failed.Kind = errors.New(s), nil, 0
	return []pypi.Result{r, failed}
}

// FuzzWriteJSON checks that the streamed --json document is the one
// encoded whole, for any text in any of its places.
func FuzzWriteJSON(f *testing.F) {
	for _, s := range []string{"", "demo", "a\x00b\x7f\u0085\u202e<&>##[x]\xff\u2028\"\\\n::stop-commands::x", `"value": ""`} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, fail bool) {
		var err error
		if fail {
			err = errors.New(s)
		}
		for _, results := range [][]pypi.Result{nil, jsonResults(s)} {
			var got bytes.Buffer
			if werr := writeJSON(&got, results, s, fail, err); werr != nil {
				t.Fatal(werr)
			}
			if want := jsonWhole(t, results, s, fail, err); got.String() != want {
				t.Fatalf("streamed:\n%s\nwhole:\n%s", got.String(), want)
			}
		}
	})
}

// longDescription is a 32 MiB form value with something to escape in
// every line.
var longDescription = strings.Repeat("A <demo> package.\n", 32<<20/18)

// TestWriteJSONMemory checks that writing the document of a 32 MiB
// description allocates far less than the description's size.
func TestWriteJSONMemory(t *testing.T) {
	results := []pypi.Result{{Form: []upload.Field{{Name: "description", Value: longDescription}}}}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := writeJSON(io.Discard, results, "https://upload.pypi.org/legacy/", true, nil); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("writing a %d MiB description allocated %d KiB, want at most 1 MiB", len(longDescription)>>20, got>>10)
	}
}

// BenchmarkWriteJSON writes the document of a 32 MiB description.
func BenchmarkWriteJSON(b *testing.B) {
	results := []pypi.Result{{Form: []upload.Field{{Name: "description", Value: longDescription}}}}
	b.SetBytes(int64(len(longDescription)))
	b.ReportAllocs()
	for b.Loop() {
		if err := writeJSON(io.Discard, results, "https://upload.pypi.org/legacy/", true, nil); err != nil {
			b.Fatal(err)
		}
	}
}
