package mint

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// warehouse422 is Warehouse's failure body with one error.
func warehouse422(code, description string) http.HandlerFunc {
	body, _ := json.Marshal(map[string]any{
		"message": "Token request failed",
		"errors":  []map[string]string{{"code": code, "description": description}},
	})
	return reply(422, "application/json", string(body))
}

func TestMintRejected(t *testing.T) {
	t.Parallel()
	const pydantic = "1 validation error for TokenPayload\ntoken\n  Input should be a valid string [type=string_type, input_value={jwt}, input_type=int]"
	tests := []struct {
		name, code, description, reasons string
	}{
		{"payload not a TokenPayload", "invalid-payload", pydantic,
			"invalid-payload: 1 validation error for TokenPayload token Input should be a valid string [type=string_type, input_value=[redacted], input_type=int]"},
		{"malformed JWT", "invalid-payload", "malformed JWT", "invalid-payload: malformed JWT"},
		{"unknown issuer", "invalid-payload", "unknown trusted publishing issuer", "invalid-payload: unknown trusted publishing issuer"},
		{"not enabled", "not-enabled", "github trusted publishing functionality not enabled", "not-enabled: github trusted publishing functionality not enabled"},
		{"invalid token", "invalid-token", "malformed or invalid token", "invalid-token: malformed or invalid token"},
		{"pending publisher", "invalid-pending-publisher", "valid token, but project already exists", "invalid-pending-publisher: valid token, but project already exists"},
		{"no publisher", "invalid-publisher", "valid token, but no corresponding publisher (Publisher with matching claims was not found)",
			"invalid-publisher: valid token, but no corresponding publisher (Publisher with matching claims was not found)"},
		{"claim check", "invalid-publisher", "valid token, but no corresponding publisher (Check failed for optional claim 'environment')",
			"invalid-publisher: valid token, but no corresponding publisher (Check failed for optional claim 'environment')"},
		{"reuse", "invalid-reuse-token", "invalid token: already used", "invalid-reuse-token: invalid token: already used"},
	}
	jwt := makeJWT(t, githubClaims)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := serve(t, warehouse422(tt.code, strings.ReplaceAll(tt.description, "{jwt}", jwt)))
			_, err := c.Mint(t.Context(), jwt)
			if got, want := errText(err), "mint: token request refused by "+hostOf(c)+": "+tt.reasons; got != want {
				t.Errorf("error:\n%s\nwant:\n%s", got, want)
			}
			var me *Error
			if !errors.As(err, &me) || !errors.Is(err, ErrMintRejected) || me.Status != 422 || len(me.Reasons) != 1 || me.Reasons[0].Code != tt.code || me.Claims["repository"] != "octo/pkg" {
				t.Errorf("err = %#v; want an *Error of kind ErrMintRejected with status 422 and code %s", err, tt.code)
			}
		})
	}
}

func TestMintRejectedSeveralReasonsAndNoClaims(t *testing.T) {
	t.Parallel()
	c, _ := serve(t, reply(422, "application/json", `{"message":"Token request failed","errors":[
		{"code":"invalid-payload","description":"malformed JWT"},
		{"code":"invalid-token","description":"malformed or invalid token"}]}`))
	_, err := c.Mint(t.Context(), "not-a-jwt")
	want := "mint: token request refused by " + hostOf(c) + ": invalid-payload: malformed JWT; invalid-token: malformed or invalid token"
	var me *Error
	if !errors.As(err, &me) || me.Claims != nil || len(me.Reasons) != 2 {
		t.Errorf("err = %#v; want an *Error with 2 reasons and no claims", err)
	}
	if got := errText(err); got != want {
		t.Errorf("error:\n%s\nwant:\n%s", got, want)
	}
}

func TestMintMalformedResponses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string // the error text with HOST for the host
	}{
		{"502 HTML", reply(502, "text/html", "<html><h1>502 Bad Gateway</h1></html>"),
			"mint: token request failed: HOST answered 502 with a body that is not JSON"},
		{"200 not JSON", reply(200, "text/plain", "pypi-AgEtoken"),
			"mint: token request failed: HOST answered 200 with a body that is not JSON"},
		{"JSON without errors", reply(422, "application/json", `{"message":"Token request failed"}`),
			"mint: token request failed: HOST answered 422 Unprocessable Entity and gave no reasons"},
		{"errors not a list", reply(400, "application/json", `{"errors":"bad"}`),
			"mint: token request failed: HOST answered 400 Bad Request and gave no reasons"},
		{"200 without token", reply(200, "application/json", `{"success":true,"expires":1700000900}`),
			"mint: token response error: HOST answered 200 without a token"},
		{"200 token null", reply(200, "application/json", `{"success":true,"token":null}`),
			"mint: token response error: HOST answered 200 without a token"},
		{"200 token not a string", reply(200, "application/json", `{"token":12}`),
			"mint: token response error: HOST answered 200 without a token"},
	}
	jwt := makeJWT(t, githubClaims)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := serve(t, tt.handler)
			_, err := c.Mint(t.Context(), jwt)
			if got, want := errText(err), strings.ReplaceAll(tt.want, "HOST", hostOf(c)); got != want {
				t.Errorf("error:\n%s\nwant:\n%s", got, want)
			}
			var me *Error
			if !errors.Is(err, ErrBadResponse) || !errors.As(err, &me) || me.Endpoint != EndpointMintToken {
				t.Errorf("err = %#v; want an *Error of the mint-token endpoint matching ErrBadResponse", err)
			}
		})
	}
}

func TestMintSuccess(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		body   string
		expiry time.Time
	}{
		{"expires from the response", `{"success":true,"token":"pypi-AgEIcHlwaS5vcmc","expires":1764072900}`, time.Unix(1764072900, 0)},
		{"no expires: 900 s", `{"success":true,"token":"pypi-AgEIcHlwaS5vcmc"}`, now.Add(900 * time.Second)},
		{"uv's minimal reply", `{"token":"pypi-AgEIcHlwaS5vcmc"}`, now.Add(900 * time.Second)},
	}
	jwt := makeJWT(t, githubClaims)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got struct {
				Token       string `json:"token"`
				ContentType string
				Method      string
				Path        string
			}
			c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
				got.ContentType, got.Method, got.Path = r.Header.Get("Content-Type"), r.Method, r.URL.Path
				json.NewDecoder(r.Body).Decode(&got)
				fmt.Fprint(w, tt.body)
			})
			var masked []string
			c.Masker = func(s string) { masked = append(masked, s) }
			c.Now = func() time.Time { return now }
			tok, err := c.Mint(t.Context(), jwt)
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken != "pypi-AgEIcHlwaS5vcmc" || !tok.Expiry.Equal(tt.expiry) {
				t.Errorf("token expiry = %v; want %v", tok.Expiry, tt.expiry)
			}
			if got.Token != jwt || got.ContentType != "application/json" || got.Method != "POST" || got.Path != "/_/oidc/mint-token" {
				t.Errorf("request = %s %s (%s), token sent = %v; want POST /_/oidc/mint-token JSON with the JWT", got.Method, got.Path, got.ContentType, got.Token == jwt)
			}
			if len(masked) != 2 || masked[0] != jwt || masked[1] != tok.AccessToken {
				t.Errorf("Masker saw %d secrets; want the JWT, then the PyPI token", len(masked))
			}
		})
	}
}
