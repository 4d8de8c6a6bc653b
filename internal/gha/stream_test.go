package gha

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

// FuzzWriteJSONString checks that WriteJSONString writes what JSON makes
// of encoding/json's encoding of the string, and that the Writer fed one
// byte at a time writes what Text makes of the whole.
func FuzzWriteJSONString(f *testing.F) {
	for _, s := range hostileSeeds(f) {
		f.Add(s)
	}
	f.Add("a\xe2\x82\x82b\xff\xfe##[x<&>\u2028\u2029\x7f\u0085\u202e\ufffd\b\f\"\\")
	f.Fuzz(func(t *testing.T, s string) {
		enc, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := WriteJSONString(&got, s); err != nil {
			t.Fatal(err)
		}
		if want := string(JSON(enc)); got.String() != want {
			t.Errorf("WriteJSONString(%q) = %s, want %s", s, got.String(), want)
		}
		var out bytes.Buffer
		w := New(&out, env(nil), false).Writer()
		for i := range len(s) {
			w.Write([]byte{s[i]})
		}
		w.Write([]byte("\n"))
		if want := Text(s + "\n"); out.String() != want {
			t.Errorf("Writer byte by byte: %q, want %q", out.String(), want)
		}
	})
}

// largeText is 4 MiB of lines with something to escape in each.
var largeText = strings.Repeat("a <demo> ##[package]\u202e\n", 4<<20/27)

// TestStreamsAllocate checks that the Writer and WriteJSONString work in
// a small scratch space, whatever the size of the text.
func TestStreamsAllocate(t *testing.T) {
	w := New(io.Discard, env(nil), false).Writer()
	p := []byte(largeText)
	if n := testing.AllocsPerRun(5, func() { w.Write(p) }); n > 1 {
		t.Errorf("Writer: %.0f allocations per 4 MiB Write, want at most 1", n)
	}
	if n := testing.AllocsPerRun(5, func() { WriteJSONString(io.Discard, largeText) }); n > 2 {
		t.Errorf("WriteJSONString: %.0f allocations per 4 MiB string, want at most 2", n)
	}
}

// BenchmarkStreams writes 4 MiB of text through the Writer and as a JSON
// string, reporting the bytes allocated.
func BenchmarkStreams(b *testing.B) {
	b.Run("Writer", func(b *testing.B) {
		w := New(io.Discard, env(nil), false).Writer()
		p := []byte(largeText)
		b.SetBytes(int64(len(p)))
		b.ReportAllocs()
		for b.Loop() {
			w.Write(p)
		}
	})
	b.Run("WriteJSONString", func(b *testing.B) {
		b.SetBytes(int64(len(largeText)))
		b.ReportAllocs()
		for b.Loop() {
			WriteJSONString(io.Discard, largeText)
		}
	})
}
