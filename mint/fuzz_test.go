package mint

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzResponses feeds arbitrary bodies to the judges of both endpoints'
// responses: they must classify every body, never panic, and never put the
// identity token into an error.
func FuzzResponses(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "mint"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		body, err := os.ReadFile(filepath.Join("testdata", "mint", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		for _, status := range []int{200, 403, 404, 422, 502} {
			f.Add(status, body)
		}
	}
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJweXBpIn0.c2ln"
	kinds := []error{ErrAudienceForbidden, ErrAudienceNotFound, ErrMintRejected, ErrBadResponse}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		c := &Config{}
		check := func(err error) {
			if err == nil {
				return
			}
			classified := false
			for _, k := range kinds {
				classified = classified || errors.Is(err, k)
			}
			if !classified {
				t.Fatalf("unclassified error %v", err)
			}
			if msg := err.Error(); strings.Contains(msg, jwt) || strings.Contains(msg, "\n") {
				t.Fatalf("error %q contains the identity token or a newline", msg)
			}
		}
		_, err := audienceResult("pypi.example", status, body)
		check(err)
		tok, err := c.mintResult("pypi.example", status, body, jwt)
		check(err)
		if err == nil && (tok.AccessToken == "" || tok.Expiry.IsZero() || status < 200 || status > 299) {
			t.Fatalf("status %d accepted with token %v", status, tok)
		}
	})
}
