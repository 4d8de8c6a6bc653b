package oidc_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/trustpub/pypi/oidc"
)

// A stand-in for GitHub's token endpoint, which hands a job with
// `id-token: write` a JWT for the audience it asks for.
func fakeGitHubEndpoint() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, _ := json.Marshal(map[string]any{
			"aud":        r.URL.Query().Get("audience"),
			"exp":        1700000300,
			"repository": "octo/pkg",
		})
		enc := base64.RawURLEncoding.EncodeToString
		jwt := enc([]byte(`{"alg":"RS256"}`)) + "." + enc(claims) + ".sig"
		json.NewEncoder(w).Encode(map[string]string{"value": jwt})
	}))
}

func ExampleConfig_TokenSource() {
	srv := fakeGitHubEndpoint()
	defer srv.Close()

	// What the runner sets for a job with `id-token: write`.
	env := map[string]string{
		"GITHUB_ACTIONS":                 "true",
		"ACTIONS_ID_TOKEN_REQUEST_URL":   srv.URL + "/idtoken?api-version=2.0",
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN": "runner-secret",
	}
	c := &oidc.Config{
		Getenv:     func(k string) string { return env[k] },
		HTTPClient: srv.Client(),
		Masker:     func(secret string) { fmt.Println("::add-mask::<the JWT>") },
	}
	ts, err := c.TokenSource(context.Background(), "pypi")
	if err != nil {
		fmt.Println(err)
		return
	}
	tok, err := ts.Token()
	if err != nil {
		fmt.Println(err)
		return
	}
	claims, _ := oidc.ParseUnverified(tok.AccessToken)
	aud, _ := claims.Get("aud")
	repo, _ := claims.Get("repository")
	fmt.Println(c.Provider(), aud, repo, tok.Expiry.Unix())
	// Output:
	// ::add-mask::<the JWT>
	// GitHub pypi octo/pkg 1700000300
}

func ExampleConfig_Token_missingPermission() {
	// A GitHub Actions job without `id-token: write` gets no request URL.
	c := &oidc.Config{Getenv: func(k string) string {
		if k == "GITHUB_ACTIONS" {
			return "true"
		}
		return ""
	}}
	_, err := c.Token(context.Background(), "pypi")
	fmt.Println(errors.Is(err, oidc.ErrMissingIDTokenPermission))
	fmt.Println(err)
	// Output:
	// true
	// oidc: OpenID Connect token retrieval failed: GitHub: missing or insufficient OIDC token permissions, the ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable was unset
}
