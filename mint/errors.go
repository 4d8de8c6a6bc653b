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
	// answer when trusted publishing is disabled.
	ErrAudienceForbidden = errors.New("mint: trusted publishing disabled")
	// ErrAudienceNotFound: the audience endpoint answered 404; the index
	// does not support trusted publishing.
	ErrAudienceNotFound = errors.New("mint: trusted publishing not supported")
	// ErrAudienceUnexpected: the audience endpoint answered another
	// non-2xx status.
	ErrAudienceUnexpected = errors.New("mint: unexpected audience response status")
	// ErrAudienceMalformed: the audience endpoint answered 2xx without a
	// JSON object holding an "audience" string.
	ErrAudienceMalformed = errors.New("mint: malformed audience response")
	// ErrMintRejected: the index refused the identity token and said why
	// (Error.Reasons).
	ErrMintRejected = errors.New("mint: token request rejected")
	// ErrMintMalformedJSON: the mint-token response was not JSON (an HTML
	// error page, typically).
	ErrMintMalformedJSON = errors.New("mint: token response is not JSON")
	// ErrMintNoReasons: the index refused the request with JSON that has no
	// "errors" list.
	ErrMintNoReasons = errors.New("mint: token request failed without reasons")
	// ErrMintNoToken: a 2xx response without a "token" string.
	ErrMintNoToken = errors.New("mint: token response has no token")
	// ErrUnreachable: the request did not get a response (connection
	// refused, timeout, ...); Error.Err holds the cause.
	ErrUnreachable = errors.New("mint: index unreachable")
)

// Reason is one entry of the "errors" list of a PyPI error response.
type Reason struct {
	Code        string `json:"code"`        // e.g. "invalid-publisher"
	Description string `json:"description"` // e.g. "valid token, but no corresponding publisher (...)"
}

// Error is a failed audience or mint-token call.
type Error struct {
	// Kind is the sentinel that classifies the failure (ErrMintRejected, ...).
	Kind error
	// Host is the index's host (and port).
	Host string
	// Status is the HTTP status, or 0 when there was no response.
	Status int
	// Reasons are the index's errors[] entries, with the identity token
	// redacted from them.
	Reasons []Reason
	// Claims are the identity token's unverified claims (mint-token calls
	// only; nil when the token could not be decoded).
	Claims oidc.Claims
	// Err is the transport error, for ErrUnreachable.
	Err error
}

// Error returns "mint: " and [Error.Message].
func (e *Error) Error() string { return "mint: " + e.Message() }

// Unwrap returns the transport error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is e's Kind.
func (e *Error) Is(target error) bool { return target != nil && target == e.Kind }

// Message is the explanation gh-action-pypi-publish gives for the failure
// (for the cases where the action crashes instead, a message in its style).
func (e *Error) Message() string {
	audience := "audience retrieval failed: repository at " + e.Host
	switch e.Kind {
	case ErrAudienceForbidden:
		return audience + " has trusted publishing disabled"
	case ErrAudienceNotFound:
		return audience + " does not indicate trusted publishing support"
	case ErrAudienceUnexpected:
		return fmt.Sprintf("%s responded with unexpected %d: %s", audience, e.Status, statusPhrase(e.Status))
	case ErrAudienceMalformed:
		return fmt.Sprintf("%s responded with %d but no audience (want a JSON object with an \"audience\" string)", audience, e.Status)
	case ErrMintMalformedJSON:
		return fmt.Sprintf(malformedJSONMessage, e.Status)
	case ErrMintRejected:
		return fmt.Sprintf(rejectedMessage, e.renderReasons(), renderClaims(e.Claims))
	case ErrMintNoReasons:
		return fmt.Sprintf(noReasonsMessage, e.Status, statusPhrase(e.Status))
	case ErrMintNoToken:
		return noTokenMessage
	case ErrUnreachable:
		return fmt.Sprintf("request to the index at %s failed: %v", e.Host, e.Err)
	}
	return fmt.Sprintf("request to the index at %s failed with status %d", e.Host, e.Status)
}

func (e *Error) renderReasons() string {
	lines := make([]string, len(e.Reasons))
	for i, r := range e.Reasons {
		lines[i] = fmt.Sprintf("* `%s`: %s", r.Code, r.Description)
	}
	return strings.Join(lines, "\n")
}

// renderClaims renders the claims gh-action-pypi-publish shows on a refusal.
func renderClaims(c oidc.Claims) string {
	var b strings.Builder
	b.WriteString(claimsHeader)
	for _, name := range []string{"sub", "repository", "repository_owner", "repository_owner_id", "workflow_ref", "job_workflow_ref", "ref", "environment"} {
		v, ok := c.Get(name)
		if !ok {
			v = "MISSING"
		}
		fmt.Fprintf(&b, "* `%s`: `%s`\n", name, v)
	}
	b.WriteString(claimsFooter)
	return b.String()
}

// statusPhrase is Python's HTTPStatus phrase, for the statuses it knows.
func statusPhrase(code int) string {
	if s := http.StatusText(code); s != "" {
		return s
	}
	return "Unknown Status"
}

const (
	malformedJSONMessage = `Token request failed: the index produced an unexpected
%d response.

This strongly suggests a server configuration or downtime issue; wait
a few minutes and try again.

You can monitor PyPI's status here: https://status.python.org/`

	// The blank line before the claims is doubled, as in the action, whose
	// claims template starts with a newline.
	rejectedMessage = `Token request failed: the server refused the request for the following reasons:

%s

This generally indicates a trusted publisher configuration error, but could
also indicate an internal error on GitHub or PyPI's part.

%s`

	claimsHeader = "\nThe claims rendered below are **for debugging purposes only**. You should **not**\n" +
		"use them to configure a trusted publisher unless they already match your expectations.\n\n" +
		"If a claim is not present in the claim set, then it is rendered as `MISSING`.\n\n"

	claimsFooter = "\nSee https://docs.pypi.org/trusted-publishers/troubleshooting/ for more help."

	noReasonsMessage = `Token request failed: the index responded with %d %s
and gave no reasons.

This strongly suggests a server configuration or downtime issue; wait
a few minutes and try again.`

	noTokenMessage = `Token response error: the index gave us an invalid response.

This strongly suggests a server configuration or downtime issue; wait
a few minutes and try again.`
)
