package dist

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzOpenReaderAt feeds archives (seeded with every file of testdata/bad
// and testdata/good) to OpenReaderAt and Check: they must never panic,
// and whatever opens must report the digests of the bytes given.
func FuzzOpenReaderAt(f *testing.F) {
	for _, kind := range []string{"bad", "good"} {
		paths, err := filepath.Glob(filepath.Join("testdata", kind, "*", "*"))
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			if strings.Contains(p, "bomb") {
				continue // inflating 64 MiB per run would stall the fuzzer
			}
			f.Add(filepath.Base(p), data)
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		d, err := OpenReaderAt(name, bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		if d.Digests != oneShotDigests(data) {
			t.Fatalf("digests %+v, want %+v", d.Digests, oneShotDigests(data))
		}
		for _, p := range []Profile{PyPI, Lenient} {
			for _, pr := range d.Check(p) {
				if pr.Message == "" || pr.Rule == "" {
					t.Fatalf("problem without message or rule: %+v", pr)
				}
			}
		}
	})
}
