package oidc

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestGitHubToken(t *testing.T) {
	t.Parallel()
	for _, audience := range []string{"pypi", "testpypi", "needs encoding & more/?=é"} {
		t.Run(audience, func(t *testing.T) {
			t.Parallel()
			fake, srv := newFakeGitHub(t, issuing(t, nil))
			var masked []string
			c := &Config{Getenv: env(githubEnv(srv)), HTTPClient: srv.Client(), Masker: func(s string) { masked = append(masked, s) }}
			tok, err := c.Token(t.Context(), audience)
			if err != nil {
				t.Fatal(err)
			}
			r := fake.requests[0]
			if got := r.URL.Query().Get("api-version"); got != "2.0" {
				t.Errorf("api-version = %q; want the URL's own 2.0 kept", got)
			}
			if got := r.URL.Query().Get("audience"); got != audience {
				t.Errorf("audience = %q; want %q", got, audience)
			}
			if got := r.Header.Get("Authorization"); got != "bearer request-token-s3cret" {
				t.Errorf("Authorization = %q", got)
			}
			claims, err := ParseUnverified(tok.AccessToken)
			if err != nil {
				t.Fatal(err)
			}
			if aud, _ := claims.Get("aud"); aud != audience {
				t.Errorf("token aud = %q; want %q", aud, audience)
			}
			if want := time.Unix(1700000300, 0); !tok.Expiry.Equal(want) {
				t.Errorf("Expiry = %v; want %v (the exp claim)", tok.Expiry, want)
			}
			if len(masked) != 1 || masked[0] != tok.AccessToken {
				t.Errorf("Masker saw %d secrets; want exactly the JWT", len(masked))
			}
		})
	}
}

func TestTokenSourceNeverCaches(t *testing.T) {
	t.Parallel()
	fake, srv := newFakeGitHub(t, issuing(t, nil))
	ts, err := (&Config{Getenv: env(githubEnv(srv)), HTTPClient: srv.Client()}).TokenSource(t.Context(), "pypi")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := ts.Token(); err != nil {
			t.Fatal(err)
		}
	}
	if n := fake.count(); n != 3 {
		t.Errorf("3 Token calls made %d requests; want 3 (a JWT is single-use)", n)
	}
}

const permissionText = `oidc: OpenID Connect token retrieval failed: GitHub: missing or insufficient OIDC token permissions, the %s environment variable was unset`

func TestGitHubMissingPermission(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, unset string
	}{
		{"no request token", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"},
		{"no request URL", "ACTIONS_ID_TOKEN_REQUEST_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{
				"GITHUB_ACTIONS":                 "true",
				"ACTIONS_ID_TOKEN_REQUEST_URL":   "https://example.invalid/idtoken?api-version=2.0",
				"ACTIONS_ID_TOKEN_REQUEST_TOKEN": "request-token-s3cret",
			}
			delete(vars, tt.unset)
			_, err := (&Config{Getenv: env(vars)}).Token(t.Context(), "pypi")
			if got, want := errText(err), strings.Replace(permissionText, "%s", tt.unset, 1); got != want {
				t.Errorf("error:\n%s\nwant:\n%s", got, want)
			}
			if !errors.Is(err, ErrMissingIDTokenPermission) || errors.Is(err, ErrForkPR) {
				t.Errorf("errors.Is(ErrMissingIDTokenPermission, ErrForkPR) = %v, %v; want true, false",
					errors.Is(err, ErrMissingIDTokenPermission), errors.Is(err, ErrForkPR))
			}
		})
	}
}

func TestGitHubForkPullRequest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fork := write("fork.json", `{"pull_request": {"head": {"repo": {"fork": true}}}}`)
	tests := []struct {
		name      string
		event     string
		eventPath string
		fork      bool
	}{
		{"fork pull request", "pull_request", fork, true},
		{"same-repo pull request", "pull_request", write("same.json", `{"pull_request": {"head": {"repo": {"fork": false}}}}`), false},
		{"push event with a fork payload", "push", fork, false},
		{"no GITHUB_EVENT_PATH", "pull_request", "", false},
		{"event file missing", "pull_request", filepath.Join(dir, "absent.json"), false},
		{"invalid JSON", "pull_request", write("bad.json", `{"pull_request": `), false},
		{"missing key", "pull_request", write("nokey.json", `{"pull_request": {"head": {}}}`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{
				"GITHUB_ACTIONS":    "true",
				"GITHUB_EVENT_NAME": tt.event,
				"GITHUB_EVENT_PATH": tt.eventPath,
			}
			_, err := (&Config{Getenv: env(vars)}).Token(t.Context(), "pypi")
			want := strings.Replace(permissionText, "%s", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", 1)
			if got := errText(err); got != want {
				t.Errorf("error:\n%s\nwant:\n%s", got, want)
			}
			if errors.Is(err, ErrForkPR) != tt.fork {
				t.Errorf("errors.Is(err, ErrForkPR) = %v; want %v", !tt.fork, tt.fork)
			}
		})
	}
}

func TestGitHubEndpointFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		reply    func(w http.ResponseWriter, r *http.Request)
		detail   string
		attempts int
	}{
		{"401", status(401, "Unauthorized"), "GitHub: OIDC token request failed (code=401, body='Unauthorized')", 1},
		{"403", status(403, `{"message":"it's forbidden"}`), `GitHub: OIDC token request failed (code=403, body='{"message":"it\'s forbidden"}')`, 1},
		{"500 every time", status(500, "boom"), "GitHub: OIDC token request failed (code=500, body='boom')", maxAttempts},
		{"no value", status(200, `{"count": 1}`), "GitHub: malformed or incomplete JSON", 1},
		{"value not a string", status(200, `{"value": 42}`), "GitHub: malformed or incomplete JSON", 1},
		{"not JSON", status(200, `<html>`), "GitHub: malformed or incomplete JSON", 1},
		{"body echoes the bearer", status(400, "bad request-token-s3cret"), "GitHub: OIDC token request failed (code=400, body='bad [redacted]')", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake, srv := newFakeGitHub(t, tt.reply)
			_, err := (&Config{Getenv: env(githubEnv(srv)), HTTPClient: srv.Client()}).Token(t.Context(), "pypi")
			want := "oidc: OpenID Connect token retrieval failed: " + tt.detail
			if got := errText(err); got != want {
				t.Errorf("error:\n%s\nwant:\n%s", got, want)
			}
			if n := fake.count(); n != tt.attempts {
				t.Errorf("%d requests; want %d", n, tt.attempts)
			}
		})
	}
}

func status(code int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(code)
		w.Write([]byte(body))
	}
}

func TestGitHubRetriesThenSucceeds(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	issue := issuing(t, nil)
	fake, srv := newFakeGitHub(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		issue(w, r)
	})
	if _, err := (&Config{Getenv: env(githubEnv(srv)), HTTPClient: srv.Client()}).Token(t.Context(), "pypi"); err != nil {
		t.Fatal(err)
	}
	if n := fake.count(); n != 2 {
		t.Errorf("%d requests; want 2", n)
	}
	for i, r := range fake.requests {
		if n := len(r.Header.Values("Authorization")); n != 1 {
			t.Errorf("request %d has %d Authorization headers; want 1", i, n)
		}
	}
}

func TestGitHubTimeout(t *testing.T) {
	t.Parallel()
	_, srv := newFakeGitHub(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := (&Config{Getenv: env(githubEnv(srv)), HTTPClient: srv.Client()}).Token(ctx, "pypi")
	want := "oidc: OpenID Connect token retrieval failed: GitHub: OIDC token request timed out"
	if got := errText(err); got != want {
		t.Errorf("error:\n%s\nwant:\n%s", got, want)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error does not wrap context.DeadlineExceeded: %#v", err)
	}
}

func TestGitHubConnectionRefused(t *testing.T) {
	t.Parallel()
	_, srv := newFakeGitHub(t, status(200, ""))
	vars := githubEnv(srv)
	srv.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := (&Config{Getenv: env(vars)}).Token(ctx, "pypi")
	var ae *AmbientError
	if !errors.As(err, &ae) || !strings.HasPrefix(ae.Detail, "GitHub: OIDC token request") {
		t.Fatalf("err = %v; want an AmbientError about the request", err)
	}
}

// errText is err's message, or "<nil>".
func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
