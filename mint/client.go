package mint

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/internal/bounded"
	"github.com/trustpub/pypi/internal/origin"
	"github.com/trustpub/pypi/internal/redact"
	"github.com/trustpub/pypi/oidc"
)

const (
	// requestTimeout bounds each index call, as in gh-action-pypi-publish
	// and twine.
	requestTimeout = 5 * time.Second
	// tokenLifetime is how long PyPI's tokens live, assumed when the
	// response has no "expires".
	tokenLifetime = 900 * time.Second
	// maxBody bounds what is read of a response; a longer one is an
	// error.
	maxBody = 1 << 20
)

// Config says which index to ask for tokens and how. The zero value talks
// to PyPI with an [http.Client] using [http.DefaultTransport].
type Config struct {
	// UploadURL is the index's upload URL; its Trusted Publishing
	// endpoints are on the same origin (scheme, host and port), as
	// gh-action-pypi-publish finds them. "" means PyPI. Plain http is
	// accepted only for a loopback address (a fake index in a test).
	UploadURL string

	// HTTPClient makes the requests; nil means a client with
	// [http.DefaultTransport]. Each request is also bounded to 5 s, and
	// a redirect to another origin is never followed (its redirect
	// policy is replaced).
	HTTPClient *http.Client

	// Now is the clock that dates minted tokens and decides when to mint
	// again; nil means [time.Now].
	Now func() time.Time

	// Masker, if set, is called with every PyPI token and every identity
	// token before it is used or returned, so that a caller can hide them
	// from CI logs (for GitHub Actions, by printing "::add-mask::" and the
	// token).
	Masker func(secret string)

	// Logger receives debug messages; nil means no logging. Tokens are
	// never logged.
	Logger *slog.Logger

	// Secrets, if set, returns more secrets to keep out of errors besides
	// the identity token, such as the CI's token request token: the
	// index's reasons are cleared of them all.
	Secrets func() []string
}

// client is HTTPClient following redirects only within the index's
// origin: the mint request carries the identity token.
func (c *Config) client() *http.Client {
	return origin.Client(c.HTTPClient)
}

func (c *Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Config) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (c *Config) mask(secret string) {
	if c.Masker != nil && secret != "" {
		c.Masker(secret)
	}
}

// Audience asks the index which audience its identity tokens must carry
// ("pypi" for PyPI, "testpypi" for TestPyPI). Failures are [*Error] values
// matching ErrAudienceForbidden, ErrAudienceNotFound, ErrBadResponse or
// ErrUnreachable.
func (c *Config) Audience(ctx context.Context) (string, error) {
	host, status, body, err := c.send(ctx, http.MethodGet, EndpointAudience, nil)
	if err != nil {
		return "", err
	}
	return audienceResult(host, status, body)
}

// audienceResult judges the audience endpoint's response.
func audienceResult(host string, status int, body []byte) (string, error) {
	e := &Error{Endpoint: EndpointAudience, Host: host, Status: status}
	switch {
	case status == http.StatusForbidden:
		e.kind = ErrAudienceForbidden
	case status == http.StatusNotFound:
		e.kind = ErrAudienceNotFound
	case status < 200 || status > 299:
		e.kind = ErrBadResponse
	default:
		var payload struct {
			Audience *string `json:"audience"`
		}
		if json.Unmarshal(body, &payload) == nil && payload.Audience != nil && *payload.Audience != "" {
			return *payload.Audience, nil
		}
		e.kind = ErrBadResponse
	}
	return "", e
}

// Mint exchanges the identity token jwt for a PyPI upload token, returned
// as AccessToken with its Expiry (from the response's "expires", or 900 s
// from now). Failures are [*Error] values matching ErrMintRejected,
// ErrBadResponse or ErrUnreachable; none contains either token.
func (c *Config) Mint(ctx context.Context, jwt string) (*oauth2.Token, error) {
	c.mask(jwt)
	reqBody, err := json.Marshal(map[string]string{"token": jwt})
	if err != nil {
		return nil, err // cannot happen: a map of strings always encodes
	}
	host, status, body, err := c.send(ctx, http.MethodPost, EndpointMintToken, reqBody)
	if err != nil {
		return nil, err
	}
	return c.mintResult(host, status, body, jwt)
}

// mintResult judges the mint-token endpoint's response to jwt, in the
// order of gh-action-pypi-publish: JSON first, then the status, then the
// token.
func (c *Config) mintResult(host string, status int, body []byte, jwt string) (*oauth2.Token, error) {
	var payload struct {
		Token   any             `json:"token"`
		Expires any             `json:"expires"`
		Errors  json.RawMessage `json:"errors"`
	}
	e := &Error{Endpoint: EndpointMintToken, Host: host, Status: status, kind: ErrBadResponse}
	if err := json.Unmarshal(body, &payload); err != nil {
		e.Err = err
		return nil, e
	}
	switch {
	case status < 200 || status > 299:
		var reasons []Reason
		if json.Unmarshal(payload.Errors, &reasons) != nil || reasons == nil {
			break
		}
		e.kind = ErrMintRejected
		e.Reasons = c.redactReasons(reasons, jwt)
		e.Claims, _ = oidc.ParseUnverified(jwt) // nil claims render as MISSING
	default:
		token, ok := payload.Token.(string)
		if !ok || token == "" {
			break
		}
		c.mask(token)
		expiry := c.now().Add(tokenLifetime)
		if exp, ok := payload.Expires.(float64); ok && exp > 0 {
			expiry = time.Unix(int64(exp), 0)
		}
		c.logger().Debug("mint: minted an upload token", "index", host, "expires", expiry)
		return &oauth2.Token{AccessToken: token, Expiry: expiry}, nil
	}
	return nil, e
}

// send makes one request to the index's Trusted Publishing endpoint and
// returns the index's host, the status and the body.
func (c *Config) send(ctx context.Context, method string, endpoint Endpoint, body []byte) (string, int, []byte, error) {
	origin, err := base(c.UploadURL)
	if err != nil {
		return "", 0, nil, err
	}
	target := origin.JoinPath("_", "oidc", string(endpoint)).String()
	c.logger().Debug("mint: trusted publishing endpoint", "url", target)
	fail := func(status int, err error) (string, int, []byte, error) {
		return "", 0, nil, &Error{Endpoint: endpoint, Host: origin.Host, Status: status, Err: err, kind: ErrUnreachable}
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	if err != nil {
		return fail(0, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.client().Do(req)
	if err != nil {
		return fail(0, err)
	}
	defer resp.Body.Close()
	data, err := bounded.ReadAll(resp, maxBody)
	if err != nil {
		return fail(resp.StatusCode, err)
	}
	return origin.Host, resp.StatusCode, data, nil
}

// redactReasons removes the identity token, and Secrets, from the
// index's reasons, which may quote the request (pydantic's validation
// errors do).
func (c *Config) redactReasons(reasons []Reason, jwt string) []Reason {
	var set redact.Set
	set.Add(jwt)
	if c.Secrets != nil {
		set.Add(c.Secrets()...)
	}
	out := make([]Reason, len(reasons))
	for i, r := range reasons {
		out[i] = Reason{Code: set.String(r.Code), Description: set.String(r.Description)}
	}
	return out
}
