package redact

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzString checks that no text, however hostile, gets a secret through
// String, nor makes it fail. Seeds are the testdata/echoes files (answers
// echoing the test token) and the token in each shape.
func FuzzString(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "echoes", "*"))
	if len(paths) == 0 {
		f.Fatal("no seeds in testdata/echoes")
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, shape := range shapes(token) {
		f.Add("<p>" + shape + "</p>")
	}
	f.Add("%%%&#;&#x;\\u12<<>")
	f.Fuzz(func(t *testing.T, text string) {
		var set Set
		set.Add(token)
		got := set.String(text + token[:Window])
		if strings.Contains(got, token[:Window]) {
			t.Fatalf("String(%q) = %q: the secret shows", text, got)
		}
		if w := leaks(set.String(text), token); w != "" {
			t.Fatalf("String(%q) still shows %q", text, w)
		}
	})
}
