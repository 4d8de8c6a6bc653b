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

// refusedHead and claimsBlock spell out gh-action-pypi-publish's refusal
// message around the reasons, for the claims of githubClaims.
const refusedHead = "mint: Token request failed: the server refused the request for the following reasons:\n\n"

const claimsBlock = `

This generally indicates a trusted publisher configuration error, but could
also indicate an internal error on GitHub or PyPI's part.


The claims rendered below are **for debugging purposes only**. You should **not**
use them to configure a trusted publisher unless they already match your expectations.

If a claim is not present in the claim set, then it is rendered as ` + "`MISSING`" + `.

* ` + "`sub`: `repo:octo/pkg:ref:refs/heads/main`" + `
* ` + "`repository`: `octo/pkg`" + `
* ` + "`repository_owner`: `octo`" + `
* ` + "`repository_owner_id`: `131804563`" + `
* ` + "`workflow_ref`: `octo/pkg/.github/workflows/release.yml@refs/heads/main`" + `
* ` + "`job_workflow_ref`: `octo/pkg/.github/workflows/release.yml@refs/heads/main`" + `
* ` + "`ref`: `refs/heads/main`" + `
* ` + "`environment`: `MISSING`" + `

See https://docs.pypi.org/trusted-publishers/troubleshooting/ for more help.`

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
			"* `invalid-payload`: 1 validation error for TokenPayload\ntoken\n  Input should be a valid string [type=string_type, input_value=[redacted], input_type=int]"},
		{"malformed JWT", "invalid-payload", "malformed JWT", "* `invalid-payload`: malformed JWT"},
		{"unknown issuer", "invalid-payload", "unknown trusted publishing issuer", "* `invalid-payload`: unknown trusted publishing issuer"},
		{"not enabled", "not-enabled", "github trusted publishing functionality not enabled", "* `not-enabled`: github trusted publishing functionality not enabled"},
		{"invalid token", "invalid-token", "malformed or invalid token", "* `invalid-token`: malformed or invalid token"},
		{"pending publisher", "invalid-pending-publisher", "valid token, but project already exists", "* `invalid-pending-publisher`: valid token, but project already exists"},
		{"no publisher", "invalid-publisher", "valid token, but no corresponding publisher (Publisher with matching claims was not found)",
			"* `invalid-publisher`: valid token, but no corresponding publisher (Publisher with matching claims was not found)"},
		{"claim check", "invalid-publisher", "valid token, but no corresponding publisher (Check failed for optional claim 'environment')",
			"* `invalid-publisher`: valid token, but no corresponding publisher (Check failed for optional claim 'environment')"},
		{"reuse", "invalid-reuse-token", "invalid token: already used", "* `invalid-reuse-token`: invalid token: already used"},
	}
	jwt := makeJWT(t, githubClaims)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := serve(t, warehouse422(tt.code, strings.ReplaceAll(tt.description, "{jwt}", jwt)))
			_, err := c.Mint(t.Context(), jwt)
			if got, want := errText(err), refusedHead+tt.reasons+claimsBlock; got != want {
				t.Errorf("error:\n%s\nwant:\n%s", got, want)
			}
			var me *Error
			if !errors.As(err, &me) || !errors.Is(err, ErrMintRejected) || me.Status != 422 || len(me.Reasons) != 1 || me.Reasons[0].Code != tt.code {
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
	want := `mint: Token request failed: the server refused the request for the following reasons:

* ` + "`invalid-payload`" + `: malformed JWT
* ` + "`invalid-token`" + `: malformed or invalid token

This generally indicates a trusted publisher configuration error, but could
also indicate an internal error on GitHub or PyPI's part.


The claims rendered below are **for debugging purposes only**. You should **not**
use them to configure a trusted publisher unless they already match your expectations.

If a claim is not present in the claim set, then it is rendered as ` + "`MISSING`" + `.

* ` + "`sub`: `MISSING`" + `
* ` + "`repository`: `MISSING`" + `
* ` + "`repository_owner`: `MISSING`" + `
* ` + "`repository_owner_id`: `MISSING`" + `
* ` + "`workflow_ref`: `MISSING`" + `
* ` + "`job_workflow_ref`: `MISSING`" + `
* ` + "`ref`: `MISSING`" + `
* ` + "`environment`: `MISSING`" + `

See https://docs.pypi.org/trusted-publishers/troubleshooting/ for more help.`
	if got := errText(err); got != want {
		t.Errorf("error:\n%s\nwant:\n%s", got, want)
	}
}

func TestMintMalformedResponses(t *testing.T) {
	t.Parallel()
	const downtime = "\n\nThis strongly suggests a server configuration or downtime issue; wait\na few minutes and try again."
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
		kind    error
	}{
		{"502 HTML", reply(502, "text/html", "<html><h1>502 Bad Gateway</h1></html>"),
			"mint: Token request failed: the index produced an unexpected\n502 response." + downtime +
				"\n\nYou can monitor PyPI's status here: https://status.python.org/", ErrMintMalformedJSON},
		{"200 not JSON", reply(200, "text/plain", "pypi-AgEtoken"),
			"mint: Token request failed: the index produced an unexpected\n200 response." + downtime +
				"\n\nYou can monitor PyPI's status here: https://status.python.org/", ErrMintMalformedJSON},
		{"JSON without errors", reply(422, "application/json", `{"message":"Token request failed"}`),
			"mint: Token request failed: the index responded with 422 Unprocessable Entity\nand gave no reasons." + downtime, ErrMintNoReasons},
		{"errors not a list", reply(400, "application/json", `{"errors":"bad"}`),
			"mint: Token request failed: the index responded with 400 Bad Request\nand gave no reasons." + downtime, ErrMintNoReasons},
		{"200 without token", reply(200, "application/json", `{"success":true,"expires":1700000900}`),
			"mint: Token response error: the index gave us an invalid response." + downtime, ErrMintNoToken},
		{"200 token null", reply(200, "application/json", `{"success":true,"token":null}`),
			"mint: Token response error: the index gave us an invalid response." + downtime, ErrMintNoToken},
		{"200 token not a string", reply(200, "application/json", `{"token":12}`),
			"mint: Token response error: the index gave us an invalid response." + downtime, ErrMintNoToken},
	}
	jwt := makeJWT(t, githubClaims)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := serve(t, tt.handler)
			_, err := c.Mint(t.Context(), jwt)
			if got := errText(err); got != tt.want {
				t.Errorf("error:\n%s\nwant:\n%s", got, tt.want)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("errors.Is(err, %v) = false", tt.kind)
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
