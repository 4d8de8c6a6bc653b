package pypitest

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/trustpub/pypi/internal/testenv"
)

// pyStrings are strings whose Python renderings need care: quotes,
// backslashes, control characters, non-ASCII and astral characters.
var pyStrings = []string{
	"", "plain", "it's", `say "hi"`, `both ' and "`, `back\slash`, "tab\tnew\nline\rcr",
	"\x00\x1f\x7f", "café", "\u00a0nbsp", "日本", "emoji 🐍", "\u200b zero width", "\ufeffbom",
}

func TestPyJSON(t *testing.T) {
	t.Parallel()
	got := string(pyJSON(pyObject{
		{"message", "Token request failed"},
		{"errors", []pyObject{{{"code", "c"}, {"description", "d \"q\" é 🐍\n"}}}},
		{"success", true}, {"expires", int64(1700000900)}, {"n", int64(3)},
	}))
	const want = `{"message": "Token request failed", "errors": [{"code": "c", "description": "d \"q\" \u00e9 \ud83d\udc0d\n"}], "success": true, "expires": 1700000900, "n": 3}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestPyRepr(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v    any
		want string
	}{
		{nil, "None"}, {true, "True"}, {false, "False"}, {json.Number("12"), "12"}, {json.Number("1.5"), "1.5"},
		{"it's", `"it's"`}, {`both ' and "`, `'both \' and "'`}, {"a\x00b", `'a\x00b'`}, {"é日🐍", "'é日🐍'"},
		{[]any{"a", json.Number("1")}, "['a', 1]"}, {[]string{"x", "y"}, "['x', 'y']"},
		{map[string]any{"b": nil, "a": []any{}}, "{'a': [], 'b': None}"},
	} {
		if got := pyRepr(tc.v); got != tc.want {
			t.Errorf("pyRepr(%#v) = %s, want %s", tc.v, got, tc.want)
		}
	}
	if got := pyReprBytes([]byte("a'\"\\\n\xff")); got != `b'a\'"\\\n\xff'` {
		t.Errorf("pyReprBytes = %s", got)
	}
}

// TestPyRenderingsMatchPython checks pyJSON, pyReprString and pyReprBytes
// against Debian's Python.
func TestPyRenderingsMatchPython(t *testing.T) {
	t.Parallel()
	python := testenv.NeedPython(t)
	args, _ := json.Marshal(pyStrings)
	out, err := exec.Command(python, "-c", `
import json, sys
for s in json.loads(sys.argv[1]):
    print(json.dumps({"s": s}))
    print(repr(s))
    print(repr(s.encode("utf-8")))
`, string(args)).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 3*len(pyStrings) {
		t.Fatalf("python printed %d lines for %d strings", len(lines), len(pyStrings))
	}
	for i, s := range pyStrings {
		if got := string(pyJSON(pyObject{{"s", s}})); got != lines[3*i] {
			t.Errorf("json.dumps(%q): got %s, Python %s", s, got, lines[3*i])
		}
		if got := pyReprString(s); got != lines[3*i+1] {
			t.Errorf("repr(%q): got %s, Python %s", s, got, lines[3*i+1])
		}
		if got := pyReprBytes([]byte(s)); got != lines[3*i+2] {
			t.Errorf("repr(%q.encode()): got %s, Python %s", s, got, lines[3*i+2])
		}
	}
}
