package upload

import (
	"io"
	"strings"
	"testing"
)

// A Read of the body fills the caller's buffer from as many parts as it
// takes, so that a small file's upload is one write to the socket, not
// one per form field.
func TestBodyReadFillsBuffer(t *testing.T) {
	t.Parallel()
	fields := []Field{{"name", "demo"}, {"version", "1.0"}, {"filetype", "bdist_wheel"}, {"pyversion", "py3"}}
	after := []Field{{"sha256_digest", strings.Repeat("0", 64)}}
	m, err := newMultipart(fields, after, "demo-1.0-py3-none-any.whl", "boundary-42")
	if err != nil {
		t.Fatal(err)
	}
	const file = "PK\x05\x06 the file's bytes"
	body := m.Reader(io.NopCloser(strings.NewReader(file)), int64(len(file)), nil, nil)
	buf := make([]byte, 32<<10)
	n, err := body.Read(buf)
	if want := m.Len(int64(len(file))); int64(n) != want || (err != nil && err != io.EOF) {
		t.Fatalf("one Read returned %d bytes (err %v), want the whole body, %d bytes", n, err, want)
	}
	got := string(buf[:n])
	for _, s := range []string{"demo", "bdist_wheel", file, strings.Repeat("0", 64), "--boundary-42--\r\n"} {
		if !strings.Contains(got, s) {
			t.Errorf("the body lacks %q:\n%s", s, got)
		}
	}
}
