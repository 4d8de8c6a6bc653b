package oidc

// The tests in this file pin the wire format with gock. gock swaps global
// state, so they must stay serial (no t.Parallel); the client's own
// transport refuses the network, so nothing can leave the machine even when
// gock is not intercepting.

import (
	"errors"
	"net/http"
	"testing"

	"gopkg.in/h2non/gock.v1"
)

type refuseNetwork struct{}

func (refuseNetwork) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("real network disabled in tests")
}

func TestWireGitHubTokenRequest(t *testing.T) {
	defer gock.Off()
	client := &http.Client{Transport: refuseNetwork{}}
	gock.InterceptClient(client)
	defer gock.RestoreClient(client)

	jwt := makeJWT(t, map[string]any{"aud": "pypi", "exp": 1700000300})
	gock.New("https://pipelines.actions.githubusercontent.com").
		Get("/abc/idtoken/run/job").
		MatchParam("api-version", `^2\.0$`).
		MatchParam("audience", "^pypi$").
		MatchHeader("Authorization", "^bearer request-token-s3cret$").
		AddMatcher(func(r *http.Request, _ *gock.Request) (bool, error) {
			// The audience is merged into the URL's own query, and sent once.
			return r.URL.RawQuery == "api-version=2.0&audience=pypi" && len(r.Header.Values("Authorization")) == 1, nil
		}).
		Reply(200).
		JSON(map[string]any{"count": 1, "value": jwt})

	c := &Config{
		Getenv: env(map[string]string{
			"GITHUB_ACTIONS":                 "true",
			"ACTIONS_ID_TOKEN_REQUEST_URL":   "https://pipelines.actions.githubusercontent.com/abc/idtoken/run/job?api-version=2.0",
			"ACTIONS_ID_TOKEN_REQUEST_TOKEN": "request-token-s3cret",
		}),
		HTTPClient: client,
	}
	tok, err := c.Token(t.Context(), "pypi")
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != jwt {
		t.Error("token is not the endpoint's value")
	}
	if !gock.IsDone() || gock.HasUnmatchedRequest() {
		t.Errorf("gock: done=%v unmatched=%v", gock.IsDone(), gock.HasUnmatchedRequest())
	}
}
