package redact

import (
	"strings"
	"testing"
)

// FuzzString checks that no text, however hostile, gets a secret through
// String, nor makes it fail.
func FuzzString(f *testing.F) {
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
	})
}
