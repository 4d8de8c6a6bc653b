package verify

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// seed adds every line of a testdata file to f's corpus.
func seed(f *testing.F, name string) {
	file, err := os.Open("testdata/" + name)
	if err != nil {
		f.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		f.Add(sc.Text())
	}
}

func FuzzParseRequirement(f *testing.F) {
	seed(f, "requirements.txt")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRequirement(s)
		if err != nil {
			var syn *SyntaxError
			if errors.As(err, &syn) && (syn.Start < 0 || syn.End < syn.Start || syn.End > utf8.RuneCountInString(s)+1) {
				t.Fatalf("span %d..%d out of %q", syn.Start, syn.End, s)
			}
			return
		}
		// What packaging prints, it parses again to the same thing, unless
		// a marker value holds what packaging prints without escaping.
		if printsVerbatim(r.Marker) {
			return
		}
		again, err := ParseRequirement(r.String())
		if err != nil {
			t.Fatalf("%q -> %q does not parse: %v", s, r.String(), err)
		}
		if again.String() != r.String() {
			t.Fatalf("%q -> %q -> %q", s, r.String(), again.String())
		}
		_ = RequiresDist(s)
		_ = DistRequirement("provides-dist", s)
	})
}

func FuzzLicenseExpression(f *testing.F) {
	seed(f, "licenses.txt")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := CanonicalLicenseExpression(s)
		if err != nil {
			return
		}
		again, err := CanonicalLicenseExpression(c)
		if err != nil || again != c {
			t.Fatalf("%q -> %q -> %q, %v", s, c, again, err)
		}
	})
}

func FuzzEmail(f *testing.F) {
	seed(f, "emails.txt")
	f.Fuzz(func(t *testing.T, s string) {
		name, addr := ParseAddr(s)
		if addr == "" && name != "" && !strings.ContainsAny(s, "()") {
			// A name without an address comes only from comments.
			t.Logf("name %q without address from %q", name, s)
		}
		if strings.Contains(addr, "[") {
			t.Fatalf("ParseAddr(%q) kept %q", s, addr)
		}
		err := Email("author-email", s)
		var e *Error
		if err != nil && (!errors.As(err, &e) || !strings.HasPrefix(e.Message, pyfmt.Repr(addr)+" is not a valid email address: ")) {
			t.Fatalf("Email(%q) = %v", s, err)
		}
	})
}

// printsVerbatim reports whether a marker value holds a character that
// packaging prints unescaped inside double quotes ('"', a backslash, a line
// break, a NUL), so that its output does not parse back, in packaging too.
func printsVerbatim(m Marker) bool {
	for _, term := range m {
		switch v := term.(type) {
		case Marker:
			if printsVerbatim(v) {
				return true
			}
		case MarkerItem:
			for _, o := range []MarkerOperand{v.Left, v.Right} {
				if !o.Var && strings.ContainsAny(o.Value, "\"\\\n\r\x00") {
					return true
				}
			}
		}
	}
	return false
}
