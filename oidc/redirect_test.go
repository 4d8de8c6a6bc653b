package oidc

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/trustpub/pypi/internal/origin"
)

// TestGitHubNeverRedirectsTheRequestToken: the token endpoint's redirect
// to another host is not followed, so the bearer stays home, and is not
// retried.
func TestGitHubNeverRedirectsTheRequestToken(t *testing.T) {
	t.Parallel()
	var stolen atomic.Int32
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { stolen.Add(1) }))
	t.Cleanup(thief.Close)
	f, srv := newFakeGitHub(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, thief.URL+"/idtoken", http.StatusTemporaryRedirect)
	})
	c := &Config{Getenv: env(githubEnv(srv)), HTTPClient: srv.Client()}
	_, err := c.Token(t.Context(), "pypi")
	var re *origin.RedirectError
	if !errors.As(err, &re) || stolen.Load() != 0 || f.count() != 1 {
		t.Fatalf("Token = %v (%d requests, the other host got %d); want one request, its redirect refused", err, f.count(), stolen.Load())
	}
}
