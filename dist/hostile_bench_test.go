package dist

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// hostileBudget is what checking one file may allocate in all, per the
// rule that it costs at most 64 MiB above the baseline plus one member
// (at most maxMemberRead). Bytes allocated bound the peak heap from above.
const hostileBudget = 64<<20 + maxMemberRead

// hostileInputs returns the hostile samples: testdata/bad's bombs and
// ZIP64 overflow, an sdist of long names built here (the 13 MB one of
// go run ./dist/internal/gen -large is too large to commit) and a valid
// sdist whose PKG-INFO is 40 MiB.
func hostileInputs(tb testing.TB) map[string][]byte {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "bad", "*", "*"))
	if err != nil {
		tb.Fatal(err)
	}
	in := map[string][]byte{}
	for _, p := range paths {
		id := filepath.Base(filepath.Dir(p))
		if !strings.HasSuffix(id, "-bomb") && id != "zip64-size-overflow" {
			continue
		}
		if in[id+"/"+filepath.Base(p)], err = os.ReadFile(p); err != nil {
			tb.Fatal(err)
		}
	}
	var names []string
	for i := range 16 {
		names = append(names, "demo-1.0/"+strings.Repeat("a", 1000000)+string(rune('a'+i)))
	}
	in["sdist-long-names/demo-1.0.tar.gz"] = tarGzBytes(tb, names)
	in["sdist-pkg-info-40mib/demo-1.0.tar.gz"] = tarGzBytes(tb, []string{"demo-1.0/PKG-INFO"},
		"Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nDescription-Content-Type: text/plain\n\n"+strings.Repeat("A demo package.\n", 40<<16))
	return in
}

// checkAll opens data and checks it under PyPI, as pypi-publish does.
func checkAll(name string, data []byte) {
	d, err := OpenReaderAt(filepath.Base(name), bytes.NewReader(data), int64(len(data)))
	if err == nil {
		d.Validate(PyPI)
	}
}

// BenchmarkHostileInputs opens and checks each hostile sample, reporting
// the bytes allocated per check (alloc-MiB/op, an upper bound of the peak
// heap) and failing past hostileBudget; MB/s is over the file's size.
func BenchmarkHostileInputs(b *testing.B) {
	for name, data := range hostileInputs(b) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				checkAll(name, data)
			}
			runtime.ReadMemStats(&after)
			perOp := float64(after.TotalAlloc-before.TotalAlloc) / float64(b.N)
			b.ReportMetric(perOp/(1<<20), "alloc-MiB/op")
			if perOp > hostileBudget {
				b.Errorf("checking %s allocated %.0f MiB, over the budget of %d MiB", name, perOp/(1<<20), hostileBudget>>20)
			}
		})
	}
}
