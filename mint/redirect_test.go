package mint

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/trustpub/pypi/internal/bounded"
	"github.com/trustpub/pypi/internal/origin"
)

// TestMintNeverRedirectsTheToken: a 307 to another host would re-send the
// identity token there; it is refused, and the other host sees nothing.
func TestMintNeverRedirectsTheToken(t *testing.T) {
	t.Parallel()
	var stolen atomic.Int32
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		io.Copy(io.Discard, r.Body)
		reply(200, "application/json", `{"token": "pypi-stolen"}`)(w, r)
	}))
	t.Cleanup(thief.Close)
	c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, thief.URL+r.URL.Path, http.StatusTemporaryRedirect)
	})
	jwt := makeJWT(t, githubClaims)
	_, err := c.Mint(t.Context(), jwt)
	var re *origin.RedirectError
	if !errors.Is(err, ErrUnreachable) || !errors.As(err, &re) || stolen.Load() != 0 {
		t.Fatalf("Mint = %v (the other host got %d requests); want the redirect refused", err, stolen.Load())
	}
	if strings.Contains(err.Error(), jwt) || !strings.Contains(err.Error(), thief.URL) {
		t.Errorf("err = %v; want the redirect's target named, and no token", err)
	}
	if _, err := c.Audience(t.Context()); !errors.As(err, &re) || stolen.Load() != 0 {
		t.Errorf("Audience = %v; want the redirect refused", err)
	}
}

// TestAnswerOverCap: an endless answer is cut at 1 MiB with an error
// naming the URL and the cap.
func TestAnswerOverCap(t *testing.T) {
	t.Parallel()
	c, srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"audience": "`)
		for range 3 << 10 {
			io.WriteString(w, strings.Repeat("a", 1<<10))
		}
	})
	_, err := c.Audience(t.Context())
	var be *bounded.Error
	if !errors.Is(err, ErrUnreachable) || !errors.As(err, &be) || !strings.Contains(err.Error(), srv.URL+"/_/oidc/audience: the answer is longer than the 1 MiB cap") {
		t.Errorf("err = %v; want the cap named", err)
	}
}
