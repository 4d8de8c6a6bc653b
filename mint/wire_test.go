package mint

// The tests in this file pin the wire format with gock. gock swaps global
// state, so they must stay serial (no t.Parallel); the client's own
// transport refuses the network, so nothing can leave the machine even when
// gock is not intercepting.

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"gopkg.in/h2non/gock.v1"
)

type refuseNetwork struct{}

func (refuseNetwork) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("real network disabled in tests")
}

func TestWireMintRequest(t *testing.T) {
	defer gock.Off()
	client := &http.Client{Transport: refuseNetwork{}}
	gock.InterceptClient(client)
	defer gock.RestoreClient(client)

	jwt := makeJWT(t, githubClaims)
	gock.New("https://test.pypi.org").
		Get("/_/oidc/audience").
		Reply(200).
		JSON(map[string]string{"audience": "testpypi"})
	gock.New("https://test.pypi.org").
		Post("/_/oidc/mint-token").
		MatchType("json").
		BodyString(`^\{"token":"` + jwt + `"\}$`).
		Reply(200).
		JSON(map[string]any{"success": true, "token": "pypi-AgENdGVzdC5weXBpLm9yZw", "expires": 1764073800})

	c := &Config{UploadURL: "https://test.pypi.org/legacy/", HTTPClient: client}
	aud, err := c.Audience(t.Context())
	if err != nil || aud != "testpypi" {
		t.Fatalf("Audience = %q, %v", aud, err)
	}
	tok, err := c.Mint(t.Context(), jwt)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "pypi-AgENdGVzdC5weXBpLm9yZw" || !tok.Expiry.Equal(time.Unix(1764073800, 0)) {
		t.Errorf("token expiry %v; want the minted token expiring at 1764073800", tok.Expiry)
	}
	if !gock.IsDone() || gock.HasUnmatchedRequest() {
		t.Errorf("gock: done=%v unmatched=%v", gock.IsDone(), gock.HasUnmatchedRequest())
	}
}
