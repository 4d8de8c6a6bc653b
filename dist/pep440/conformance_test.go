package pep440

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/trustpub/pypi/internal/testenv"
)

// conformanceScript answers, with Debian's python3-packaging, what
// TestConformance asks: canonical forms, comparisons, specifier sets and
// containment. An invalid input is null; any other exception is "!Name".
const conformanceScript = `
import json, sys
from packaging.version import Version, InvalidVersion
from packaging.specifiers import SpecifierSet, InvalidSpecifier
req = json.load(sys.stdin)
def attempt(f, bad):
    try:
        return f()
    except bad:
        return None
    except Exception as e:
        return "!" + type(e).__name__
out = {}
out["versions"] = [attempt(lambda: str(Version(s)), InvalidVersion) for s in req["versions"]]
vs = [Version(s) for s in req["ordered"]]
out["compare"] = [[(a > b) - (a < b) for b in vs] for a in vs]
out["specs"] = [attempt(lambda: str(SpecifierSet(s)), InvalidSpecifier) for s in req["specs"]]
out["contains"] = [attempt(lambda: SpecifierSet(s).contains(v, prereleases=p), ()) for s, v, p in req["contains"]]
out["packaging"] = __import__("packaging").__version__
json.dump(out, sys.stdout)
`

type conformanceRequest struct {
	Versions []string `json:"versions"`
	Ordered  []string `json:"ordered"`
	Specs    []string `json:"specs"`
	Contains [][3]any `json:"contains"` // spec, version, prereleases (nil: default)
}

type conformanceReply struct {
	Versions  []any   `json:"versions"`
	Compare   [][]int `json:"compare"`
	Specs     []any   `json:"specs"`
	Contains  []any   `json:"contains"`
	Packaging string  `json:"packaging"`
}

// TestConformance compares Parse, String, Compare, ParseSpecifierSet,
// SpecifierSet.String and SpecifierSet.Contains with python3-packaging
// over generated inputs. Every disagreement must have a known reason.
func TestConformance(t *testing.T) {
	t.Parallel()
	python := testenv.NeedPython(t, "packaging.version", "packaging.specifiers")
	req := generateConformanceInputs()
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-c", conformanceScript)
	cmd.Env = append(os.Environ(), "PYTHONHASHSEED=0") // set order decides which clause raises first
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.Bytes())
	}
	var rep conformanceReply
	if err := json.Unmarshal(stdout, &rep); err != nil {
		t.Fatalf("python reply: %v", err)
	}

	var agree, explained, total int
	check := func(what, input string, got, want any) {
		total++
		if got == want {
			agree++
			return
		}
		if reason := knownDifference(what, input, want); reason != "" {
			explained++
			t.Logf("known difference (%s): %s %q: ours %v, packaging %v", reason, what, input, got, want)
			return
		}
		t.Errorf("%s %q: ours %v, packaging %v", what, input, got, want)
	}
	for i, s := range req.Versions {
		var got any
		if v, err := Parse(s); err == nil {
			got = v.String()
		}
		check("Version", s, got, rep.Versions[i])
	}
	for i, a := range req.Ordered {
		for j, b := range req.Ordered {
			check("Compare", a+" <=> "+b, Compare(MustParse(a), MustParse(b)), rep.Compare[i][j])
		}
	}
	for i, s := range req.Specs {
		var got any
		if set, err := ParseSpecifierSet(s); err == nil {
			got = set.String()
		}
		check("SpecifierSet", s, got, rep.Specs[i])
	}
	for i, c := range req.Contains {
		set, v := MustParseSpecifierSet(c[0].(string)), MustParse(c[1].(string))
		pre := set.Prereleases()
		if c[2] != nil {
			pre = c[2].(bool)
		}
		check("Contains", c[1].(string)+" in "+c[0].(string), set.Contains(v, pre), rep.Contains[i])
	}
	t.Logf("python3-packaging %s: %d/%d agree (%.2f%%), %d known differences",
		rep.Packaging, agree, total, 100*float64(agree)/float64(total), explained)
}

// knownDifference returns why python3-packaging is expected to judge an
// input otherwise, or "".
func knownDifference(what, input string, want any) string {
	switch {
	case !isASCII(input):
		// packaging matches its grammar case-insensitively over Unicode
		// ("1.0.poſt1" is 1.0.post1) and trims Unicode spaces; we take ASCII
		// only, as the specification's grammar does.
		return "non-ASCII input"
	case strings.ContainsAny(input, "\x1c\x1d\x1e\x1f"):
		// Python's \s also matches the separators U+001C to U+001F; the
		// specification trims only the six ASCII spaces.
		return "U+001C-U+001F are not spaces"
	case what == "Contains" && want == "!InvalidVersion" && strings.Contains(input, "==="):
		// packaging 23.0 parses an "===" clause's text as a version to
		// decide its pre-release default, and raises when it is not one;
		// we treat such a clause as admitting no pre-releases.
		return "=== with a non-version"
	case what == "Contains" && (dottedCompatibleRE.MatchString(input) || epochWildcardRE.MatchString(input)):
		// packaging 23.0 finds the prefix of "~=V" and "==V.*" by splitting
		// the version text on "." and knows only some suffix spellings and
		// no epochs there: "~=1.0.RC1" becomes "==1.0.*", and "==1!1.0.0.*"
		// and "~=1!1.0.0" miss "1!1.0" and "1!1.0.post1". We compare release numbers, as PEP 440 says and
		// packaging 26 (version ranges) does.
		return "23.0 splits ~= and .* versions as text"
	}
	return ""
}

var (
	dottedCompatibleRE = regexp.MustCompile(`~=\s*[^,]*\.[A-Za-z]`)
	epochWildcardRE    = regexp.MustCompile(`~=\s*v?0*[1-9][0-9]*!|==\s*v?0*[1-9][0-9]*![^,]*\.\*`)
)

// generateConformanceInputs builds a few hundred versions from the
// spellings PEP 440 normalises, some of them mutated into invalid ones,
// and specifiers over them. The seed is fixed, so runs are reproducible.
func generateConformanceInputs() conformanceRequest {
	rng := rand.New(rand.NewPCG(440, 625))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	var req conformanceRequest
	req.Versions = append(req.Versions, ordered...)
	req.Versions = append(req.Versions, "1.0.poſt1", "\u00a01.0", "1.0+", "1!", "", "vv1", "1.0-", "01.0+01", "\x1c1.0", "1.0\x1f")
	for len(req.Versions) < 400 {
		var b strings.Builder
		b.WriteString(pick("", "", "", "v", "V", " "))
		b.WriteString(pick("", "", "", "0!", "1!", "01!", "2!"))
		for n := 1 + rng.IntN(4); n > 0; n-- {
			b.WriteString(pick("0", "1", "00", "01", "10", "2", "99999999999999999999999"))
			if n > 1 {
				b.WriteByte('.')
			}
		}
		b.WriteString(pick("", "", "", "a", "a1", "A1", ".a1", "-alpha2", "_beta", "b0", "c1", "rc1", "RC1", "pre3", "preview", ".pre-4"))
		b.WriteString(pick("", "", "", ".post1", "-1", "post", ".post", "_rev2", "r3", "-post-4", ".POST5"))
		b.WriteString(pick("", "", "", ".dev", ".dev1", "dev2", "-dev_3", ".DEV0"))
		b.WriteString(pick("", "", "", "", "+ubuntu1", "+Ubuntu-1", "+007", "+abc.1", "+1.abc", "+a_b-c", "+0a"))
		s := b.String()
		if rng.IntN(6) == 0 { // mutate: insert a character somewhere
			i := rng.IntN(len(s) + 1)
			s = s[:i] + pick("-", "_", ".", "+", "!", "v", "0", "a", " ", "*") + s[i:]
		}
		req.Versions = append(req.Versions, s)
	}
	for _, s := range req.Versions {
		if _, err := Parse(s); err == nil && len(req.Ordered) < 120 {
			req.Ordered = append(req.Ordered, s)
		}
	}
	hand := [][2]string{
		{"~=1.0.c1", "1.1"}, {"~=1.0.RC1", "1.1"}, {"~=1.0.pre1", "1.5"}, {"~=1.0.r1", "1.5"},
		{"==1!1.0.0.*", "1!1.0"}, {"==1!1.*", "1!1.0"}, {"==1.0.*", "1.0a1"}, {"==1.*", "1a1"},
		{"<=1.0", "1.0+local"}, {">1.0", "1.0.post1+local"}, {"<1.0.post1", "1.0.post1.dev1"},
		{"===1.0+local", "1.0+LOCAL"}, {"!=1.0+local", "1.0+local"}, {"==1.0+local", "1.0"},
		{"~=1.0", "1.0.dev1"}, {">1.0.dev1", "1.0.post0"}, {">=1.0,==1.0.*,!=1.0.0", "1.0.1"},
		{"== v1.0", "1.0"}, {"~=1!1.0.0", "1!1.0.5"}, {"==0!1.0.*", "1.0.3"},
	}
	for _, h := range hand {
		req.Specs = append(req.Specs, h[0])
		req.Contains = append(req.Contains, [3]any{h[0], h[1], nil}, [3]any{h[0], h[1], true})
	}
	ops := []string{"==", "!=", "<=", ">=", "<", ">", "~=", "===", "=", "=>"}
	for len(req.Specs) < 300 {
		var parts []string
		for n := 1 + rng.IntN(2); n > 0; n-- {
			v := req.Versions[rng.IntN(len(req.Versions))]
			if rng.IntN(4) == 0 {
				v = strings.TrimSpace(v) + ".*"
			}
			parts = append(parts, ops[rng.IntN(len(ops))]+pick("", "", " ")+v)
		}
		req.Specs = append(req.Specs, strings.Join(parts, pick(",", ", ")))
	}
	for _, s := range req.Specs {
		if _, err := ParseSpecifierSet(s); err != nil {
			continue
		}
		for range 8 {
			v := req.Ordered[rng.IntN(len(req.Ordered))]
			var pre any
			if rng.IntN(3) == 0 {
				pre = true
			}
			req.Contains = append(req.Contains, [3]any{s, v, pre})
		}
	}
	return req
}
