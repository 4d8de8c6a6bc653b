package oidc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/trustpub/pypi/internal/pyfmt"
	"github.com/trustpub/pypi/internal/redact"
)

const (
	// dmiProductName names the machine's product; Google's VMs say so there.
	dmiProductName = "/sys/class/dmi/id/product_name"
	// defaultMetadataHost is Google's metadata server; GCE_METADATA_HOST
	// overrides it, as in Google's own client libraries.
	defaultMetadataHost = "metadata.google.internal"
	// iamCredentialsURL is the API that signs identity tokens for another
	// service account.
	iamCredentialsURL = "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/%s:generateIdToken"
)

// gcpDetected reports a Google Cloud environment: a service account to
// impersonate, or a Google machine.
func (c *Config) gcpDetected() bool {
	if c.getenv("GOOGLE_SERVICE_ACCOUNT_NAME") != "" {
		return true
	}
	name, err := c.readFile(dmiProductName)
	if err != nil {
		return false
	}
	switch strings.TrimSpace(string(name)) {
	case "Google", "Google Compute Engine":
		return true
	}
	return false
}

// gcp asks the metadata server for an identity token, directly or by
// impersonating GOOGLE_SERVICE_ACCOUNT_NAME.
func (c *Config) gcp(ctx context.Context, audience string) (string, error) {
	if account := c.getenv("GOOGLE_SERVICE_ACCOUNT_NAME"); account != "" {
		return c.gcpImpersonate(ctx, account, audience)
	}
	q := url.Values{"audience": {audience}, "format": {"full"}}
	body, err := c.gcpRequest(ctx, "OIDC token", http.MethodGet, c.metadataURL("identity")+"?"+q.Encode(), nil, "")
	if err != nil {
		return "", err
	}
	jwt := strings.TrimSpace(string(body))
	if jwt == "" {
		return "", c.fail(ProviderGCP, "GCP: OIDC token missing from response", nil, nil)
	}
	return jwt, nil
}

func (c *Config) gcpImpersonate(ctx context.Context, account, audience string) (string, error) {
	q := url.Values{"scopes": {"https://www.googleapis.com/auth/cloud-platform"}}
	body, err := c.gcpRequest(ctx, "access token", http.MethodGet, c.metadataURL("token")+"?"+q.Encode(), nil, "")
	if err != nil {
		return "", err
	}
	var access struct {
		AccessToken string `json:"access_token"`
	}
	if json.Unmarshal(body, &access) != nil || access.AccessToken == "" {
		return "", c.fail(ProviderGCP, "GCP: access token missing from response", nil, nil)
	}
	c.mask(access.AccessToken)
	reqBody, _ := json.Marshal(map[string]any{"audience": audience, "includeEmail": true}) // always encodes
	body, err = c.gcpRequest(ctx, "OIDC token", http.MethodPost, fmt.Sprintf(iamCredentialsURL, url.PathEscape(account)), reqBody, access.AccessToken)
	if err != nil {
		return "", err
	}
	var id struct {
		Token string `json:"token"`
	}
	if json.Unmarshal(body, &id) != nil || id.Token == "" {
		return "", c.fail(ProviderGCP, "GCP: OIDC token missing from response", nil, nil)
	}
	return id.Token, nil
}

func (c *Config) metadataURL(what string) string {
	host := c.getenv("GCE_METADATA_HOST")
	if host == "" {
		host = defaultMetadataHost
	}
	return "http://" + host + "/computeMetadata/v1/instance/service-accounts/default/" + what
}

// gcpRequest makes one request of the GCP flow; what names it in errors
// ("access token" or "OIDC token"). A non-empty bearer is sent as the
// Authorization; otherwise the request goes to the metadata server.
func (c *Config) gcpRequest(ctx context.Context, what, method, target string, body []byte, bearer string) ([]byte, error) {
	resp, err := c.do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
			req.Header.Set("Content-Type", "application/json")
		} else {
			req.Header.Set("Metadata-Flavor", "Google")
		}
		return req, nil
	})
	switch {
	case err != nil && isTimeout(err):
		return nil, c.fail(ProviderGCP, "GCP: "+what+" request timed out", err, nil)
	case err != nil:
		return nil, c.fail(ProviderGCP, "GCP: "+what+" request failed: "+redact.String(err.Error(), bearer), err, nil)
	case resp.status != http.StatusOK:
		detail := fmt.Sprintf("GCP: %s request failed (code=%d, body=%s)", what, resp.status, pyfmt.Repr(redact.String(string(resp.body), bearer)))
		return nil, c.fail(ProviderGCP, detail, nil, nil)
	}
	return resp.body, nil
}
