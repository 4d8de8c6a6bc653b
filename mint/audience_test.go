package mint

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestAudience(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string // audience, or the error text with HOST for the host
		kind    error
	}{
		{"PyPI", reply(200, "application/json", `{"audience":"pypi"}`), "pypi", nil},
		{"TestPyPI with extra fields", reply(200, "application/json", `{"audience":"testpypi","other":[1]}`), "testpypi", nil},
		{"403 disabled", reply(403, "application/json", `{"message": "Trusted publishing functionality not enabled"}`),
			"mint: audience retrieval failed: repository at HOST has trusted publishing disabled", ErrAudienceForbidden},
		{"404", reply(404, "text/html", "<h1>Not Found</h1>"),
			"mint: audience retrieval failed: repository at HOST does not indicate trusted publishing support", ErrAudienceNotFound},
		{"500", reply(500, "text/plain", "oops"),
			"mint: audience retrieval failed: repository at HOST responded with unexpected 500: Internal Server Error", ErrBadResponse},
		{"503 HTML", reply(503, "text/html", "<html><body>Service Unavailable</body></html>"),
			"mint: audience retrieval failed: repository at HOST responded with unexpected 503: Service Unavailable", ErrBadResponse},
		{"599", reply(599, "", ""),
			"mint: audience retrieval failed: repository at HOST responded with unexpected 599: Unknown Status", ErrBadResponse},
		{"200 not JSON", reply(200, "text/html", "<html>pypi</html>"),
			`mint: audience retrieval failed: repository at HOST responded with 200 but no audience (want a JSON object with an "audience" string)`, ErrBadResponse},
		{"200 without audience", reply(200, "application/json", `{"aud":"pypi"}`),
			`mint: audience retrieval failed: repository at HOST responded with 200 but no audience (want a JSON object with an "audience" string)`, ErrBadResponse},
		{"200 empty audience", reply(200, "application/json", `{"audience":""}`),
			`mint: audience retrieval failed: repository at HOST responded with 200 but no audience (want a JSON object with an "audience" string)`, ErrBadResponse},
		{"200 audience not a string", reply(200, "application/json", `{"audience":7}`),
			`mint: audience retrieval failed: repository at HOST responded with 200 but no audience (want a JSON object with an "audience" string)`, ErrBadResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := serve(t, tt.handler)
			aud, err := c.Audience(t.Context())
			if tt.kind == nil {
				if err != nil || aud != tt.want {
					t.Fatalf("Audience = %q, %v; want %q", aud, err, tt.want)
				}
				return
			}
			if got, want := errText(err), strings.ReplaceAll(tt.want, "HOST", hostOf(c)); got != want {
				t.Errorf("error:\n%s\nwant:\n%s", got, want)
			}
			var me *Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &me) || me.Host != hostOf(c) || me.Endpoint != EndpointAudience {
				t.Errorf("err = %#v; want an *Error of kind %v", err, tt.kind)
			}
		})
	}
}

func TestAudienceUnreachable(t *testing.T) {
	t.Parallel()
	t.Run("timeout", func(t *testing.T) {
		t.Parallel()
		c, _ := serve(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		_, err := c.Audience(ctx)
		want := `mint: request to the index at ` + hostOf(c) + ` failed: Get "http://` + hostOf(c) + `/_/oidc/audience": context deadline exceeded`
		if got := errText(err); got != want {
			t.Errorf("error:\n%s\nwant:\n%s", got, want)
		}
		if !errors.Is(err, ErrUnreachable) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v; want ErrUnreachable wrapping context.DeadlineExceeded", err)
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		t.Parallel()
		c, srv := serve(t, reply(200, "", `{"audience":"pypi"}`))
		srv.Close()
		_, err := c.Audience(t.Context())
		if !errors.Is(err, ErrUnreachable) || !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("err = %v; want ErrUnreachable wrapping ECONNREFUSED", err)
		}
	})
}
