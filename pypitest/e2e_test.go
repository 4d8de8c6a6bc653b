package pypitest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestTrustedPublishingFlow walks the whole exchange over HTTP as a client
// in a GitHub Actions job does: the audience from the index, an identity
// token from the URL in the job's environment, the mint, and the upload
// token's use until it expires.
func TestTrustedPublishingFlow(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{Environment: "pypi"})
	whoami(f.srv)
	env := f.iss.Env()

	var aud struct{ Audience string }
	_, body := getBody(t, f.srv.Client(), f.srv.URL+audiencePath)
	if err := json.Unmarshal([]byte(body), &aud); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(env["ACTIONS_ID_TOKEN_REQUEST_URL"])
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("audience", aud.Audience)
	u.RawQuery = q.Encode()
	req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
	req.Header.Set("Authorization", "bearer "+env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, body = readResponse(t, resp)
	var id struct{ Value string }
	if err := json.Unmarshal([]byte(body), &id); err != nil {
		t.Fatal(err)
	}

	status, body := f.mint(t, id.Value)
	var minted struct {
		Token   string
		Expires int64
	}
	if err := json.Unmarshal([]byte(body), &minted); status != 200 || err != nil {
		t.Fatalf("mint: %d %s", status, body)
	}
	use := func() (int, string) {
		req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/whoami", nil)
		req.SetBasicAuth("__token__", minted.Token)
		resp, err := f.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return readResponse(t, resp)
	}
	if status, body := use(); status != 200 || !strings.Contains(body, `projects=["sampleproject"]`) {
		t.Errorf("upload token: %d %s", status, body)
	}
	identity := f.srv.tokens[minted.Token]
	f.clock.Advance(time.Unix(minted.Expires-1, 0).Sub(f.clock.Now()))
	if err := identity.permits("sampleproject", f.clock.Now()); err != nil {
		t.Errorf("a second before expiry: %v", err)
	}
	f.clock.Advance(time.Second)
	if err := identity.permits("sampleproject", f.clock.Now()); err == nil || strings.Contains(err.Error(), minted.Token) {
		t.Errorf("at expiry: %v", err)
	}
}

// BenchmarkMintToken measures one exchange over HTTP, from the signed
// identity token to the minted upload token.
func BenchmarkMintToken(b *testing.B) {
	iss := NewIssuer()
	b.Cleanup(iss.Close)
	srv := NewServer(WithIssuer(iss))
	b.Cleanup(srv.Close)
	srv.AddPublisher(iss.Run().Publisher("sampleproject"))
	client := srv.Client()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		body := `{"token": "` + iss.Token("pypi") + `"}`
		b.StartTimer()
		resp, err := client.Post(srv.URL+mintTokenPath, "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatal(resp.Status)
		}
	}
}
