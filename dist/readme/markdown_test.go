package readme

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// FuzzMarkdownChunks checks that judging a Markdown description in small
// pieces gives the verdict of rendering it whole, seeded from testdata.
func FuzzMarkdownChunks(f *testing.F) {
	for _, dir := range []string{"testdata/spec/", "testdata/cases/"} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			b, err := os.ReadFile(dir + e.Name())
			if err != nil {
				f.Fatal(err)
			}
			f.Add(string(b), uint8(1))
		}
	}
	for _, s := range []string{
		"[a]: /u\n\n[b]: /v\n\ntext\n",
		"[^1]:\n\n    foo\n",
		"[^1]: x\n\nsee [^1]\n",
		"[a]: /u\n\n\n\n[b]:\n/v\n\n",
		"[a]: /u \"\ntitle\n\"\n\n[b]: /v\n",
		"- a\n\n  b\n\nc\n",
		"```\n\n[a]: /u\n\n```\n",
		"[a]: /u\n[b]: /v\n[c]:\n/w\n",
		"[a]: /u\n[b]\n",
		"[a]: /u\n[^b]: x\n[c]: /w\n",
		"[a]: /u 'x'\n[b]: </v> (y)\n[c]: /w\n\"t\"\n",
		"> [a]: /u\n[b]: /v\n",
	} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, src string, size uint8) {
		whole := renderMarkdown(src) == nil
		chunked := checkMarkdownChunks(src, int(size)) == nil
		if whole != chunked {
			t.Fatalf("pieces of %d bytes: renders %v, whole: renders %v", size, chunked, whole)
		}
	})
}

// markdownSamples are long Markdown descriptions of about 60 MiB: one
// paragraph of short lines, paragraphs between blank lines, and link
// reference definitions that render nothing, followed by text.
func markdownSamples() map[string]string {
	const lines = 60 << 16
	return map[string]string{
		"one-paragraph": strings.Repeat("A demo package.\n", lines),
		"paragraphs":    strings.Repeat("A demo package.\n\n", lines/2),
		"definitions":   strings.Repeat("[a]: /demo/ab\n\n", lines/2) + "A demo package.\n",
		// goldmark's time grows with the square of a run of definitions
		// without blank lines between them.
		"definition-run": strings.Repeat("[a]: /demo/ab\n", lines) + "A demo package.\n",
	}
}

// TestMarkdownMemory checks that checking a long sample that renders
// allocates at most a few pieces' worth, not a syntax tree of the whole.
// (The definitions sample renders every piece in turn: its garbage grows
// with its size, its live heap does not; BenchmarkMarkdownLong shows it.)
func TestMarkdownMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 60 MiB descriptions")
	}
	samples := markdownSamples()
	for _, name := range []string{"one-paragraph", "paragraphs"} {
		src := samples[name]
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := Check(src, "text/markdown")
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
			t.Errorf("%s: checking %d MiB allocated %d MiB, want at most 64", name, len(src)>>20, got>>20)
		}
	}
}

// BenchmarkMarkdownLong checks each long sample, reporting the bytes
// allocated per check.
func BenchmarkMarkdownLong(b *testing.B) {
	for name, src := range markdownSamples() {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if err := Check(src, "text/markdown"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
