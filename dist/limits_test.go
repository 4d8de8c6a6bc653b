package dist

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestExceedsRatio checks Warehouse's zip-bomb rule at its edges: more
// than 64 MiB inflated and inflated/size > 50 exactly (Python divides
// exactly), with sizes that overflow 64 bits in a sum or a product.
func TestExceedsRatio(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		inflated uint64
		size     int64
		want     bool
	}{
		{ratioMinSize, 1, false},
		{ratioMinSize + 1, 1, true},
		{50 * (2 << 20), 2 << 20, false},
		{50*(2<<20) + 1, 2 << 20, true},
		{satAdd(1<<63, 1<<63), 1000, true},
		{math.MaxUint64, math.MaxInt64, false},
		{ratioMinSize + 1, 0, true},
	} {
		if got := exceedsRatio(tc.inflated, tc.size); got != tc.want {
			t.Errorf("exceedsRatio(%d, %d) = %v, want %v", tc.inflated, tc.size, got, tc.want)
		}
	}
	if got := satAdd(1<<63, 1<<63); got != math.MaxUint64 {
		t.Errorf("satAdd(2^63, 2^63) = %d, want the largest uint64", got)
	}
}

// zipBytes builds a ZIP archive in memory with fn writing its members;
// tarGzBytes an sdist of members with the given names and bodies (empty
// for names past the bodies).
func zipBytes(t testing.TB, fn func(*zip.Writer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	if err := fn(zw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tarGzBytes(t testing.TB, names []string, bodies ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	tw := tar.NewWriter(zw)
	for i, n := range names {
		body := ""
		if i < len(bodies) {
			body = bodies[i]
		}
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return b.Bytes()
}

// openProblems returns the messages of OpenReaderAt's *ValidationError.
func openProblems(t *testing.T, name string, data []byte) string {
	t.Helper()
	_, err := OpenReaderAt(name, bytes.NewReader(data), int64(len(data)))
	if err == nil {
		t.Fatalf("OpenReaderAt(%s) succeeded", name)
	}
	return err.Error()
}

// TestArchiveMemberCaps checks the caps on the members of an archive:
// their number, the length of one name and of all names, each refused
// with a message naming the file and the limit.
func TestArchiveMemberCaps(t *testing.T) {
	t.Parallel()
	manyZip := zipBytes(t, func(zw *zip.Writer) error {
		for i := range maxMembers + 1 {
			if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("demo/%d", i), Method: zip.Store}); err != nil {
				return err
			}
		}
		return nil
	})
	longZip := zipBytes(t, func(zw *zip.Writer) error {
		_, err := zw.Create("demo/" + strings.Repeat("n", maxMemberName))
		return err
	})
	var names []string
	for i, total := 0, 0; total <= maxNameBytes; i++ {
		names = append(names, fmt.Sprintf("demo-1.0/%d/%s", i, strings.Repeat("n", maxMemberName-20)))
		total += len(names[i])
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{wheelFixture, manyZip, fmt.Sprintf("demo-1.0-py3-none-any.whl: archive: the archive has more than %d members, the limit for checking it", maxMembers)},
		{wheelFixture, longZip, "demo-1.0-py3-none-any.whl: archive: member name 'demo/nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn'... is 4101 bytes long; the limit is 4096 (PATH_MAX), as no installer could extract it"},
		{"demo-1.0.tar.gz", tarGzBytes(t, []string{"demo-1.0/" + strings.Repeat("n", maxMemberName)}), "demo-1.0.tar.gz: archive: member name 'demo-1.0/nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn'... is 4105 bytes long; the limit is 4096 (PATH_MAX), as no installer could extract it"},
		{"demo-1.0.tar.gz", tarGzBytes(t, names), "demo-1.0.tar.gz: archive: the archive's member names total more than 16 MiB, the limit for checking it"},
	} {
		if got := openProblems(t, tc.name, tc.data); !strings.Contains(got, tc.want) {
			t.Errorf("OpenReaderAt(%s of %d bytes) = %v\nwant %q", tc.name, len(tc.data), got, tc.want)
		}
	}
	if msg := tarNameLimit("demo-1.0/x", maxMembers, new(int)); msg != tooManyMembers() {
		t.Errorf("tarNameLimit past maxMembers = %q, want %q", msg, tooManyMembers())
	}
}

// TestMetadataFieldCap checks the cap on header fields: 100,000 parse,
// one more is an error that keeps the first 100,000 (and no body).
func TestMetadataFieldCap(t *testing.T) {
	t.Parallel()
	head := "Metadata-Version: 2.4\nName: demo\n"
	for _, tc := range []struct {
		extra int
		err   error
	}{{maxHeaderFields - 2, nil}, {maxHeaderFields - 1, errTooManyFields}} {
		b := []byte(head + strings.Repeat("ab: c\n continued\n", tc.extra) + "\nbody\n")
		m, err := ParseMetadata(b)
		if err != tc.err || len(m.Headers) != min(2+tc.extra, maxHeaderFields) || m.Name != "demo" {
			t.Errorf("ParseMetadata(%d fields) = %d headers, name %q, %v; want %v", 2+tc.extra, len(m.Headers), m.Name, err, tc.err)
		}
		if wantBody := tc.err == nil; (m.Description == "body\n") != wantBody {
			t.Errorf("ParseMetadata(%d fields): Description %q", 2+tc.extra, m.Description)
		}
	}
}

// wheelOf builds a wheel of demo 1.0 with the given WHEEL and RECORD.
func wheelOf(t *testing.T, wheel, record string) *Distribution {
	t.Helper()
	data := zipBytes(t, func(zw *zip.Writer) error {
		for _, m := range []struct{ name, body string }{
			{"demo-1.0.dist-info/METADATA", "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\n"},
			{"demo-1.0.dist-info/WHEEL", wheel},
			{"demo-1.0.dist-info/RECORD", record},
		} {
			w, err := zw.Create(m.name)
			if err != nil {
				return err
			}
			w.Write([]byte(m.body))
		}
		return nil
	})
	d, err := OpenReaderAt(wheelFixture, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestRecordRows checks the cap on RECORD rows, Python's csv field limit
// (in characters) and that weak hashes are told once per algorithm,
// however many rows have them.
func TestRecordRows(t *testing.T) {
	t.Parallel()
	files := "demo-1.0.dist-info/METADATA,sha256=x,1\ndemo-1.0.dist-info/WHEEL,sha256=x,1\ndemo-1.0.dist-info/RECORD,,\n"
	weak := strings.Repeat("demo/a.py,md5=x,1\ndemo/b.py,md5=x,1\n", 1000) + "demo/c.py,sha1=x,1\n"
	for _, tc := range []struct {
		record string
		want   []string
	}{
		{files + strings.Repeat("x,,\n", maxRecordRows), []string{
			"demo-1.0.dist-info/RECORD has more than 131072 rows, the limit for checking it",
		}},
		{files + "demo/" + strings.Repeat("é", csvFieldLimit) + ",,\n", []string{
			"Wheel 'demo-1.0-py3-none-any.whl' does not contain the required RECORD file: demo-1.0.dist-info/RECORD\ncause: demo-1.0.dist-info/RECORD has a field longer than 131072 characters, the limit of Python's csv module",
		}},
		{files + "demo/" + strings.Repeat("é", csvFieldLimit-5) + ",,\n", []string{
			"demo-1.0.dist-info/RECORD does not match the archive: 0 file(s) not listed [], 1 listed but absent [demo/" + strings.Repeat("é", csvFieldLimit-5) + "]",
		}},
		{files + weak, []string{
			"demo-1.0.dist-info/RECORD: demo/a.py and 1999 other file(s) have a md5 hash; use sha256 or better",
			"demo-1.0.dist-info/RECORD: demo/c.py has a sha1 hash; use sha256 or better",
			"demo-1.0.dist-info/RECORD does not match the archive: 0 file(s) not listed [], 3 listed but absent [demo/a.py demo/b.py demo/c.py]",
		}},
	} {
		var got []string
		for _, p := range wheelOf(t, "Wheel-Version: 1.0\n", tc.record).Check(PyPI) {
			if p.Field == "RECORD" {
				got = append(got, p.Message)
			}
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("RECORD problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}

// TestWheelCaps checks the caps on WHEEL: its size, and under that size
// the header fields of any metadata file.
func TestWheelCaps(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ wheel, want string }{
		{"Wheel-Version: 1.0\n" + strings.Repeat("Tag: py3-none-any\n", maxWheelFile/18), "demo-1.0.dist-info/WHEEL is larger than 1024 KiB, the limit for checking it"},
		{"Wheel-Version: 1.0\n" + strings.Repeat("a:\n", maxHeaderFields), "demo-1.0.dist-info/WHEEL: more than 100000 header fields, the limit for checking a metadata file"},
	} {
		var got []string
		for _, p := range wheelOf(t, tc.wheel, "").Check(PyPI) {
			if p.Field == "WHEEL" {
				got = append(got, p.Message)
			}
		}
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("WHEEL of %d bytes: problems %q, want %q", len(tc.wheel), got, tc.want)
		}
	}
}
