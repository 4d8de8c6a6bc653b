package mint

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// githubClaims are the claims of a typical GitHub Actions token.
var githubClaims = map[string]any{
	"aud":                 "pypi",
	"exp":                 1700000300,
	"iss":                 "https://token.actions.githubusercontent.com",
	"jti":                 "6f2e1b1c",
	"sub":                 "repo:octo/pkg:ref:refs/heads/main",
	"repository":          "octo/pkg",
	"repository_owner":    "octo",
	"repository_owner_id": "131804563",
	"workflow_ref":        "octo/pkg/.github/workflows/release.yml@refs/heads/main",
	"job_workflow_ref":    "octo/pkg/.github/workflows/release.yml@refs/heads/main",
	"ref":                 "refs/heads/main",
}

// makeJWT builds an unsigned compact JWT with the given claims.
func makeJWT(t testing.TB, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc(payload) + ".c2lnbmF0dXJl"
}

// serve starts a server running h and returns a Config pointing at it.
func serve(t *testing.T, h http.HandlerFunc) (*Config, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &Config{UploadURL: srv.URL + "/legacy/", HTTPClient: srv.Client()}, srv
}

// hostOf is the host and port of c's index.
func hostOf(c *Config) string {
	u, _ := url.Parse(c.UploadURL)
	return u.Host
}

// reply answers every request with status and body.
func reply(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
