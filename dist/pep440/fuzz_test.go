package pep440

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// addSeeds adds each line of a testdata file to the fuzz corpus; lines
// starting with '"' are Go-quoted, lines starting with '#' are comments.
func addSeeds(f *testing.F, path string) {
	file, err := os.Open(path)
	if err != nil {
		f.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, `"`) {
			if line, err = strconv.Unquote(line); err != nil {
				f.Fatalf("%s: %v", path, err)
			}
		}
		f.Add(line)
	}
	if err := sc.Err(); err != nil {
		f.Fatal(err)
	}
}

// FuzzParse checks that a parsed version's canonical form is a fixed
// point that compares equal to it, and that Trimmed names the same
// version.
func FuzzParse(f *testing.F) {
	addSeeds(f, "testdata/versions.txt")
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			if _, ok := err.(*InvalidVersionError); !ok {
				t.Fatalf("Parse(%q) error %T", s, err)
			}
			return
		}
		canon := v.String()
		w, err := Parse(canon)
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", canon, s, err)
		}
		if w.String() != canon || Compare(v, w) != 0 || !IsCanonical(canon) {
			t.Fatalf("canonical form of %q is not stable: %q then %q", s, canon, w)
		}
		if tr, err := Parse(v.Trimmed()); err != nil || Compare(v, tr) != 0 || tr.Trimmed() != v.Trimmed() {
			t.Fatalf("Trimmed %q of %q: %v", v.Trimmed(), s, err)
		}
		if Compare(v.Public(), v) > 0 || (v.Local() == "") != (Compare(v.Public(), v) == 0) {
			t.Fatalf("%q: public version orders wrongly against it", s)
		}
	})
}

// FuzzParseSpecifierSet checks that a parsed set's string parses to the
// same set, and that Contains does not panic.
func FuzzParseSpecifierSet(f *testing.F) {
	addSeeds(f, "testdata/specifiers.txt")
	probes := []Version{MustParse("0"), MustParse("1.0"), MustParse("1.0a1"), MustParse("2.0.post1+local")}
	f.Fuzz(func(t *testing.T, s string) {
		set, err := ParseSpecifierSet(s)
		if err != nil {
			if _, ok := err.(*InvalidSpecifierError); !ok {
				t.Fatalf("ParseSpecifierSet(%q) error %T", s, err)
			}
			return
		}
		again, err := ParseSpecifierSet(set.String())
		if err != nil || again.String() != set.String() {
			t.Fatalf("%q: String %q does not round-trip: %q, %v", s, set.String(), again.String(), err)
		}
		for _, v := range probes {
			if set.Contains(v, true) != again.Contains(v, true) {
				t.Fatalf("%q and its String %q disagree on %s", s, set.String(), v)
			}
		}
	})
}

// FuzzCompare checks that Compare is antisymmetric and that equal
// versions, and only they, share a Trimmed form.
func FuzzCompare(f *testing.F) {
	for i := 1; i < len(ordered); i++ {
		f.Add(ordered[i-1], ordered[i])
	}
	f.Add("1.0", "1.0.0")
	f.Add("1.0+007", "1.0+7")
	f.Fuzz(func(t *testing.T, a, b string) {
		va, err1 := Parse(a)
		vb, err2 := Parse(b)
		if err1 != nil || err2 != nil {
			return
		}
		c := Compare(va, vb)
		if c != -Compare(vb, va) {
			t.Fatalf("Compare(%q, %q) = %d but reversed %d", a, b, c, Compare(vb, va))
		}
		if (c == 0) != (va.Trimmed() == vb.Trimmed()) {
			t.Fatalf("%q, %q: Compare %d, Trimmed %q and %q", a, b, c, va.Trimmed(), vb.Trimmed())
		}
	})
}
