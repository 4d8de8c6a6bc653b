package upload

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry bounds the retries of one file's upload. Attempts that fail
// with a transport error, a 5xx or a 429 are retried after an
// exponential backoff with jitter: a random wait between half and all of
// MinDelay·2ⁿ, capped at MaxDelay, or the answer's Retry-After if longer.
type Retry struct {
	// Attempts is how many times a file is sent at most; 0 means 4, and
	// 1 means no retries.
	Attempts int
	// MinDelay is the first backoff; 0 means 2 s.
	MinDelay time.Duration
	// MaxDelay caps the backoff; 0 means 30 s.
	MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After honoured; 0 means 2 min.
	// An answer asking for a longer wait ends the retries.
	MaxRetryAfter time.Duration
}

func (r Retry) attempts() int {
	if r.Attempts < 1 {
		return 4
	}
	return r.Attempts
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// wait returns how long to wait before retry n (1 for the first), given
// the answer's Retry-After (0 if none); ok is false when the index asks
// for a longer wait than MaxRetryAfter.
func (r Retry) wait(n int, retryAfter time.Duration) (d time.Duration, ok bool) {
	lo, hi := orDefault(r.MinDelay, 2*time.Second), orDefault(r.MaxDelay, 30*time.Second)
	d = lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	d = d/2 + rand.N(d/2+1)
	if retryAfter > orDefault(r.MaxRetryAfter, 2*time.Minute) {
		return 0, false
	}
	return max(d, retryAfter), true
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// retryableStatus: the index may do better next time.
func retryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || code >= 500 && code <= 599
}

// retryableTransport: the request failed on the way, not for a reason
// that a retry cannot change (a cancelled ctx, a bad certificate).
func retryableTransport(ctx context.Context, err error) bool {
	var perm permanentError
	if ctx.Err() != nil || errors.As(err, &perm) {
		return false
	}
	var (
		cve *tls.CertificateVerificationError
		uae x509.UnknownAuthorityError
		he  x509.HostnameError
		cie x509.CertificateInvalidError
	)
	return !errors.As(err, &cve) && !errors.As(err, &uae) && !errors.As(err, &he) && !errors.As(err, &cie)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
