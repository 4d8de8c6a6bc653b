package pypitest

import (
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// testEpoch is the time the fakes' shared clock starts at in tests.
var testEpoch = time.Date(2026, 8, 21, 12, 0, 0, 0, time.UTC)

// fixture is an issuer and a server that trusts it, sharing a clock, with
// the publisher for the issuer's run registered for "sampleproject".
type fixture struct {
	iss   *Issuer
	srv   *Server
	clock *Clock
}

func newFixture(t *testing.T, run GitHubRun, opts ...Option) fixture {
	t.Helper()
	clock := NewClock(testEpoch)
	iss := NewIssuer(WithRun(run), WithClock(clock.Now))
	t.Cleanup(iss.Close)
	srv := NewServer(append([]Option{WithIssuer(iss), WithClock(clock.Now)}, opts...)...)
	t.Cleanup(srv.Close)
	srv.AddPublisher(iss.Run().Publisher("sampleproject"))
	return fixture{iss: iss, srv: srv, clock: clock}
}

// mint posts a mint-token request with the JWT token and returns the
// status and body.
func (f fixture) mint(t *testing.T, token string) (int, string) {
	t.Helper()
	return postBody(t, f.srv, mintTokenPath, `{"token": "`+token+`"}`)
}

// postBody sends body to the server's path and returns the status and body.
func postBody(t *testing.T, srv *Server, path, body string) (int, string) {
	t.Helper()
	resp, err := srv.Client().Post(srv.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return readResponse(t, resp)
}

// getBody fetches url and returns the status and body.
func getBody(t *testing.T, client *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	return readResponse(t, resp)
}

// send sends req with srv's client, not following redirects, and returns
// the response with its body read.
func send(t *testing.T, srv *Server, req *http.Request) (*http.Response, string) {
	t.Helper()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, body := readResponse(t, resp)
	return resp, body
}

// readResponse reads and closes resp's body, returning the status and body.
func readResponse(t *testing.T, resp *http.Response) (int, string) {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// mintError is Warehouse's 422 body for one error, as json.dumps renders it.
func mintError(code, description string) string {
	return string(pyfmt.JSON(pyfmt.Object{
		{Key: "message", Value: "Token request failed"},
		{Key: "errors", Value: []pyfmt.Object{{{Key: "code", Value: code}, {Key: "description", Value: description}}}},
	}))
}

// absent, as a value in claimsWith's changes, removes the claim.
var absent = struct{ absent bool }{true}

// claimsWith returns a fresh token's claims for audience "pypi" with
// changes applied.
func (f fixture) claimsWith(changes map[string]any) map[string]any {
	c := f.iss.freshClaims("pypi")
	for k, v := range changes {
		if v == absent {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

func base64RawURL(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
