package oidc

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// makeJWT builds an unsigned compact JWT with the given claims; the
// signature part is opaque to this package.
func makeJWT(t testing.TB, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc(payload) + ".c2lnbmF0dXJl"
}

// env returns a Getenv that reads vars.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// githubEnv is the environment of a GitHub Actions job with `id-token: write`
// whose token endpoint is srv.
func githubEnv(srv *httptest.Server) map[string]string {
	return map[string]string{
		"GITHUB_ACTIONS":                 "true",
		"ACTIONS_ID_TOKEN_REQUEST_URL":   srv.URL + "/idtoken?api-version=2.0",
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN": "request-token-s3cret",
	}
}

// fakeGitHub is a GitHub-style token endpoint that answers with reply.
type fakeGitHub struct {
	mu       sync.Mutex
	requests []*http.Request
}

func newFakeGitHub(t *testing.T, reply func(w http.ResponseWriter, r *http.Request)) (*fakeGitHub, *httptest.Server) {
	t.Helper()
	f := &fakeGitHub{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests = append(f.requests, r)
		f.mu.Unlock()
		reply(w, r)
	}))
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeGitHub) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

// issuing answers every request with a JWT for the requested audience.
func issuing(t *testing.T, extra map[string]any) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.Header.Get("Authorization"), "bearer request-token-s3cret") {
			http.Error(w, "bad bearer", http.StatusUnauthorized)
			return
		}
		claims := map[string]any{"aud": r.URL.Query().Get("audience"), "exp": 1700000300, "iss": "https://token.actions.githubusercontent.com"}
		for k, v := range extra {
			claims[k] = v
		}
		json.NewEncoder(w).Encode(map[string]any{"value": makeJWT(t, claims), "count": 1})
	}
}
