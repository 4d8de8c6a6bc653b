package dist

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzOpenReaderAt feeds archives (seeded with every file of testdata/bad
// and testdata/good, smaller versions of the hostile ones, and wheels
// with ZIP64 end records and extras) to OpenReaderAt and Check: they must
// never panic, and whatever opens must report the digests of the bytes
// given.
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
	for _, seed := range hostileSeeds(f) {
		f.Add(wheelFixture, seed)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		d, err := OpenReaderAt(name, bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		if got, err := d.Digests(true); err != nil || got != oneShotDigests(data) {
			t.Fatalf("digests %+v, %v; want %+v", got, err, oneShotDigests(data))
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

// hostileSeeds are wheels of the shapes of testdata/bad's bombs, with
// hundreds of lines where those have millions, and ZIP64 framing: the
// good wheel with its end records rewritten as ZIP64 ones, and the
// archive whose ZIP64 extras declare 2^63 bytes twice.
func hostileSeeds(tb testing.TB) [][]byte {
	wheel := func(files ...string) []byte {
		return zipBytes(tb, func(zw *zip.Writer) error {
			for i := 0; i+1 < len(files); i += 2 {
				w, err := zw.Create("demo-1.0.dist-info/" + files[i])
				if err != nil {
					return err
				}
				w.Write([]byte(files[i+1]))
			}
			return nil
		})
	}
	const meta = "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\n"
	const wheelFile = "Wheel-Version: 1.0\nTag: py3-none-any\n"
	good, err := os.ReadFile(filepath.Join("testdata", "good", "wheel", wheelFixture))
	if err != nil {
		tb.Fatal(err)
	}
	return [][]byte{
		wheel("METADATA", meta, "WHEEL", wheelFile, "RECORD", strings.Repeat("x,,\n", 300)),
		wheel("METADATA", meta+strings.Repeat("ab:c\n", 300)+"\nA demo.\n", "WHEEL", wheelFile, "RECORD", ""),
		wheel("METADATA", meta, "WHEEL", wheelFile+strings.Repeat("Tag: py3-none-any\n", 300), "RECORD", ""),
		wheel("METADATA", meta, "WHEEL", wheelFile, "RECORD", "", "entry_points.txt", "[console_scripts]\ndemo = demo:main\n"+strings.Repeat(" x\n", 300)),
		zip64End(tb, good),
	}
}

// zip64End rewrites the end of central directory record of a ZIP archive
// without a comment as a ZIP64 end record, its locator and an end record
// whose fields all say "see ZIP64".
func zip64End(tb testing.TB, data []byte) []byte {
	tb.Helper()
	at := len(data) - 22
	le := binary.LittleEndian
	if le.Uint32(data[at:]) != sigEOCD {
		tb.Fatal("no end record at the end of the archive")
	}
	records, cdSize, cdOffset := uint64(le.Uint16(data[at+10:])), uint64(le.Uint32(data[at+12:])), uint64(le.Uint32(data[at+16:]))
	out := append([]byte{}, data[:at]...)
	out = le.AppendUint32(out, sigEOCD64)
	out = le.AppendUint64(out, 44)
	out = le.AppendUint16(out, 45)
	out = le.AppendUint16(out, 45)
	out = le.AppendUint32(out, 0)
	out = le.AppendUint32(out, 0)
	out = le.AppendUint64(out, records)
	out = le.AppendUint64(out, records)
	out = le.AppendUint64(out, cdSize)
	out = le.AppendUint64(out, cdOffset)
	out = le.AppendUint32(out, sigLocator)
	out = le.AppendUint32(out, 0)
	out = le.AppendUint64(out, uint64(at))
	out = le.AppendUint32(out, 1)
	out = le.AppendUint32(out, sigEOCD)
	out = le.AppendUint32(out, 0)
	out = le.AppendUint32(out, 0xffffffff)
	out = le.AppendUint32(out, 0xffffffff)
	out = le.AppendUint32(out, 0xffffffff)
	return le.AppendUint16(out, 0)
}

// TestHostileSeeds checks that the seeds are what they claim: each opens,
// the ZIP64 one through its ZIP64 end record, and the small versions of
// the bombs are not refused for their size.
func TestHostileSeeds(t *testing.T) {
	t.Parallel()
	for i, seed := range hostileSeeds(t) {
		d, err := OpenReaderAt(wheelFixture, bytes.NewReader(seed), int64(len(seed)))
		if err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
		for _, p := range d.Check(PyPI) {
			if strings.Contains(p.Message, "limit") {
				t.Errorf("seed %d: %v", i, p)
			}
		}
	}
}
