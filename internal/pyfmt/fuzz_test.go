package pyfmt

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzRepr checks that Repr and ReprBytes give literals Python would read
// back as the input: printable, correctly quoted and escaped.
func FuzzRepr(f *testing.F) {
	for _, s := range seedStrings(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := Repr(s)
		if !utf8.ValidString(r) {
			t.Fatalf("Repr(%q) = %q is not UTF-8", s, r)
		}
		for _, c := range r {
			if !unicode.IsPrint(c) {
				t.Fatalf("Repr(%q) = %q holds unprintable %U", s, r, c)
			}
		}
		back, err := parseLiteral(r, false)
		if err != nil {
			t.Fatalf("Repr(%q) = %s: %v", s, r, err)
		}
		if want := string([]rune(s)); back != want { // invalid UTF-8 reads as U+FFFD
			t.Fatalf("Repr(%q) = %s reads back as %q", s, r, back)
		}
		if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') != strings.HasPrefix(r, `"`) {
			t.Fatalf("Repr(%q) = %s chose the wrong quote", s, r)
		}

		b := ReprBytes([]byte(s))
		for i := 0; i < len(b); i++ {
			if b[i] < ' ' || b[i] > '~' {
				t.Fatalf("ReprBytes(%q) = %q holds byte %#x", s, b, b[i])
			}
		}
		if !strings.HasPrefix(b, "b") {
			t.Fatalf("ReprBytes(%q) = %s lacks the b prefix", s, b)
		}
		back, err = parseLiteral(b[1:], true)
		if err != nil {
			t.Fatalf("ReprBytes(%q) = %s: %v", s, b, err)
		}
		if back != s {
			t.Fatalf("ReprBytes(%q) = %s reads back as %q", s, b, back)
		}
	})
}

// parseLiteral reads a Python string literal (a bytes literal without its
// b prefix when isBytes) using only the escapes repr writes.
func parseLiteral(lit string, isBytes bool) (string, error) {
	if len(lit) < 2 || (lit[0] != '\'' && lit[0] != '"') || lit[len(lit)-1] != lit[0] {
		return "", errors.New("not quoted")
	}
	quote, body := lit[0], lit[1:len(lit)-1]
	var out strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == quote {
			return "", errors.New("unescaped quote inside")
		}
		if c != '\\' {
			out.WriteByte(c)
			continue
		}
		if i++; i == len(body) {
			return "", errors.New("trailing backslash")
		}
		width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[body[i]]
		if isBytes && width > 2 {
			width = 0
		}
		switch e := body[i]; {
		case e == '\\' || e == '\'' || e == '"':
			out.WriteByte(e)
		case e == 'n' || e == 'r' || e == 't':
			out.WriteByte(map[byte]byte{'n': '\n', 'r': '\r', 't': '\t'}[e])
		case width > 0 && i+width < len(body):
			n, err := strconv.ParseUint(body[i+1:i+1+width], 16, 32)
			if err != nil || body[i+1:i+1+width] != strings.ToLower(body[i+1:i+1+width]) {
				return "", errors.New("bad hex escape " + body[i-1:i+1+width])
			}
			if isBytes {
				out.WriteByte(byte(n))
			} else {
				out.WriteRune(rune(n))
			}
			i += width
		default:
			return "", errors.New("unknown escape " + body[i-1:i+1])
		}
	}
	return out.String(), nil
}
