package mint

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/trustpub/pypi/oidc"
)

// Sentinels classifying an [*Error]; test for them with [errors.Is].
var (
	// ErrAudienceForbidden: the audience endpoint answered 403, PyPI's
	// answer when Trusted Publishing is disabled.
	ErrAudienceForbidden = errors.New("mint: trusted publishing disabled")
	// ErrAudienceNotFound: the audience endpoint answered 404; the index
	// does not support Trusted Publishing.
	ErrAudienceNotFound = errors.New("mint: trusted publishing not supported")
	// ErrMintRejected: the index refused the identity token and said why
	// (Error.Reasons), typically a publisher that does not match.
	ErrMintRejected = errors.New("mint: token request rejected")
	// ErrBadResponse: the index answered outside the protocol (an
	// unexpected status, an HTML error page, JSON without the expected
	// fields), which suggests a server problem: try again later.
	ErrBadResponse = errors.New("mint: bad response from the index")
	// ErrUnreachable: the request did not get a whole response
	// (connection refused, timeout, ...); Error.Err holds the cause.
	ErrUnreachable = errors.New("mint: index unreachable")
)

// Reason is one entry of the "errors" list of a PyPI error response.
type Reason struct {
	Code        string `json:"code"`        // e.g. "invalid-publisher"
	Description string `json:"description"` // e.g. "valid token, but no corresponding publisher (...)"
}

// Endpoint names one of an index's Trusted Publishing endpoints, the last
// segment of its path under /_/oidc/.
type Endpoint string

// The endpoints, in the order they are called.
const (
	EndpointAudience  Endpoint = "audience"
	EndpointMintToken Endpoint = "mint-token"
)

// Error is a failed audience or mint-token call. Its fields let a caller
// explain the failure in its own words; Error returns one line.
type Error struct {
	// Endpoint is the call that failed.
	Endpoint Endpoint
	// Host is the index's host (and port).
	Host string
	// Status is the HTTP status, or 0 when there was no response.
	Status int
	// Reasons are the index's errors[] entries (ErrMintRejected), with
	// the identity token redacted from them.
	Reasons []Reason
	// Claims are the identity token's unverified claims (ErrMintRejected
	// only; nil when the token could not be decoded).
	Claims oidc.Claims
	// Err is the cause: the transport error for ErrUnreachable, the JSON
	// error when a mint-token answer is not JSON; else nil.
	Err error

	kind error
}

// Error returns one line saying what failed, with the index's reasons.
func (e *Error) Error() string {
	audience := "mint: audience retrieval failed: repository at " + e.Host
	switch {
	case e.kind == ErrAudienceForbidden:
		return audience + " has trusted publishing disabled"
	case e.kind == ErrAudienceNotFound:
		return audience + " does not indicate trusted publishing support"
	case e.kind == ErrUnreachable:
		return fmt.Sprintf("mint: request to the index at %s failed: %v", e.Host, e.Err)
	case e.kind == ErrMintRejected:
		reasons := make([]string, len(e.Reasons))
		for i, r := range e.Reasons {
			reasons[i] = oneLine(r.Code + ": " + r.Description)
		}
		return fmt.Sprintf("mint: token request refused by %s: %s", e.Host, strings.Join(reasons, "; "))
	case e.Endpoint == EndpointAudience && (e.Status < 200 || e.Status > 299):
		return fmt.Sprintf("%s responded with unexpected %d: %s", audience, e.Status, statusPhrase(e.Status))
	case e.Endpoint == EndpointAudience:
		return fmt.Sprintf("%s responded with %d but no audience (want a JSON object with an \"audience\" string)", audience, e.Status)
	case e.Err != nil:
		return fmt.Sprintf("mint: token request failed: %s answered %d with a body that is not JSON", e.Host, e.Status)
	case e.Status < 200 || e.Status > 299:
		return fmt.Sprintf("mint: token request failed: %s answered %d %s and gave no reasons", e.Host, e.Status, statusPhrase(e.Status))
	}
	return fmt.Sprintf("mint: token response error: %s answered %d without a token", e.Host, e.Status)
}

// Unwrap returns the sentinel that classifies e and its cause, if any.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.Err}
}

// statusPhrase is Python's HTTPStatus phrase for code ("Unknown Status"
// for a code it does not know), as gh-action-pypi-publish prints it.
func statusPhrase(code int) string {
	if s := http.StatusText(code); s != "" {
		return s
	}
	return "Unknown Status"
}

// oneLine folds the index's text, which may span lines, into one.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
