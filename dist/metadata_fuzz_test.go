package dist

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// FuzzParseMetadata checks that any input parses without error into
// well-formed headers and UTF-8 fields, and that writing the headers back
// out reads back the same headers.
func FuzzParseMetadata(f *testing.F) {
	files, err := filepath.Glob("testdata/metadata/*")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, tc := range metadataCases {
		f.Add([]byte(tc.in))
	}
	// The shape of testdata/bad/wheel-metadata-headers-bomb, smaller.
	f.Add([]byte("Metadata-Version: 2.4\nName: demo\nVersion: 1.0\n" + strings.Repeat("ab:c\n", 1000) + "\nA demo.\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMetadata(b)
		if err != nil && (err != errTooManyFields || len(m.Headers) != maxHeaderFields) {
			t.Fatalf("ParseMetadata: %v with %d headers", err, len(m.Headers))
		}
		var out strings.Builder
		for _, h := range m.Headers {
			if !validHeaderName(h.Name) {
				t.Errorf("header name %q", h.Name)
			}
			if strings.HasSuffix(h.Value, "\n") || strings.HasSuffix(h.Value, "\r") {
				t.Errorf("header %s value %q ends in a line break", h.Name, h.Value)
			}
			if !m.Present(h.Name) {
				t.Errorf("Present(%q) = false for a header", h.Name)
			}
			out.WriteString(h.Name + ": " + h.Value + "\n")
		}
		for k, vs := range m.Unparsed {
			if k != strings.ToLower(k) {
				t.Errorf("Unparsed key %q is not lowercase", k)
			}
			for _, v := range vs {
				if !utf8.ValidString(v) {
					t.Errorf("Unparsed[%q] value %q is not UTF-8", k, v)
				}
			}
		}
		for _, v := range append([]string{m.MetadataVersion, m.Name, m.Summary, m.Description, m.Keywords}, m.Classifiers...) {
			if !utf8.ValidString(v) {
				t.Errorf("field value %q is not UTF-8", v)
			}
		}
		if m.DescriptionInBody && m.Description == "" {
			t.Error("DescriptionInBody with an empty Description")
		}
		// Open's parse, whose strings share the bytes, reads the same.
		shared, _ := parseMetadataBytes("fuzz", bytes.Clone(b))
		if shared != nil {
			if d := cmp.Diff(m, shared); d != "" {
				t.Errorf("the parse sharing the bytes differs (-copied +shared):\n%s", d)
			}
		}
		again, _ := ParseMetadata([]byte(out.String() + "\n"))
		if d := cmp.Diff(m.Headers, again.Headers); d != "" {
			t.Errorf("headers written back read differently (-first +again):\n%s", d)
		}
	})
}

// validHeaderName reports whether name is printable ASCII without ":",
// and not empty.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x21 || c > 0x7e || c == ':' {
			return false
		}
	}
	return true
}
