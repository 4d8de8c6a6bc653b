// Package bounded reads what servers send within a cap, failing with an
// error that names the URL and the cap instead of growing without bound
// or cutting the answer short silently.
package bounded

import (
	"fmt"
	"io"
	"net/http"
)

// Error is an answer longer than its cap.
type Error struct {
	URL string // without user info
	Cap int64  // bytes
}

// Error names the URL and the cap.
func (e *Error) Error() string {
	return fmt.Sprintf("%s: the answer is longer than the %s cap", e.URL, size(e.Cap))
}

func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d-byte", n)
}

// Body returns resp's body as a reader that fails with an *Error after
// limit bytes, naming the URL of resp's request.
func Body(resp *http.Response, limit int64) io.Reader {
	u := ""
	if resp.Request != nil && resp.Request.URL != nil {
		u = resp.Request.URL.Redacted()
	}
	return &reader{r: resp.Body, left: limit, err: &Error{URL: u, Cap: limit}}
}

// ReadAll reads resp's body whole, up to limit bytes; past that it
// returns an *Error.
func ReadAll(resp *http.Response, limit int64) ([]byte, error) {
	return io.ReadAll(Body(resp, limit))
}

type reader struct {
	r    io.Reader
	left int64
	err  *Error
}

func (r *reader) Read(p []byte) (int, error) {
	if r.left < 0 {
		return 0, r.err
	}
	// Read one byte past the cap, to tell "exactly the cap" from "more".
	if int64(len(p)) > r.left+1 {
		p = p[:r.left+1]
	}
	n, err := r.r.Read(p)
	r.left -= int64(n)
	if r.left < 0 {
		return n + int(r.left), r.err
	}
	return n, err
}
