package attest

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// unsignedJWT returns a JWT with these claims and a dummy signature; the
// Signer reads tokens unverified, as sigstore-python does.
func unsignedJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc(b) + "." + enc([]byte("signature"))
}

func TestIdentityTokenChecks(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	good := func() map[string]any {
		return map[string]any{"aud": "sigstore", "sub": "repo:o/r:ref:refs/heads/main", "iss": "https://token.actions.githubusercontent.com",
			"iat": now.Unix() - 60, "nbf": now.Unix() - 60, "exp": now.Unix() + 240}
	}
	for _, c := range []struct {
		name   string
		change func(map[string]any)
		token  string
		want   string // "" for a good token
	}{
		{name: "good", change: func(map[string]any) {}},
		{name: "audience list", change: func(m map[string]any) { m["aud"] = []string{"other", "sigstore"} }},
		{name: "within leeway", change: func(m map[string]any) { m["exp"] = now.Unix() - 4 }},
		{name: "pypi audience", change: func(m map[string]any) { m["aud"] = "pypi" }, want: `Identity token is malformed or missing claims: audience is not "sigstore"`},
		{name: "audience number", change: func(m map[string]any) { m["aud"] = 7 }, want: `audience is not "sigstore"`},
		{name: "no sub", change: func(m map[string]any) { delete(m, "sub") }, want: "aud, sub, iat, exp and iss are required"},
		{name: "no iat", change: func(m map[string]any) { delete(m, "iat") }, want: "aud, sub, iat, exp and iss are required"},
		{name: "expired", change: func(m map[string]any) { m["exp"] = now.Unix() - 5 }, want: "Identity token is malformed or missing claims: expired"},
		{name: "issued later", change: func(m map[string]any) { m["iat"] = now.Unix() + 6 }, want: "issued in the future"},
		{name: "not yet valid", change: func(m map[string]any) { m["nbf"] = now.Unix() + 1 }, want: "Identity token is not within its validity period"},
		{name: "not a JWT", token: "opaque-secret-token", want: "not a JWT"},
		{name: "bad claims", token: "a.!!.c", want: "undecodable claims"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tok := c.token
			if tok == "" {
				claims := good()
				c.change(claims)
				tok = unsignedJWT(t, claims)
			}
			s := &Signer{IDToken: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok}), Now: func() time.Time { return now }}
			got, sub, err := s.identityToken()
			if c.want == "" {
				if err != nil || got != tok || sub != "repo:o/r:ref:refs/heads/main" {
					t.Fatalf("identityToken: sub %q, error %v", sub, err)
				}
				return
			}
			if err == nil || err.Op != SignOpIdentity || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("identityToken: %v, want an identity token error containing %q", err, c.want)
			}
			if strings.Contains(err.Error(), tok) {
				t.Error("the error quotes the token")
			}
		})
	}
}
