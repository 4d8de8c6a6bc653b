package oidc

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestTokenChecks(t *testing.T) {
	t.Parallel()
	enc := base64.RawURLEncoding.EncodeToString
	header := enc([]byte(`{"alg":"RS256"}`))
	padded := base64.URLEncoding.EncodeToString([]byte(`{"aud":"pypi","x":1}`)) // "...fQ==" style padding
	tests := []struct {
		name, jwt, detail string
	}{
		{"two parts", header + "." + enc([]byte(`{"aud":"pypi"}`)), "Malformed token"},
		{"four parts", header + "." + enc([]byte(`{"aud":"pypi"}`)) + ".sig.extra", "Malformed token"},
		{"bad base64", header + ".!!!notbase64.sig", "Malformed token"},
		{"impossible length", header + ".eyJhdWQiOiJweXBpIn0a.sig", "Malformed token"},
		{"padding in the middle", header + ".eyJh=dWQiOiJweXBpIn0.sig", "Malformed token"},
		{"standard alphabet", header + "." + base64.StdEncoding.EncodeToString([]byte(`{"aud":"pypi?>>"}`)) + ".sig", "Malformed token"},
		{"not JSON", header + "." + enc([]byte(`aud=pypi`)) + ".sig", "Malformed token"},
		{"payload a list", header + "." + enc([]byte(`["pypi"]`)) + ".sig", "Malformed token payload (JWT is not a JSON object)"},
		{"no aud", header + "." + enc([]byte(`{"sub":"x"}`)) + ".sig", "Malformed token payload (audience claim is missing)"},
		{"aud mismatch", header + "." + enc([]byte(`{"aud":"testpypi"}`)) + ".sig", "Token audience claim mismatch (expected pypi, got testpypi)"},
		{"aud array", header + "." + enc([]byte(`{"aud":["pypi","other"]}`)) + ".sig", "Token audience claim mismatch (expected pypi, got ['pypi', 'other'])"},
		{"aud null", header + "." + enc([]byte(`{"aud":null}`)) + ".sig", "Token audience claim mismatch (expected pypi, got None)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, srv := newFakeGitHub(t, func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(`{"value": "` + tt.jwt + `"}`))
			})
			_, err := (&Config{Getenv: env(githubEnv(srv)), HTTPClient: srv.Client()}).Token(t.Context(), "pypi")
			want := "oidc: OpenID Connect token retrieval failed: " + tt.detail
			if got := errText(err); got != want {
				t.Errorf("error:\n%s\nwant:\n%s", got, want)
			}
			if !errors.Is(err, ErrMalformedToken) {
				t.Error("errors.Is(err, ErrMalformedToken) = false")
			}
			if strings.Contains(errText(err), tt.jwt) {
				t.Error("error contains the token")
			}
		})
	}
	t.Run("padded payload accepted", func(t *testing.T) {
		t.Parallel()
		_, srv := newFakeGitHub(t, func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"value": "` + header + "." + padded + `.sig"}`))
		})
		if _, err := (&Config{Getenv: env(githubEnv(srv)), HTTPClient: srv.Client()}).Token(t.Context(), "pypi"); err != nil {
			t.Fatal(err)
		}
	})
}
