package readme

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/trustpub/pypi/internal/testenv"
)

// A hostile shape: a recipe that builds a description of about n levels,
// items or bytes, with its own name.
type shape struct {
	name  string
	build func(n int) string
}

// nest builds n levels, each line indented by step columns more than the
// one before; item is the line's text.
func nest(n, step int, item string) string {
	var b strings.Builder
	b.Grow(n * (n*step + 2*len(item)) / 2)
	for i := range n {
		b.WriteString(strings.Repeat(" ", i*step))
		b.WriteString(item)
		b.WriteString("\n\n")
	}
	return b.String()
}

// deepThenBody nests depth levels of a shape, then puts a body of about
// size bytes of indented paragraphs at the innermost level.
func deepThenBody(depth, step int, item string, size int) string {
	var b strings.Builder
	b.WriteString(nest(depth, step, item))
	pad := strings.Repeat(" ", depth*step)
	for b.Len() < size {
		b.WriteString(pad + "Some *text* at the innermost level.\n\n")
	}
	return b.String()
}

// hostileShapes are the shapes of description that cost docutils or a
// naive port super-linear time, memory or stack.
var hostileShapes = []shape{
	{"bullets-one-line", func(n int) string { return strings.Repeat("- ", n) + "x\n" }},
	{"bullets", func(n int) string { return nest(n, 2, "- x") }},
	{"enumerated", func(n int) string { return nest(n, 3, "1. x") }},
	{"block-quotes", func(n int) string { return nest(n, 1, "x") }},
	{"definitions", definitions},
	{"fields", func(n int) string { return nest(n, 2, ":f: x") }},
	{"admonitions", func(n int) string { return nest(n, 3, ".. note::") + strings.Repeat(" ", 3*n) + "x\n" }},
	{"bullets-deep-body", func(n int) string { return deepThenBody(100, 2, "- x", n*40) }},
	{"blank-lines-deep", func(n int) string { return nest(100, 1, "x") + strings.Repeat("\n", n) }},
	{"inline-dotted-names", func(n int) string { return lines(n, strings.Repeat("a.", 4000)) }},
	{"inline-roles", func(n int) string { return lines(n, strings.Repeat(":a", 4000)) }},
	{"inline-open-brackets", func(n int) string { return lines(n, strings.Repeat("[[[[[[[[[[ ", 800)) }},
	{"inline-parens", func(n int) string { return lines(n, strings.Repeat("(a", 4000)) }},
	{"simple-table-wide", func(n int) string { return wideSimpleTable(n, strings.Repeat("a ", 1999)+"a") }},
	{"simple-table-short-rows", func(n int) string { return wideSimpleTable(n, "a") }},
	{"grid-table-wide", wideGridTable},
	{"references", func(n int) string { return references(n) }},
	{"substitution-chain", func(n int) string { return substitutionChain(n) }},
	{"indirect-targets", func(n int) string { return indirectChain(n) }},
	{"target-name-unended", func(n int) string { return ".. _a\n" + strings.Repeat("   a\n", n/5) }},
	{"substitution-name-unended", func(n int) string { return ".. |a\n" + strings.Repeat("   a\n", n/5) }},
}

// definitions nests n definition lists, each term directly followed by
// its definition.
func definitions(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "term\n")
	}
	b.WriteString(strings.Repeat(" ", n) + "definition\n")
	return b.String()
}

// lines repeats line as paragraphs until about n bytes.
func lines(n int, line string) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(line + "\n\n")
	}
	return b.String()
}

// wideSimpleTable is a simple table of 2000 one-character columns with
// rows until about n bytes.
func wideSimpleTable(n int, row string) string {
	border := strings.TrimSpace(strings.Repeat("= ", 2000))
	var b strings.Builder
	b.WriteString(border + "\n")
	for b.Len() < n {
		b.WriteString(row + "\n")
	}
	b.WriteString(border + "\n")
	return b.String()
}

// wideGridTable is a grid table of 4000 columns of one-character cells,
// with rows until about n bytes.
func wideGridTable(n int) string {
	border := "+" + strings.Repeat("-+", 4000) + "\n"
	row := "|" + strings.Repeat("a|", 4000) + "\n"
	var b strings.Builder
	b.WriteString(border)
	for b.Len() < n {
		b.WriteString(row + border)
	}
	return b.String()
}

// references is n references to one target and n distinct targets.
func references(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("See t" + itoa(i) + "_ and t0_.\n\n")
	}
	for i := range n {
		b.WriteString(".. _t" + itoa(i) + ": https://example.com/" + itoa(i) + "\n")
	}
	return b.String()
}

// substitutionChain is n substitutions, each using the next, and n
// references to the first.
func substitutionChain(n int) string {
	var b strings.Builder
	for range n {
		b.WriteString("Use |s0|.\n\n")
	}
	for i := range n {
		b.WriteString(".. |s" + itoa(i) + "| replace:: a |s" + itoa(i+1) + "|\n")
	}
	b.WriteString(".. |s" + itoa(n) + "| replace:: end\n")
	return b.String()
}

// BenchmarkCheckHostile checks each hostile shape at about 100 KiB (or
// the depth that takes), so its ns/byte compares with
// BenchmarkCheck100KiB's.
func BenchmarkCheckHostile(b *testing.B) {
	for _, s := range hostileShapes {
		b.Run(s.name, func(b *testing.B) {
			src := sized(s.build, hostileSize)
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				Check(src, "")
			}
		})
	}
}

// sized builds the smallest description of at least size bytes that
// build makes (by bisecting its n).
func sized(build func(int) string, size int) string {
	lo, hi := 1, 1
	for len(build(hi)) < size {
		lo, hi = hi, hi*2
	}
	for lo < hi {
		m := (lo + hi) / 2
		if len(build(m)) < size {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return build(lo)
}

var hostileSize = 100 << 10

// depthCases are nesting shapes at the deepest level we pass and one level
// deeper, with the line where the one level deeper fails.
var depthCases = []struct {
	shape         string
	ok, failLine  int
	pythonFailsAt int // the depth at which readme_renderer raises RecursionError
}{
	{"bullets", 133, 267, 164},
	{"enumerated", 133, 267, 164},
	{"block-quotes", 134, 269, 165},
	{"definitions", 133, 135, 163},
	{"fields", 114, 229, 140},
	{"admonitions", 88, 179, 109},
}

func shapeNamed(t testing.TB, name string) shape {
	for _, s := range hostileShapes {
		if s.name == name {
			return s
		}
	}
	t.Fatalf("no shape %q", name)
	return shape{}
}

// TestNestingDepth checks the depth bound: the deepest nesting we pass
// renders, one level more fails with the nesting message at its line.
func TestNestingDepth(t *testing.T) {
	t.Parallel()
	for _, c := range depthCases {
		t.Run(c.shape, func(t *testing.T) {
			t.Parallel()
			s := shapeNamed(t, c.shape)
			if err := Check(s.build(c.ok), ""); err != nil {
				t.Fatalf("depth %d: %v, want it to render", c.ok, err)
			}
			e := asError(Check(s.build(c.ok+1), ""))
			if e == nil || e.Message != tooDeep || e.Line != c.failLine || e.Level != 0 {
				t.Fatalf("depth %d: %+v, want line %d: %s", c.ok+1, e, c.failLine, tooDeep)
			}
			if got, want := e.Error(), "readme: line "+itoa(c.failLine)+": "+tooDeep; got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
			if got := e.TwineMessage(); got != "RecursionError: maximum recursion depth exceeded" {
				t.Errorf("TwineMessage() = %q", got)
			}
		})
	}
}

// TestNestingDepthPython checks the bound against readme_renderer: it
// renders the deepest nesting we pass, and raises RecursionError at the
// depth recorded in depthCases (so we never pass what it cannot render).
func TestNestingDepthPython(t *testing.T) {
	t.Parallel()
	python := testenv.NeedPython(t)
	pythonPath := verifyPythonPath(t)
	const script = `import io, sys, readme_renderer.rst as r
try:
    print("ok" if r.render(sys.stdin.read(), stream=io.StringIO()) is not None else "fails")
except RecursionError:
    print("RecursionError")
`
	render := func(desc string) string {
		cmd := exec.Command(python, "-c", script)
		cmd.Env = append(os.Environ(), "PYTHONPATH="+pythonPath)
		cmd.Stdin = strings.NewReader(desc)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("python: %v", err)
		}
		return string(bytes.TrimSpace(out))
	}
	for _, c := range depthCases {
		t.Run(c.shape, func(t *testing.T) {
			t.Parallel()
			s := shapeNamed(t, c.shape)
			for depth, want := range map[int]string{c.ok: "ok", c.pythonFailsAt - 1: "ok", c.pythonFailsAt: "RecursionError"} {
				if got := render(s.build(depth)); got != want {
					t.Errorf("readme_renderer at depth %d: %s, want %s", depth, got, want)
				}
			}
			if asError(Check(s.build(c.pythonFailsAt), "")) == nil {
				t.Errorf("we pass depth %d, where readme_renderer fails", c.pythonFailsAt)
			}
		})
	}
}

// hostileSamples are the descriptions that overflowed the stack or took
// super-linear time, as files (small ones) or recipes, with the verdict.
var hostileSamples = []struct {
	name string
	desc func(t testing.TB) string
	want *Error
}{
	{"2000 nested bullets on one line", file("bullets-2000.rst"), &Error{Line: 1, Message: tooDeep}},
	{"4999 nested bullets on one line", build("bullets-one-line", 4999), &Error{Line: 1, Message: tooDeep}},
	{"1,000,000 nested bullets on one line", build("bullets-one-line", 1_000_000), &Error{Level: LevelError, Message: "Line 1 exceeds the line-length-limit."}},
	{"8000 nested block quotes", build("block-quotes", 8000), &Error{Line: 269, Message: tooDeep}},
	{"3000 nested bullets", build("bullets", 3000), &Error{Line: 267, Message: tooDeep}},
	{"800 chained indirect targets", build("indirect-targets", 800), nil},
	{"801 chained indirect targets", build("indirect-targets", 801), &Error{Line: 803, Message: tooDeep}},
	{"100,000 chained substitutions", build("substitution-chain", 100_000), nil},
	{"1 MB of runs like :a:a:a", build("inline-roles", 1<<20), nil},
	{"1 MB of runs like a.a.a", build("inline-dotted-names", 1<<20), nil},
	{"1 MB of open brackets", build("inline-open-brackets", 1<<20), nil},
	{"simple table of 2000 columns, 256 KiB", build("simple-table-wide", 1<<18), nil},
	{"simple table of 2000 columns and short rows, 256 KiB", build("simple-table-short-rows", 1<<18), nil},
	{"grid table of 4000 columns, 256 KiB", build("grid-table-wide", 1<<18), nil},
	{"100 nested bullets, then 1 MB", build("bullets-deep-body", 1<<20/40), nil},
	{"100 nested block quotes, then 256 KiB of blank lines", build("blank-lines-deep", 1<<18), nil},
	{"10,000 references and targets", build("references", 10_000), nil},
	{"target name of 200,000 lines", build("target-name-unended", 1_000_000), &Error{Line: 200_001, Level: LevelWarning, Message: "malformed hyperlink target."}},
	{"substitution name of 200,000 lines", build("substitution-name-unended", 1_000_000), &Error{Line: 200_001, Level: LevelWarning, Message: "malformed substitution definition."}},
}

func file(name string) func(testing.TB) string {
	return func(t testing.TB) string {
		b, err := os.ReadFile("testdata/hostile/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
}

func build(shapeName string, n int) func(testing.TB) string {
	return func(t testing.TB) string { return shapeNamed(t, shapeName).build(n) }
}

// TestHostileSamples checks each sample's verdict and that checking it
// allocates at most a few bytes per input byte. It does not run in
// parallel: the allocation counters are process-wide.
func TestHostileSamples(t *testing.T) {
	for _, c := range hostileSamples {
		t.Run(c.name, func(t *testing.T) {
			desc := c.desc(t)
			var e *Error
			allocated := allocatedBy(func() { e = asError(Check(desc, "")) })
			switch {
			case c.want == nil && e != nil:
				t.Fatalf("Check() = %+v, want it to render", e)
			case c.want != nil && (e == nil || e.Line != c.want.Line || e.Level != c.want.Level || e.Message != c.want.Message):
				t.Fatalf("Check() = %+v, want %+v", e, c.want)
			}
			t.Logf("%d bytes: allocated %d bytes (%.1f per input byte)", len(desc), allocated, float64(allocated)/float64(len(desc)))
			if limit := uint64(hostileBytesPerByte*len(desc) + hostileBaseBytes); allocated > limit && !raceDetector {
				t.Errorf("checking %d bytes allocated %d bytes, want at most %d", len(desc), allocated, limit)
			}
		})
	}
}

// The allocation bound for a hostile sample: per input byte, plus a
// fixed allowance for the parser's tables. The smallest elements (table
// cells of two bytes) allocate about 100 bytes each, a realistic README
// about 12 per byte; the quadratic paths this guards against allocated
// thousands per byte.
const (
	hostileBytesPerByte = 128
	hostileBaseBytes    = 1 << 20
)

// allocatedBy returns the bytes f allocates (all goroutines included).
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// indirectChain is n indirect targets, each naming the next, and a
// reference to the first.
func indirectChain(n int) string {
	var b strings.Builder
	b.WriteString("See t0_.\n\n")
	for i := range n {
		b.WriteString(".. _t" + itoa(i) + ": t" + itoa(i+1) + "_\n")
	}
	b.WriteString(".. _t" + itoa(n) + ": https://example.com/\n")
	return b.String()
}

// FuzzCheckNested checks that no nesting of constructs makes Check panic
// or overflow the stack, and that a nesting error names a line of the
// description. It is seeded from testdata/hostile, testdata/fuzz and each
// nesting shape just past its bound.
func FuzzCheckNested(f *testing.F) {
	paths, err := os.ReadDir("testdata/hostile")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range paths {
		b, err := os.ReadFile("testdata/hostile/" + e.Name())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, c := range depthCases {
		f.Add(shapeNamed(f, c.shape).build(c.ok + 1))
	}
	f.Fuzz(func(t *testing.T, desc string) {
		e := asError(Check(desc, ""))
		if e == nil || e.Message != tooDeep {
			return
		}
		if n := len(splitLines(desc)); e.Line < 1 || e.Line > n {
			t.Fatalf("nesting error at line %d of %d", e.Line, n)
		}
	})
}
