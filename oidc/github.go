package oidc

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/trustpub/pypi/internal/pyfmt"
	"github.com/trustpub/pypi/internal/redact"
)

// github requests a token from GitHub Actions' OIDC endpoint, whose URL and
// bearer token the runner passes to jobs with `id-token: write`.
func (c *Config) github(ctx context.Context, audience string) (string, error) {
	bearer := c.getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
	if bearer == "" {
		return "", c.fail(ProviderGitHub, githubUnset("ACTIONS_ID_TOKEN_REQUEST_TOKEN"), nil, ErrMissingIDTokenPermission)
	}
	endpoint := c.getenv("ACTIONS_ID_TOKEN_REQUEST_URL")
	if endpoint == "" {
		return "", c.fail(ProviderGitHub, githubUnset("ACTIONS_ID_TOKEN_REQUEST_URL"), nil, ErrMissingIDTokenPermission)
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", c.fail(ProviderGitHub, "GitHub: ACTIONS_ID_TOKEN_REQUEST_URL is not a URL", err, nil)
	}
	// The URL already carries a query (api-version=2.0): merge, never append blindly.
	q := u.Query()
	q.Set("audience", audience)
	u.RawQuery = q.Encode()

	resp, err := c.do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "bearer "+bearer)
		req.Header.Set("Accept", "application/json")
		return req, nil
	})
	switch {
	case err != nil && isTimeout(err):
		return "", c.fail(ProviderGitHub, "GitHub: OIDC token request timed out", err, nil)
	case err != nil:
		return "", c.fail(ProviderGitHub, "GitHub: OIDC token request failed: "+redact.String(err.Error(), bearer), err, nil)
	case resp.status != http.StatusOK:
		body := redact.String(string(resp.body), bearer)
		return "", c.fail(ProviderGitHub, fmt.Sprintf("GitHub: OIDC token request failed (code=%d, body=%s)", resp.status, pyfmt.Repr(body)), nil, nil)
	}
	var payload struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal(resp.body, &payload); err != nil {
		return "", c.fail(ProviderGitHub, "GitHub: malformed or incomplete JSON", nil, nil)
	}
	jwt, ok := payload.Value.(string)
	if !ok {
		return "", c.fail(ProviderGitHub, "GitHub: malformed or incomplete JSON", nil, nil)
	}
	return jwt, nil
}

func githubUnset(name string) string {
	return "GitHub: missing or insufficient OIDC token permissions, the " + name + " environment variable was unset"
}
