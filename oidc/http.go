package oidc

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/trustpub/pypi/internal/bounded"
	"github.com/trustpub/pypi/internal/origin"
)

const (
	// requestTimeout bounds one attempt, as the PyPI package id does.
	requestTimeout = 30 * time.Second
	// maxAttempts bounds the retries on transport errors and 5xx responses;
	// GitHub's token endpoint is known to be flaky.
	maxAttempts = 5
	// firstBackoff is the wait before the first retry; it doubles each time.
	firstBackoff = 250 * time.Millisecond
	// maxBody bounds what is read of a response; a longer one is an
	// error, not retried.
	maxBody = 1 << 20
)

// response is what is kept of an HTTP response.
type response struct {
	status int
	body   []byte
}

// do sends the request that newReq builds, retrying transport errors
// (but for a refused redirect or an answer over the cap) and 5xx
// responses with exponential backoff. The request is rebuilt for each
// attempt, so that headers are never duplicated.
func (c *Config) do(ctx context.Context, newReq func(ctx context.Context) (*http.Request, error)) (*response, error) {
	backoff := firstBackoff
	for attempt := 1; ; attempt++ {
		resp, err := c.attempt(ctx, newReq)
		retry := err != nil && !final(err) || err == nil && resp.status >= 500
		if !retry || attempt == maxAttempts || ctx.Err() != nil {
			return resp, err
		}
		c.logger().Debug("oidc: retrying token request", "attempt", attempt, "backoff", backoff)
		select {
		case <-ctx.Done():
			return resp, err
		case <-time.After(backoff):
		}
		backoff *= 2
	}
}

func (c *Config) attempt(ctx context.Context, newReq func(ctx context.Context) (*http.Request, error)) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := newReq(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := c.client().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := bounded.ReadAll(resp, maxBody)
	if err != nil {
		return nil, err
	}
	return &response{status: resp.StatusCode, body: body}, nil
}

// final reports whether err is one a retry would meet again.
func final(err error) bool {
	var redirect *origin.RedirectError
	var long *bounded.Error
	return errors.As(err, &redirect) || errors.As(err, &long)
}

// isTimeout reports whether err is a timeout of a request or of its context.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}
