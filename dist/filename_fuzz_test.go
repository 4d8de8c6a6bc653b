package dist

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// filenameSeeds returns the file names listed in testdata/filenames/*.txt:
// one a line, '#' lines are comments, lines starting with '"' are
// Go-quoted.
func filenameSeeds(tb testing.TB) []string {
	tb.Helper()
	paths, err := filepath.Glob("testdata/filenames/*.txt")
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no seeds in testdata/filenames: %v", err)
	}
	var seeds []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		for line := range strings.Lines(string(b)) {
			line = strings.TrimSuffix(line, "\n")
			switch {
			case line == "" || strings.HasPrefix(line, "#"):
				continue
			case strings.HasPrefix(line, `"`):
				if line, err = strconv.Unquote(line); err != nil {
					tb.Fatalf("%s: %v", p, err)
				}
			}
			seeds = append(seeds, line)
		}
	}
	return seeds
}

// FuzzParseFilename checks that a parsed name renders back to itself, that
// its canonical form parses to the escaped name, and that IsCanonical
// holds exactly when the canonical form is the name itself.
func FuzzParseFilename(f *testing.F) {
	for _, s := range filenameSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fn, err := ParseFilename(s)
		if err != nil {
			if _, ok := err.(*FilenameError); !ok {
				t.Fatalf("ParseFilename(%q) error %T", s, err)
			}
			return
		}
		if fn.String() != s {
			t.Fatalf("ParseFilename(%q).String() = %q", s, fn.String())
		}
		canon := CanonicalWheelFilename(fn)
		if fn.Kind == Sdist {
			canon = CanonicalSdistFilename(fn.Name, fn.Version)
		}
		c, err := ParseFilename(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canon, s, err)
		}
		if c.Name != EscapeName(fn.Name) || c.String() != canon {
			t.Fatalf("canonical form %q of %q parses as %+v", canon, s, c)
		}
		if fn.IsCanonical() && canon != s {
			t.Fatalf("%q is canonical but its canonical form is %q", s, canon)
		}
		if fn.IsCanonical() != (canon == s && ValidName(fn.Name)) {
			t.Fatalf("%q: IsCanonical %v, canonical form %q", s, fn.IsCanonical(), canon)
		}
		if len(fn.Tags()) > maxWheelTags {
			t.Fatalf("%q expands to %d tags", s, len(fn.Tags()))
		}
	})
}
