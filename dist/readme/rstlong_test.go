package readme

import (
	"runtime"
	"strings"
	"testing"
)

// rstLong is a reStructuredText description of 60 MiB: one paragraph of
// about 4 M short lines.
func rstLong() string { return strings.Repeat("A demo package.\n", 60<<16) }

// TestRSTLongMemory checks that checking rstLong allocates no copy of
// the description: only its table of lines (16 bytes a line, here about
// the description's size) and a little more.
func TestRSTLongMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 60 MiB description")
	}
	src := rstLong()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := Check(src, "text/x-rst")
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(len(src))+8<<20; got > limit {
		t.Errorf("checking %d MiB allocated %d MiB, want at most %d", len(src)>>20, got>>20, limit>>20)
	}
}

// BenchmarkRSTLong checks rstLong, reporting the bytes allocated.
func BenchmarkRSTLong(b *testing.B) {
	src := rstLong()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if err := Check(src, "text/x-rst"); err != nil {
			b.Fatal(err)
		}
	}
}
