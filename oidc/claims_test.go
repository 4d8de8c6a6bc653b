package oidc

import (
	"errors"
	"github.com/google/go-cmp/cmp"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trustpub/pypi/internal/pyfmt"
)

func readJWT(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "jwt", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func TestParseUnverified(t *testing.T) {
	t.Parallel()
	c, err := ParseUnverified(readJWT(t, "github.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"repository":          "octo/pkg",
		"repository_owner_id": "131804563",
		"exp":                 "1700000300",
	} {
		if got, ok := c.Get(name); !ok || got != want {
			t.Errorf("Get(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	if _, ok := c.Get("environment"); ok {
		t.Error("Get(environment) reports a claim the token lacks")
	}
	if got, want := c.Expiry(), time.Unix(1700000300, 0); !got.Equal(want) {
		t.Errorf("Expiry() = %v; want %v", got, want)
	}
	if _, err := ParseUnverified(readJWT(t, "padded.txt")); err != nil {
		t.Errorf("padded payload: %v", err)
	}
	for _, bad := range []string{"not-object.txt", "two-parts.txt"} {
		if _, err := ParseUnverified(readJWT(t, bad)); !errors.Is(err, ErrMalformedToken) {
			t.Errorf("%s: err = %v; want ErrMalformedToken", bad, err)
		}
	}
}

func TestClaimsGetPythonRendering(t *testing.T) {
	t.Parallel()
	c, err := ParseUnverified(readJWT(t, "unicode.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"sub":            `café 'q'`,
		"email_verified": "True",
		"x":              "{'a': [1.5], 'b': 1}",
	} {
		if got, _ := c.Get(name); got != want {
			t.Errorf("Get(%q) = %q; want %q", name, got, want)
		}
	}
	p, _ := ParseUnverified(readJWT(t, "padded.txt"))
	if got, want := pyfmt.Str(p["n"]), "[1, True, None]"; got != want {
		t.Errorf("list = %q; want %q", got, want)
	}
}

func TestReusableWorkflow(t *testing.T) {
	t.Parallel()
	type result struct {
		Called, Caller string
		OK             bool
	}
	check := func(name string, c Claims, want result) {
		t.Helper()
		var got result
		got.Called, got.Caller, got.OK = c.ReusableWorkflow()
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: ReusableWorkflow() (-want +got):\n%s", name, diff)
		}
	}
	same, _ := ParseUnverified(readJWT(t, "github.txt"))
	check("equal refs", same, result{})
	check("both refs missing", Claims{}, result{})
	reusable, _ := ParseUnverified(readJWT(t, "reusable.txt"))
	check("reusable", reusable, result{"octo/shared/.github/workflows/publish.yml@refs/tags/v1", "octo/pkg/.github/workflows/release.yml@refs/heads/main", true})
	// A missing claim renders as Python's None.
	check("only workflow_ref", Claims{"workflow_ref": "a/b/.github/workflows/x.yml@refs/heads/main"},
		result{"None", "a/b/.github/workflows/x.yml@refs/heads/main", true})
}

func FuzzParseUnverified(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "jwt"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		f.Add(readJWT(f, e.Name()))
	}
	f.Fuzz(func(t *testing.T, jwt string) {
		c, err := ParseUnverified(jwt)
		if err != nil {
			if !errors.Is(err, ErrMalformedToken) {
				t.Fatalf("error %v does not wrap ErrMalformedToken", err)
			}
			switch err.Error() {
			case "oidc: malformed token: not three dot-separated parts",
				"oidc: malformed token: payload is not base64url",
				"oidc: malformed token: payload is not JSON",
				"oidc: malformed token: payload is not a JSON object":
			default: // anything else might quote the token
				t.Fatalf("unexpected error text %q", err)
			}
			return
		}
		for name := range c {
			c.Get(name)
		}
		c.Expiry()
		c.ReusableWorkflow()
	})
}

func BenchmarkParseUnverified(b *testing.B) {
	jwt := readJWT(b, "github.txt")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseUnverified(jwt); err != nil {
			b.Fatal(err)
		}
	}
}
