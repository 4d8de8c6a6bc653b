package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestNotInCI(t *testing.T) {
	t.Parallel()
	c := &Config{Getenv: env(nil), ReadFile: func(string) ([]byte, error) { return nil, os.ErrNotExist }}
	if _, err := c.Token(t.Context(), "pypi"); err != ErrNoAmbientCredential {
		t.Errorf("Token: err = %v; want ErrNoAmbientCredential", err)
	}
	if _, err := c.TokenSource(t.Context(), "pypi"); err != ErrNoAmbientCredential {
		t.Errorf("TokenSource: err = %v; want ErrNoAmbientCredential", err)
	}
	want := "oidc: no OIDC token discovered: are you in a supported trusted publishing environment?"
	if got := ErrNoAmbientCredential.Error(); got != want {
		t.Errorf("ErrNoAmbientCredential = %q; want %q", got, want)
	}
}

func TestDetection(t *testing.T) {
	t.Parallel()
	notGoogle := func(string) ([]byte, error) { return []byte("Standard PC\n"), nil }
	tests := []struct {
		vars map[string]string
		want Provider
	}{
		{nil, ""},
		{map[string]string{"GITHUB_ACTIONS": "true"}, ProviderGitHub},
		// Like the PyPI package id (and unlike ambient-id), any non-empty value counts.
		{map[string]string{"GITHUB_ACTIONS": "false"}, ProviderGitHub},
		{map[string]string{"GOOGLE_SERVICE_ACCOUNT_NAME": "sa@p.iam.gserviceaccount.com"}, ProviderGCP},
		{map[string]string{"BUILDKITE": "true"}, ProviderBuildkite},
		{map[string]string{"GITLAB_CI": "true"}, ProviderGitLab},
		{map[string]string{"CIRCLECI": "true"}, ProviderCircleCI},
		{map[string]string{"GITLAB_CI": "true", "BUILDKITE": "true", "GITHUB_ACTIONS": "true"}, ProviderGitHub},
		{map[string]string{"GITLAB_CI": "true", "BUILDKITE": "true"}, ProviderBuildkite},
	}
	for _, tt := range tests {
		c := &Config{Getenv: env(tt.vars), ReadFile: notGoogle}
		if got := c.Provider(); got != tt.want {
			t.Errorf("Provider() with %v = %q; want %q", tt.vars, got, tt.want)
		}
	}
	for _, name := range []string{"Google", "Google Compute Engine\n"} {
		c := &Config{Getenv: env(nil), ReadFile: func(string) ([]byte, error) { return []byte(name), nil }}
		if got := c.Provider(); got != ProviderGCP {
			t.Errorf("Provider() with product name %q = %q; want GCP", name, got)
		}
	}
}

func TestGitLabTokenVariable(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"pypi":                 "PYPI_ID_TOKEN",
		"testpypi":             "TESTPYPI_ID_TOKEN",
		"http://test.audience": "HTTP___TEST_AUDIENCE_ID_TOKEN",
		"1pypi":                "_PYPI_ID_TOKEN",
		"py-pi_2":              "PY_PI_2_ID_TOKEN",
		"é":                    "__ID_TOKEN", // one character, as Python's regexp sees it
	}
	for aud, want := range tests {
		if got := gitlabTokenVariable(aud); got != want {
			t.Errorf("gitlabTokenVariable(%q) = %q; want %q", aud, got, want)
		}
	}
}

func TestGitLab(t *testing.T) {
	t.Parallel()
	jwt := makeJWT(t, map[string]any{"aud": "testpypi", "exp": 1700000000})
	c := &Config{Getenv: env(map[string]string{"GITLAB_CI": "true", "TESTPYPI_ID_TOKEN": jwt})}
	tok, err := c.Token(t.Context(), "testpypi")
	if err != nil || tok.AccessToken != jwt {
		t.Fatalf("Token(testpypi) = %v, %v; want the TESTPYPI_ID_TOKEN value", tok != nil, err)
	}
	_, err = c.Token(t.Context(), "pypi")
	if got, want := errText(err), "oidc: OpenID Connect token retrieval failed: GitLab: Environment variable PYPI_ID_TOKEN not found"; got != want {
		t.Errorf("error = %q; want %q", got, want)
	}
}

// tool writes an executable shell script named name into a new directory
// and returns the directory, to be used as PATH.
func tool(t *testing.T, name, script string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCITools(t *testing.T) {
	t.Parallel()
	jwt := makeJWT(t, map[string]any{"aud": "pypi", "exp": 1700000000})
	tests := []struct {
		name, marker, tool, script, detail string
		wantArgs                           string
	}{
		{name: "buildkite ok", marker: "BUILDKITE", tool: "buildkite-agent",
			script:   `echo "$@" > "$(dirname "$0")/args"; printf '  ` + jwt + `\n\n'`,
			wantArgs: "oidc request-token --audience pypi"},
		{name: "buildkite missing", marker: "BUILDKITE", tool: "other",
			detail: "Buildkite: could not find Buildkite agent in Buildkite environment"},
		{name: "buildkite fails", marker: "BUILDKITE", tool: "buildkite-agent",
			script: "echo ' fatal: not authorized '; echo noise >&2; exit 3",
			detail: "Buildkite: the Buildkite agent encountered an error: fatal: not authorized"},
		{name: "circleci ok", marker: "CIRCLECI", tool: "circleci",
			script:   `echo "$@" > "$(dirname "$0")/args"; echo ` + jwt,
			wantArgs: `run oidc get --claims {"aud":"pypi"} --root-issuer`},
		{name: "circleci missing", marker: "CIRCLECI", tool: "other",
			detail: "CircleCI: could not find `circleci` in the environment"},
		{name: "circleci fails", marker: "CIRCLECI", tool: "circleci",
			script: "echo 'Error: no OIDC token in this job' >&2; exit 1",
			detail: "CircleCI: the `circleci` tool encountered an error: Error: no OIDC token in this job"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := tool(t, tt.tool, tt.script)
			c := &Config{Getenv: env(map[string]string{tt.marker: "true", "PATH": dir})}
			tok, err := c.Token(t.Context(), "pypi")
			if tt.detail != "" {
				if got, want := errText(err), "oidc: OpenID Connect token retrieval failed: "+tt.detail; got != want {
					t.Errorf("error = %q; want %q", got, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken != jwt {
				t.Error("token is not the tool's trimmed output")
			}
			args, err := os.ReadFile(filepath.Join(dir, "args"))
			if got := strings.TrimSpace(string(args)); err != nil || got != tt.wantArgs {
				t.Errorf("tool arguments = %q (%v); want %q", got, err, tt.wantArgs)
			}
		})
	}
}

func TestCommandHook(t *testing.T) {
	t.Parallel()
	jwt := makeJWT(t, map[string]any{"aud": "pypi"})
	dir := tool(t, "buildkite-agent", `echo "$TOKEN_FROM_HOOK"`)
	var ran string
	c := &Config{
		Getenv: env(map[string]string{"BUILDKITE": "true", "PATH": dir}),
		Command: func(ctx context.Context, path string, args ...string) *exec.Cmd {
			ran = path
			cmd := exec.CommandContext(ctx, path, args...)
			cmd.Env = []string{"TOKEN_FROM_HOOK=" + jwt}
			return cmd
		},
	}
	tok, err := c.Token(t.Context(), "pypi")
	if err != nil || tok.AccessToken != jwt {
		t.Fatalf("Token = %v; want the token the hook's command printed", err)
	}
	if want := filepath.Join(dir, "buildkite-agent"); ran != want {
		t.Errorf("hook ran %q; want %q", ran, want)
	}
}

// rewrite sends every request to srv, keeping its path and query, so that
// fixed Google URLs reach the fake.
type rewrite struct{ srv *httptest.Server }

func (rw rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	u, _ := url.Parse(rw.srv.URL)
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = u.Scheme, u.Host
	return rw.srv.Client().Transport.RoundTrip(r)
}

func TestGCP(t *testing.T) {
	t.Parallel()
	google := func(string) ([]byte, error) { return []byte("Google Compute Engine\n"), nil }
	t.Run("metadata identity", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Metadata-Flavor") != "Google" || r.URL.Path != "/computeMetadata/v1/instance/service-accounts/default/identity" || r.URL.Query().Get("format") != "full" {
				http.Error(w, "bad request", 400)
				return
			}
			fmt.Fprint(w, makeJWT(t, map[string]any{"aud": r.URL.Query().Get("audience")}))
		}))
		defer srv.Close()
		host := strings.TrimPrefix(srv.URL, "http://")
		c := &Config{Getenv: env(map[string]string{"GCE_METADATA_HOST": host}), ReadFile: google, HTTPClient: srv.Client()}
		if _, err := c.Token(t.Context(), "pypi"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("metadata failure", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "nope", 404) }))
		defer srv.Close()
		c := &Config{Getenv: env(map[string]string{"GCE_METADATA_HOST": strings.TrimPrefix(srv.URL, "http://")}), ReadFile: google, HTTPClient: srv.Client()}
		_, err := c.Token(t.Context(), "pypi")
		if got, want := errText(err), `oidc: OpenID Connect token retrieval failed: GCP: OIDC token request failed (code=404, body='nope\n')`; got != want {
			t.Errorf("error = %q; want %q", got, want)
		}
	})
	t.Run("impersonation", func(t *testing.T) {
		t.Parallel()
		const account = "publisher@proj.iam.gserviceaccount.com"
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/computeMetadata/v1/instance/service-accounts/default/token":
				fmt.Fprint(w, `{"access_token": "gcp-access-s3cret", "expires_in": 3599}`)
			case "/v1/projects/-/serviceAccounts/" + account + ":generateIdToken":
				var body struct {
					Audience     string `json:"audience"`
					IncludeEmail bool   `json:"includeEmail"`
				}
				if r.Header.Get("Authorization") != "Bearer gcp-access-s3cret" || json.NewDecoder(r.Body).Decode(&body) != nil || !body.IncludeEmail {
					http.Error(w, "denied", http.StatusForbidden)
					return
				}
				fmt.Fprintf(w, `{"token": %q}`, makeJWT(t, map[string]any{"aud": body.Audience}))
			default:
				http.NotFound(w, r)
			}
		}))
		defer srv.Close()
		var masked []string
		c := &Config{
			Getenv:     env(map[string]string{"GOOGLE_SERVICE_ACCOUNT_NAME": account}),
			HTTPClient: &http.Client{Transport: rewrite{srv}},
			Masker:     func(s string) { masked = append(masked, s) },
		}
		tok, err := c.Token(t.Context(), "pypi")
		if err != nil {
			t.Fatal(err)
		}
		if len(masked) != 2 || masked[0] != "gcp-access-s3cret" || masked[1] != tok.AccessToken {
			t.Errorf("masked %d secrets; want the access token, then the JWT", len(masked))
		}
	})
	t.Run("impersonation without access token", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{}`) }))
		defer srv.Close()
		c := &Config{Getenv: env(map[string]string{"GOOGLE_SERVICE_ACCOUNT_NAME": "sa"}), HTTPClient: &http.Client{Transport: rewrite{srv}}}
		_, err := c.Token(t.Context(), "pypi")
		if got, want := errText(err), "oidc: OpenID Connect token retrieval failed: GCP: access token missing from response"; got != want {
			t.Errorf("error = %q; want %q", got, want)
		}
		if !errors.As(err, new(*AmbientError)) {
			t.Error("not an *AmbientError")
		}
	})
}
