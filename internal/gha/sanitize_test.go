package gha

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// runnerCommands returns the lines of log that the Actions runner would
// take for workflow commands: "::" first after white space, or "##["
// anywhere; lines end at "\n" and "\r".
func runnerCommands(log string) []string {
	var out []string
	for _, line := range strings.FieldsFunc(log, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") || strings.Contains(line, "##[") {
			out = append(out, line)
		}
	}
	return out
}

// controls returns the control characters in s, but tab and newline.
func controls(s string) []rune {
	var out []rune
	for _, r := range s {
		if isControl(r) {
			out = append(out, r)
		}
	}
	return out
}

// checkText fails t unless got, the safe form of in, is valid UTF-8
// without control characters or workflow commands, and unchanged by a
// second pass.
func checkText(t *testing.T, in, got string) {
	t.Helper()
	if !utf8.ValidString(got) {
		t.Errorf("Text(%q) = %q: not UTF-8", in, got)
	}
	if c := controls(got); len(c) > 0 {
		t.Errorf("Text(%q) = %q keeps control characters %q", in, got, c)
	}
	if cmds := runnerCommands(got); len(cmds) > 0 {
		t.Errorf("Text(%q) = %q still has commands %q", in, got, cmds)
	}
	if again := Text(got); again != got {
		t.Errorf("Text is not idempotent: %q, then %q", got, again)
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"plain text: with colons :: inside", "plain text: with colons :: inside"},
		{"::warning::x", `\::warning::x`},
		{"ok\n::error file=a::pwned\nnext", "ok\n\\::error file=a::pwned\nnext"},
		{"  \t::debug::x", "  \t\\::debug::x"},
		{"\u00a0\u2003::notice::x", "\u00a0\u2003\\::notice::x"},
		{"cr\r::add-mask::x", "cr::add-mask::x"},
		{"say ##[stop-commands]tok", `say ##\[stop-commands]tok`},
		{"###[x] and #[y]", `###\[x] and #[y]`},
		{"\x1b[31mred\x1b[0m\x00\x07", "[31mred[0m"},
		{"\u009b2J\u202eevil\u2066", "2Jevil"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{":\n: :\n:x", ":\n: :\n:x"},
		{"tab\tstays\n", "tab\tstays\n"},
		{":", ":"},
	} {
		got := Text(tc.in)
		if got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
		checkText(t, tc.in, got)
	}
}

func TestLine(t *testing.T) {
	t.Parallel()
	if got, want := Line("a.whl\n::warning::x\r\nb"), "a.whl ::warning::x b"; got != want {
		t.Errorf("Line = %q, want %q", got, want)
	}
}

// hostileSeeds returns the texts in testdata/hostile.
func hostileSeeds(t testing.TB) map[string]string {
	files, err := filepath.Glob("testdata/hostile/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seeds in testdata/hostile: %v", err)
	}
	out := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = string(b)
	}
	return out
}

// TestWriterCutAnywhere writes each hostile text in two pieces, cut at
// every byte, and wants what Text makes of the whole.
func TestWriterCutAnywhere(t *testing.T) {
	t.Parallel()
	for name, s := range hostileSeeds(t) {
		s += "\n"
		want := Text(s)
		for i := range len(s) + 1 {
			var out bytes.Buffer
			w := New(&out, env(nil), false).Writer()
			for _, piece := range []string{s[:i], s[i:]} {
				if n, err := w.Write([]byte(piece)); n != len(piece) || err != nil {
					t.Fatalf("%s: Write = %d, %v", name, n, err)
				}
			}
			if out.String() != want {
				t.Fatalf("%s cut at %d: %q, want %q", name, i, out.String(), want)
			}
		}
	}
}

// TestWriterLeavesCommandsAlone: the runner's own commands and the text
// around them share the log, and only the text is changed.
func TestWriterLeavesCommandsAlone(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	r := New(&out, env(nil), true)
	w := r.Writer()
	r.Group("Checking")
	w.Write([]byte("error: index said:\n::warning::pwned\n"))
	r.Warning(Annotation{File: "a\x1b.whl"}, "bad\x00\nline")
	r.EndGroup()
	want := "::group::Checking\nerror: index said:\n\\::warning::pwned\n::warning file=a.whl::bad%0Aline\n::endgroup::\n"
	if out.String() != want {
		t.Errorf("log:\n%q\nwant:\n%q", out.String(), want)
	}
}

func TestCodeBlock(t *testing.T) {
	t.Parallel()
	got := CodeBlock("a\n```\n# h\n````` x\x1b")
	want := "``````\na\n```\n# h\n````` x\n``````\n"
	if got != want {
		t.Errorf("CodeBlock = %q, want %q", got, want)
	}
	checkFence(t, "", got)
}

// checkFence fails t unless block is a code block that nothing inside
// closes: no inner line holds a backtick run as long as the fence.
func checkFence(t *testing.T, in, block string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(block, "\n"), "\n")
	fence := lines[0]
	if len(lines) < 2 || strings.Trim(fence, "`") != "" || len(fence) < 3 || lines[len(lines)-1] != fence {
		t.Fatalf("CodeBlock(%q) = %q: not fenced", in, block)
	}
	for _, l := range lines[1 : len(lines)-1] {
		if strings.Contains(l, fence) {
			t.Errorf("CodeBlock(%q): line %q closes the fence %q", in, l, fence)
		}
	}
	if c := controls(block); len(c) > 0 {
		t.Errorf("CodeBlock(%q) keeps control characters %q", in, c)
	}
}

func TestCodeSpan(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"x-1.0-py3-none-any.whl": "`x-1.0-py3-none-any.whl`",
		"a|b":                    "`a\\|b`",
		"`tick`":                 "`` `tick` ``",
		"a ``` b\nc":             "````a ``` b c````",
	} {
		if got := CodeSpan(in); got != want {
			t.Errorf("CodeSpan(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownText(t *testing.T) {
	t.Parallel()
	got := MarkdownText("see [x](https://evil.example/) <img src=x> *b*\n`c`")
	want := `see \[x\]\(https\:\/\/evil\.example\/\) \<img src\=x\> \*b\* \` + "`c\\`"
	if got != want {
		t.Errorf("MarkdownText = %q, want %q", got, want)
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	in := map[string]string{"code": "##[stop-commands]x \u009b2J \u202e \x7f", "plain": "a[b] #[c]"}
	doc, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out := JSON(doc)
	if bytes.Contains(out, []byte("##[")) || len(controls(string(out))) > 0 {
		t.Errorf("JSON left %q", out)
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil || back["code"] != in["code"] || back["plain"] != in["plain"] {
		t.Errorf("JSON changed the document: %q (%v)", out, err)
	}
}

// FuzzText checks every safe form of arbitrary text: Text, the Writer
// with the text cut in two, Line, CodeBlock, CodeSpan and JSON.
func FuzzText(f *testing.F) {
	for _, s := range hostileSeeds(f) {
		f.Add(s, len(s)/2)
	}
	f.Fuzz(func(t *testing.T, s string, cut int) {
		got := Text(s)
		checkText(t, s, got)
		if !strings.ContainsFunc(s, isControl) && utf8.ValidString(s) && len(runnerCommands(s)) == 0 &&
			!strings.Contains(strings.ReplaceAll(s, "\r", "\n"), "\n:") && got != s {
			t.Errorf("Text changed safe text %q to %q", s, got)
		}
		if cut < 0 || cut > len(s) {
			cut = len(s) / 2
		}
		var out bytes.Buffer
		w := New(&out, env(nil), true).Writer()
		w.Write([]byte(s[:cut]))
		w.Write([]byte(s[cut:] + "\n"))
		if want := Text(s + "\n"); out.String() != want {
			t.Errorf("Writer cut at %d: %q, want %q", cut, out.String(), want)
		}
		if l := Line(s); strings.ContainsAny(l, "\r\n") {
			t.Errorf("Line(%q) = %q spans lines", s, l)
		}
		checkFence(t, s, CodeBlock(s))
		md := MarkdownText(s)
		for i := 0; i < len(md); i++ {
			if c := md[i]; c == '\\' {
				i++ // an escape and what it escapes
			} else if c < utf8.RuneSelf && (unicode.IsPunct(rune(c)) || unicode.IsSymbol(rune(c))) {
				t.Fatalf("MarkdownText(%q) = %q: %q at %d is not escaped", s, md, c, i)
			}
		}
		if strings.ContainsAny(md, "\r\n") {
			t.Errorf("MarkdownText(%q) = %q spans lines", s, md)
		}
		span := CodeSpan(s)
		if strings.ContainsAny(span, "\r\n") || len(controls(span)) > 0 || strings.Contains(strings.ReplaceAll(span, `\|`, ""), "|") {
			t.Errorf("CodeSpan(%q) = %q", s, span)
		}
		doc, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back, orig string
		out2 := JSON(doc)
		json.Unmarshal(doc, &orig)
		if err := json.Unmarshal(out2, &back); err != nil || back != orig {
			t.Errorf("JSON(%q) = %q decodes to %q (%v)", doc, out2, back, err)
		}
		if len(runnerCommands(string(out2))) > 0 || len(controls(string(out2))) > 0 {
			t.Errorf("JSON(%q) = %q is not safe", doc, out2)
		}
	})
}
