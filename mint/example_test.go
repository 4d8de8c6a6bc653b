package mint_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/mint"
	"github.com/trustpub/pypi/oidc"
)

// A stand-in for PyPI's two Trusted Publishing endpoints and GitHub's
// token endpoint.
func fakePyPI() *httptest.Server {
	mux := http.NewServeMux()
	// GitHub's token endpoint, for a job with `id-token: write`.
	mux.HandleFunc("GET /idtoken", func(w http.ResponseWriter, r *http.Request) {
		claims, _ := json.Marshal(map[string]any{"aud": r.URL.Query().Get("audience"), "repository": "octo/pkg"})
		enc := base64.RawURLEncoding.EncodeToString
		json.NewEncoder(w).Encode(map[string]string{"value": enc([]byte(`{"alg":"RS256"}`)) + "." + enc(claims) + ".sig"})
	})
	mux.HandleFunc("GET /_/oidc/audience", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"audience": "pypi"}`)
	})
	mux.HandleFunc("POST /_/oidc/mint-token", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Token string }
		json.NewDecoder(r.Body).Decode(&req)
		if req.Token == "not-a-jwt" {
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprint(w, `{"message": "Token request failed", "errors": [{"code": "invalid-payload", "description": "malformed JWT"}]}`)
			return
		}
		fmt.Fprint(w, `{"success": true, "token": "pypi-AgEIcHlwaS5vcmc", "expires": 1764073800}`)
	})
	return httptest.NewServer(mux)
}

// identity stands for an oidc TokenSource: a fresh CI JWT on every call.
type identity struct{}

func (identity) Token() (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJweXBpIn0.c2ln"}, nil
}

func ExampleConfig_TokenSource() {
	srv := fakePyPI()
	defer srv.Close()

	c := &mint.Config{
		UploadURL:  srv.URL + "/legacy/", // Real code: "" for PyPI.
		HTTPClient: srv.Client(),
		Now:        func() time.Time { return time.Unix(1764072900, 0) },
		Masker:     func(string) { fmt.Println("::add-mask::<the token>") },
	}
	ctx := context.Background()
	aud, err := c.Audience(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("audience:", aud)

	// Real code: identity, err := new(oidc.Config).TokenSource(ctx, aud).
	tok, err := c.TokenSource(ctx, identity{}).Token()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tok.AccessToken, tok.Expiry.Unix())
	// Output:
	// audience: pypi
	// ::add-mask::<the token>
	// ::add-mask::<the token>
	// pypi-AgEIcHlwaS5vcmc 1764073800
}

func ExampleConfig_Mint_rejected() {
	srv := fakePyPI()
	defer srv.Close()
	c := &mint.Config{UploadURL: srv.URL + "/legacy/", HTTPClient: srv.Client()}

	_, err := c.Mint(context.Background(), "not-a-jwt")
	var me *mint.Error
	if errors.As(err, &me) {
		fmt.Println(me.Status, me.Reasons[0].Code, errors.Is(err, mint.ErrMintRejected))
	}
	// Output:
	// 422 invalid-payload true
}

func ExampleConfig_TrustedPublishing() {
	srv := fakePyPI()
	defer srv.Close()
	// What the runner sets for a GitHub Actions job with `id-token: write`.
	env := map[string]string{
		"GITHUB_ACTIONS":                 "true",
		"ACTIONS_ID_TOKEN_REQUEST_URL":   srv.URL + "/idtoken?api-version=2.0",
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN": "runner-secret",
	}
	ci := &oidc.Config{Getenv: func(k string) string { return env[k] }, HTTPClient: srv.Client()}
	// Real code: mint.Config{} for PyPI, and new(oidc.Config).
	c := &mint.Config{UploadURL: srv.URL + "/legacy/", HTTPClient: srv.Client()}

	tokens, claims, err := c.TrustedPublishing(context.Background(), ci)
	if err != nil {
		fmt.Println(err)
		return
	}
	repo, _ := claims.Get("repository")
	_, _, reusable := claims.ReusableWorkflow()
	tok, _ := tokens.Token() // the token minted already, reused
	fmt.Println(ci.Provider(), repo, reusable, tok.AccessToken)
	// Output:
	// GitHub octo/pkg false pypi-AgEIcHlwaS5vcmc
}
