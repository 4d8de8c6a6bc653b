package oidc

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/trustpub/pypi/internal/bounded"
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

// TestGitHubAnswerOverCap: an endless answer is cut at 1 MiB with an
// error naming the URL and the cap, and not asked again.
func TestGitHubAnswerOverCap(t *testing.T) {
	t.Parallel()
	f, srv := newFakeGitHub(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"value": "`)
		for range 3 << 10 {
			io.WriteString(w, strings.Repeat("a", 1<<10))
		}
	})
	c := &Config{Getenv: env(githubEnv(srv)), HTTPClient: srv.Client()}
	_, err := c.Token(t.Context(), "pypi")
	var be *bounded.Error
	if !errors.As(err, &be) || f.count() != 1 || !strings.Contains(err.Error(), "/idtoken?api-version=2.0&audience=pypi: the answer is longer than the 1 MiB cap") {
		t.Errorf("err = %v (%d requests); want the cap named, once", err, f.count())
	}
}
