// Package origin keeps credentials on the server they are meant for: an
// HTTP client that follows a redirect only within the origin (scheme,
// host and port) of the request it is given.
package origin

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirects bounds the requests sent for one call, so at most 4
// redirects are followed (as http.Client's default 10 allows 9).
const maxRedirects = 5

// Same reports whether a and b have the same scheme, host and port.
func Same(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host)
}

// RedirectError is a redirect refused because it leaves the origin of the
// request, which carries a credential (in a header or the body).
type RedirectError struct {
	From, To string // the URLs, without user info
}

// Error names both URLs.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("%s redirected to %s, another origin: not followed, as the request carries a credential", e.From, e.To)
}

// Client returns a copy of c (nil means a zero http.Client) that follows
// at most 4 redirects, all within the first request's origin, and fails
// with a *RedirectError on a redirect to another origin.
func Client(c *http.Client) *http.Client {
	out := &http.Client{}
	if c != nil {
		*out = *c
	}
	out.CheckRedirect = CheckRedirect
	return out
}

// CheckRedirect is Client's http.Client.CheckRedirect: it refuses a
// redirect to another origin than the first request's with a
// *RedirectError, and any redirect once maxRedirects requests were sent.
func CheckRedirect(req *http.Request, via []*http.Request) error {
	if !Same(req.URL, via[0].URL) {
		return &RedirectError{From: via[0].URL.Redacted(), To: req.URL.Redacted()}
	}
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	return nil
}
