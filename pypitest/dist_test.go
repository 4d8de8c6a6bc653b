package pypitest

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trustpub/pypi/dist"
)

// The builder's files pass PyPI's rules without a warning, whatever the
// metadata, members and tag.
func TestDistPassesPyPIChecks(t *testing.T) {
	t.Parallel()
	for _, d := range []Dist{
		{Name: "demo", Version: "1.0"},
		{Name: "demo", Version: "1.0", Sdist: true},
		{Name: "my_pkg", Version: "2.0rc1", Tag: "cp312-cp312-manylinux_2_17_x86_64",
			Metadata:    []string{"Summary: Another", "Requires-Python: >=3.9", "Description-Content-Type: text/markdown"},
			Description: "# my_pkg\n", Members: []Member{{Name: "my_pkg/data.bin", Size: 1000, Open: func() io.Reader { return zeros{} }}}},
	} {
		filename, content := d.Build()
		path := filepath.Join(t.TempDir(), filename)
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := dist.Open(path)
		if err != nil {
			t.Fatalf("%s: %v", filename, err)
		}
		if got.Metadata.Name != d.Name || got.Metadata.Version != d.Version {
			t.Errorf("%s: metadata names %s %s", filename, got.Metadata.Name, got.Metadata.Version)
		}
		for _, p := range got.Check(dist.PyPI) {
			t.Errorf("%s: %v (rule %s)", filename, p, p.Rule)
		}
	}
}

// Members replace defaults of the same path and follow the rest; Omit
// leaves defaults out; RECORD comes last unless omitted.
func TestDistMembers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		d    Dist
		want []string
	}{
		{Dist{Name: "a", Version: "1"}, []string{"a/__init__.py", "a-1.dist-info/METADATA", "a-1.dist-info/WHEEL", "a-1.dist-info/RECORD"}},
		{Dist{Name: "a", Version: "1", Omit: []string{"WHEEL", "RECORD"}, Members: []Member{{Name: "a-1.dist-info/METADATA", Content: "x"}, {Name: "b.py"}}},
			[]string{"a/__init__.py", "a-1.dist-info/METADATA", "b.py"}},
	} {
		_, content := tc.d.Build()
		zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range zr.File {
			got = append(got, f.Name)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%+v: members (-want +got):\n%s", tc.d, diff)
		}
	}
}

// WriteTo streams a large member: writing a 64 MiB wheel allocates far
// less than the file. Not parallel: it measures the allocations of the
// whole test binary.
func TestDistWriteToStreams(t *testing.T) {
	const size = 64 << 20
	d := Dist{Name: "big", Version: "1.0", Members: []Member{{Name: "big/data.bin", Size: size, Open: func() io.Reader { return zeros{} }}}}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n, err := d.WriteTo(io.Discard)
	runtime.ReadMemStats(&after)
	if err != nil || n <= size {
		t.Fatalf("WriteTo = %d, %v; want over %d bytes", n, err, size)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("writing a %d MiB wheel allocated %d KiB, want under 4 MiB", size>>20, alloc>>10)
	}
}
