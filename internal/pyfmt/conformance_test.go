package pyfmt

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/trustpub/pypi/internal/testenv"
)

// codePointRanges are where generated strings draw their characters from,
// weighted towards the places where repr's rules change: ASCII controls
// and quotes, Latin-1, separators and format characters, private use,
// unassigned and astral code points.
var codePointRanges = [][2]rune{
	{0x00, 0x7f}, {0x00, 0x7f}, {0x00, 0x7f}, {0x20, 0x7e}, {0x80, 0xff},
	{0x100, 0x2fff}, {0x2000, 0x206f}, {0x3000, 0x303f}, {0x4e00, 0x9fff},
	{0xd7b0, 0xd7ff}, {0xe000, 0xe0ff}, {0xfdd0, 0xfffd}, {0xfff0, 0xffff},
	{0x10000, 0x10ffff}, {0x1f300, 0x1faff}, {0xe0000, 0xe01ef}, {0x0370, 0x0400},
}

// generatedStrings returns the seed strings and n pseudo-random ones.
func generatedStrings(t *testing.T, n int) []string {
	t.Helper()
	out := seedStrings(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for range n {
		rs := make([]rune, rng.IntN(12))
		for i := range rs {
			span := codePointRanges[rng.IntN(len(codePointRanges))]
			rs[i] = span[0] + rng.Int32N(span[1]-span[0]+1)
			if rs[i] >= 0xd800 && rs[i] <= 0xdfff { // not representable in UTF-8
				rs[i] = 'x'
			}
		}
		out = append(out, string(rs))
	}
	return out
}

// seedStrings reads testdata/strings.json.
func seedStrings(t testing.TB) []string {
	t.Helper()
	var seeds []string
	if err := json.Unmarshal(readTestdata(t, "strings.json"), &seeds); err != nil {
		t.Fatal(err)
	}
	return seeds
}

// runPython runs script with input as JSON on its standard input and
// decodes the JSON it prints into out.
func runPython(t *testing.T, script string, input, out any) {
	t.Helper()
	in, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(testenv.NeedPython(t), "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	if err := json.Unmarshal(stdout, out); err != nil {
		t.Fatalf("python printed %q: %v", stdout, err)
	}
}

// TestStringsMatchPython compares Repr, ReprBytes and JSON with Python's
// repr(s), repr(s.encode()) and json.dumps(s) over generated strings.
func TestStringsMatchPython(t *testing.T) {
	t.Parallel()
	inputs := generatedStrings(t, 400)
	var answer struct {
		Unicode string
		Results []struct {
			Repr, Bytes, JSON string
			Unassigned        []rune // code points Python's tables leave unassigned
		}
	}
	runPython(t, `
import json, sys, unicodedata
results = [{"Repr": repr(s), "Bytes": repr(s.encode()), "JSON": json.dumps(s),
            "Unassigned": [ord(c) for c in s if unicodedata.category(c) == "Cn"]}
           for s in json.load(sys.stdin)]
print(json.dumps({"Unicode": unicodedata.unidata_version, "Results": results}))
`, inputs, &answer)
	if len(answer.Results) != len(inputs) {
		t.Fatalf("python answered %d of %d strings", len(answer.Results), len(inputs))
	}
	versionSkew := 0
	for i, s := range inputs {
		want := answer.Results[i]
		if got := ReprBytes([]byte(s)); got != want.Bytes {
			t.Errorf("ReprBytes(%q) = %s, Python %s", s, got, want.Bytes)
		}
		if got := string(JSON(s)); got != want.JSON {
			t.Errorf("JSON(%q) = %s, Python %s", s, got, want.JSON)
		}
		if got := Repr(s); got != want.Repr {
			if answer.Unicode != unicode.Version && tablesDiffer(s, want.Unassigned) {
				versionSkew++
				continue
			}
			t.Errorf("Repr(%q) = %s, Python %s", s, got, want.Repr)
		}
	}
	t.Logf("%d strings; %d differ only by code points Unicode %s (Python) and %s (Go) assign differently",
		len(inputs), versionSkew, answer.Unicode, unicode.Version)
	if versionSkew > len(inputs)/10 {
		t.Errorf("%d of %d strings hit Unicode version differences: the comparison proves too little", versionSkew, len(inputs))
	}
}

// tablesDiffer reports whether Go's and Python's Unicode tables disagree
// on which code points of s are assigned.
func tablesDiffer(s string, pythonUnassigned []rune) bool {
	for _, r := range s {
		goAssigned := unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C)
		pyAssigned := !strings.ContainsRune(string(pythonUnassigned), r)
		if goAssigned != pyAssigned {
			return true
		}
	}
	return false
}

// TestValuesMatchPython compares ReprValue and Str with Python's repr and
// str of what json.loads returns, over numbers, nesting and strings.
func TestValuesMatchPython(t *testing.T) {
	t.Parallel()
	docs := []string{
		`null`, `true`, `false`, `0`, `-0`, `12`, `-12`, `123456789012345678901234567890`,
		`0.0`, `-0.0`, `1.5`, `1.50`, `1e5`, `1E-5`, `2.5e-5`, `0.0001`, `0.00001`, `1e15`, `1e16`,
		`12345678901234567.0`, `1e400`, `-1e400`, `1e-400`, `5e-324`, `1.7976931348623157e308`, `0.1`,
		`[]`, `{}`, `[1, "a", null, [true, {"k": 1.0}]]`, `{"a": "it's", "b": ["x", "y\"z"], "c": {"d": -1e-7}}`,
		`"plain"`, `"caf\u00e9\n"`,
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		f := math.Float64frombits(rng.Uint64())
		if !math.IsInf(f, 0) && !math.IsNaN(f) {
			docs = append(docs, strconv.FormatFloat(f, 'g', -1, 64))
		}
		docs = append(docs, strconv.FormatFloat(rng.NormFloat64()*math.Pow(10, float64(rng.IntN(40)-20)), 'g', -1, 64))
		docs = append(docs, strconv.FormatInt(rng.Int64()>>rng.IntN(64), 10))
	}
	var answers [][2]string
	runPython(t, `
import json, sys
print(json.dumps([[repr(v), str(v)] for v in map(json.loads, json.load(sys.stdin))]))
`, docs, &answers)
	if len(answers) != len(docs) {
		t.Fatalf("python answered %d of %d documents", len(answers), len(docs))
	}
	for i, doc := range docs {
		d := json.NewDecoder(strings.NewReader(doc))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		if got := ReprValue(v); got != answers[i][0] {
			t.Errorf("ReprValue(%s) = %s, Python %s", doc, got, answers[i][0])
		}
		if got := Str(v); got != answers[i][1] {
			t.Errorf("Str(%s) = %s, Python %s", doc, got, answers[i][1])
		}
	}
}
