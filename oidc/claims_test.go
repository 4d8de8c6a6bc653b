package oidc

import (
	"errors"
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

func TestReusableWorkflowWarning(t *testing.T) {
	t.Parallel()
	same, _ := ParseUnverified(readJWT(t, "github.txt"))
	if w := same.ReusableWorkflowWarning(); w != "" {
		t.Errorf("equal refs gave a warning:\n%s", w)
	}
	if w := (Claims{}).ReusableWorkflowWarning(); w != "" {
		t.Errorf("both refs missing gave a warning:\n%s", w)
	}
	reusable, _ := ParseUnverified(readJWT(t, "reusable.txt"))
	want := `The claims in this token suggest that the calling workflow is a reusable workflow.

In particular, this action was initiated by:

    octo/shared/.github/workflows/publish.yml@refs/tags/v1

Whereas its parent workflow is:

    octo/pkg/.github/workflows/release.yml@refs/heads/main

Reusable workflows are **not currently supported** by PyPI's Trusted Publishing
functionality, and are subject to breakage. Users are **strongly encouraged**
to avoid using reusable workflows for Trusted Publishing until support
becomes official. Please, do not report bugs if this breaks.

For more information, see:

* https://docs.pypi.org/trusted-publishers/troubleshooting/#reusable-workflows-on-github
* https://github.com/pypa/gh-action-pypi-publish/issues/166 — subscribe to
  this issue to watch the progress and learn when reusable workflows become
  supported officially`
	if got := reusable.ReusableWorkflowWarning(); got != want {
		t.Errorf("warning:\n%s\nwant:\n%s", got, want)
	}
	onlyOne := Claims{"workflow_ref": "a/b/.github/workflows/x.yml@refs/heads/main"}
	if got := onlyOne.ReusableWorkflowWarning(); !strings.Contains(got, "initiated by:\n\n    None\n") {
		t.Errorf("a missing job_workflow_ref should render as None (Python), got:\n%s", got)
	}
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
		c.ReusableWorkflowWarning()
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
