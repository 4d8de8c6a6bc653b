package mint

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/trustpub/pypi/internal/testenv"
	"github.com/trustpub/pypi/oidc"
)

// TestNoSecretInErrorsLogsOrFormatting runs the whole exchange (a GitHub
// token endpoint, then the index) through success and every failure, with
// debug logging on, and looks for the secrets everywhere a caller could
// print them.
func TestNoSecretInErrorsLogsOrFormatting(t *testing.T) {
	t.Parallel()
	const requestToken = "ghs-request-token-s3cret"
	const pypiToken = "pypi-AgEIcHlwaS5vcmcCJGNhZmVmYWNl"
	echoJWT := func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Token string }
		json.NewDecoder(r.Body).Decode(&body)
		warehouse422("invalid-payload", "1 validation error for TokenPayload\ninput_value='"+body.Token+"'")(w, r)
	}
	indexes := map[string]http.HandlerFunc{
		"success":             reply(200, "application/json", `{"success":true,"token":"`+pypiToken+`","expires":1764072900}`),
		"refusal echoes JWT":  echoJWT,
		"non-JSON with token": reply(502, "text/html", "<p>"+pypiToken+"</p>"),
		"no token":            reply(200, "application/json", `{"success":true,"tokens":"`+pypiToken+`"}`),
		"no reasons":          reply(422, "application/json", `{"message":"`+pypiToken+`"}`),
	}
	for name, h := range indexes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			gh, lastJWT := fakeGitHubEndpoint(t)
			var logs testenv.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			var masked []string
			mask := func(s string) { masked = append(masked, s) }
			env := map[string]string{
				"GITHUB_ACTIONS":                 "true",
				"ACTIONS_ID_TOKEN_REQUEST_URL":   gh.URL + "/idtoken?api-version=2.0",
				"ACTIONS_ID_TOKEN_REQUEST_TOKEN": requestToken,
			}
			oc := &oidc.Config{Getenv: func(k string) string { return env[k] }, HTTPClient: gh.Client(), Masker: mask, Logger: logger}
			identity, err := oc.TokenSource(t.Context(), "pypi")
			if err != nil {
				t.Fatal(err)
			}
			c, _ := serve(t, h)
			c.Masker, c.Logger = mask, logger
			ts := c.TokenSource(t.Context(), identity)
			tok, err := ts.Token()

			secrets := []string{requestToken, pypiToken, lastJWT()}
			var printed []string
			for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
				printed = append(printed, fmt.Sprintf(verb, err), fmt.Sprintf(verb, ts), fmt.Sprintf(verb, identity), fmt.Sprintf(verb, c))
			}
			printed = append(printed, logs.String())
			for _, p := range printed {
				for _, s := range secrets {
					if s == "" {
						t.Fatal("a secret is empty; the test would prove nothing")
					}
					if strings.Contains(p, s) {
						t.Errorf("a secret (%.12s...) appears in output:\n%s", s, p)
					}
				}
			}
			if logs.String() == "" {
				t.Error("no debug log was written; the test would prove nothing")
			}
			if name == "success" {
				if err != nil || tok.AccessToken != pypiToken {
					t.Fatalf("Token = %v; want the minted token", err)
				}
				if len(masked) < 2 || masked[0] != secrets[2] || masked[len(masked)-1] != pypiToken {
					t.Errorf("masked %d secrets; want the JWT first and the PyPI token last", len(masked))
				}
			} else if err == nil {
				t.Fatal("Token succeeded; want an error")
			}
		})
	}
}

// fakeGitHubEndpoint serves GitHub-style identity tokens with
// githubClaims, a new jti each time, and reports the last one served.
func fakeGitHubEndpoint(t *testing.T) (*httptest.Server, func() string) {
	var mu sync.Mutex
	var last string
	var n int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		n++
		claims := map[string]any{}
		for k, v := range githubClaims {
			claims[k] = v
		}
		claims["aud"], claims["jti"] = r.URL.Query().Get("audience"), fmt.Sprint("jti-", n)
		last = makeJWT(t, claims)
		json.NewEncoder(w).Encode(map[string]string{"value": last})
	}))
	t.Cleanup(srv.Close)
	return srv, func() string {
		mu.Lock()
		defer mu.Unlock()
		return last
	}
}
