package mint

import (
	"errors"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/oidc"
	"github.com/trustpub/pypi/pypitest"
)

// recording passes tokens through and remembers the last one.
type recording struct {
	ts   oauth2.TokenSource
	mu   sync.Mutex
	last string
}

func (r *recording) Token() (*oauth2.Token, error) {
	tok, err := r.ts.Token()
	if err == nil {
		r.mu.Lock()
		r.last = tok.AccessToken
		r.mu.Unlock()
	}
	return tok, err
}

func (r *recording) lastJWT() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

// TestEndToEnd runs the whole exchange against pypitest's fake GitHub
// issuer and fake PyPI, sharing one clock: the minted token is one the
// index issued for the right publisher, a replayed JWT is refused, and
// once the token nears its expiry a new one is minted from a new JWT.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	clk := pypitest.NewClock(time.Now().Truncate(time.Second))
	iss := pypitest.NewIssuer(pypitest.WithClock(clk.Now))
	t.Cleanup(iss.Close)
	srv := pypitest.NewServer(pypitest.WithIssuer(iss), pypitest.WithClock(clk.Now))
	t.Cleanup(srv.Close)
	srv.AddPublisher(iss.Run().Publisher("sampleproject"))

	env := iss.Env()
	oc := &oidc.Config{Getenv: func(k string) string { return env[k] }, HTTPClient: iss.Client()}
	c := Config{UploadURL: srv.URL + "/legacy/", HTTPClient: srv.Client(), Now: clk.Now}

	aud, err := c.Audience(t.Context())
	if err != nil || aud != "pypi" {
		t.Fatalf("Audience = %q, %v; want %q", aud, err, "pypi")
	}
	identity, err := oc.TokenSource(t.Context(), aud)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recording{ts: identity}
	ts := c.TokenSource(t.Context(), rec)

	first, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	minted := srv.Minted()
	if len(minted) != 1 || minted[0].Token != first.AccessToken || !minted[0].Expires.Equal(first.Expiry) {
		t.Fatalf("the index minted %d tokens; want exactly ours, with its expiry", len(minted))
	}
	if got := minted[0].Publisher.Project; got != "sampleproject" {
		t.Errorf("token minted for project %q; want sampleproject", got)
	}
	// The upload endpoint takes the token as a credential (the upload has
	// no file, so it fails later, with 400), and refuses a made-up one.
	if got := uploadStatus(t, srv, first.AccessToken); got == http.StatusForbidden {
		t.Errorf("upload with the minted token: status %d; want the credential accepted", got)
	}
	if got := uploadStatus(t, srv, "pypi-made-up"); got != http.StatusForbidden {
		t.Errorf("upload with a made-up token: status %d; want 403", got)
	}

	// A JWT is single-use: PyPI refuses a replay.
	_, err = c.Mint(t.Context(), rec.lastJWT())
	var me *Error
	if !errors.As(err, &me) || len(me.Reasons) != 1 || me.Reasons[0] != (Reason{"invalid-reuse-token", "invalid token: already used"}) {
		t.Fatalf("replayed JWT: err = %v; want invalid-reuse-token", err)
	}
	if repo, _ := me.Claims.Get("repository"); repo != "octo-org/sampleproject" {
		t.Errorf("error claims repository = %q; want %q", repo, "octo-org/sampleproject")
	}

	// Reused while more than 5 minutes remain...
	clk.Advance(9 * time.Minute)
	if tok, err := ts.Token(); err != nil || tok.AccessToken != first.AccessToken {
		t.Fatalf("at +9 min: Token = %v; want the first token again", err)
	}
	// ...and re-minted from a fresh JWT after.
	clk.Advance(2 * time.Minute)
	second, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	if second.AccessToken == first.AccessToken || !second.Expiry.Equal(clk.Now().Add(900*time.Second)) {
		t.Errorf("at +11 min: got the same token or expiry %v; want a new token expiring 900 s from now", second.Expiry)
	}
	if m := srv.Minted(); len(m) != 2 || m[0].JTI == m[1].JTI {
		t.Errorf("minted %+v; want two tokens from different JTIs", m)
	}
}

// uploadStatus posts an upload without a file to srv's legacy endpoint,
// with token as the password of __token__, and returns the status.
func uploadStatus(t *testing.T, srv *pypitest.Server, token string) int {
	t.Helper()
	var body strings.Builder
	form := multipart.NewWriter(&body)
	form.WriteField(":action", "file_upload")
	form.WriteField("protocol_version", "1")
	form.Close()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/legacy/", strings.NewReader(body.String()))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth("__token__", token)
	req.Header.Set("Content-Type", form.FormDataContentType())
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestEndToEndIdentityFailures checks the advice for jobs that get no
// identity token, with the environment pypitest's issuer describes.
func TestEndToEndIdentityFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		run  pypitest.GitHubRun
		kind error
	}{
		{"fork pull request", pypitest.GitHubRun{EventName: "pull_request", Fork: true}, oidc.ErrForkPR},
		{"no id-token permission", pypitest.GitHubRun{NoIDToken: true}, oidc.ErrMissingIDTokenPermission},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			iss := pypitest.NewIssuer(pypitest.WithRun(tt.run))
			t.Cleanup(iss.Close)
			env := iss.Env()
			oc := &oidc.Config{Getenv: func(k string) string { return env[k] }, HTTPClient: iss.Client()}
			_, err := oc.Token(t.Context(), "pypi")
			if !errors.Is(err, tt.kind) {
				t.Errorf("err = %v; want %v", err, tt.kind)
			}
		})
	}
	t.Run("reusable workflow", func(t *testing.T) {
		t.Parallel()
		iss := pypitest.NewIssuer(pypitest.WithRun(pypitest.GitHubRun{JobWorkflowRef: "octo-org/shared/.github/workflows/publish.yml@refs/heads/main"}))
		t.Cleanup(iss.Close)
		env := iss.Env()
		tok, err := (&oidc.Config{Getenv: func(k string) string { return env[k] }, HTTPClient: iss.Client()}).Token(t.Context(), "pypi")
		if err != nil {
			t.Fatal(err)
		}
		claims, err := oidc.ParseUnverified(tok.AccessToken)
		if _, _, ok := claims.ReusableWorkflow(); err != nil || !ok {
			t.Errorf("no reusable-workflow warning for a token from a reusable workflow (err %v)", err)
		}
	})
}

// TestTrustedPublishing runs the whole sequence in one call: outside CI
// it fails before any request; in a GitHub job it returns a source whose
// first token is already minted, with the identity token's claims, which
// it returns with a refusal too.
func TestTrustedPublishing(t *testing.T) {
	t.Parallel()
	iss := pypitest.NewIssuer()
	t.Cleanup(iss.Close)
	srv := pypitest.NewServer(pypitest.WithIssuer(iss))
	t.Cleanup(srv.Close)
	srv.AddPublisher(iss.Run().Publisher("sampleproject"))
	c := &Config{UploadURL: srv.URL + "/legacy/", HTTPClient: srv.Client()}
	ci := func(iss *pypitest.Issuer) *oidc.Config {
		return &oidc.Config{Getenv: iss.Getenv, HTTPClient: iss.Client()}
	}

	t.Run("outside CI", func(t *testing.T) {
		t.Parallel()
		ts, claims, err := c.TrustedPublishing(t.Context(), &oidc.Config{Getenv: func(string) string { return "" }})
		if !errors.Is(err, oidc.ErrNoAmbientCredential) || ts != nil || claims != nil {
			t.Errorf("TrustedPublishing = %v, %v, %v; want ErrNoAmbientCredential alone", ts, claims, err)
		}
	})
	t.Run("GitHub", func(t *testing.T) {
		t.Parallel()
		ts, claims, err := c.TrustedPublishing(t.Context(), ci(iss))
		if err != nil {
			t.Fatal(err)
		}
		if repo, _ := claims.Get("repository"); repo != iss.Getenv("GITHUB_REPOSITORY") {
			t.Errorf("claims repository = %q; want %q", repo, iss.Getenv("GITHUB_REPOSITORY"))
		}
		tok, err := ts.Token()
		if err != nil {
			t.Fatal(err)
		}
		if minted := srv.Minted(); len(minted) == 0 || minted[0].Token != tok.AccessToken {
			t.Errorf("the source's token is not the one minted first (%d minted)", len(minted))
		}
	})
	t.Run("reusable workflow refused", func(t *testing.T) {
		t.Parallel()
		other := pypitest.NewIssuer(pypitest.WithRun(pypitest.GitHubRun{JobWorkflowRef: "octo-org/shared/.github/workflows/publish.yml@refs/heads/main"}))
		t.Cleanup(other.Close)
		c := &Config{UploadURL: c.UploadURL, HTTPClient: srv.Client()}
		_, claims, err := c.TrustedPublishing(t.Context(), ci(other))
		if !errors.Is(err, ErrMintRejected) {
			t.Errorf("err = %v; want ErrMintRejected (the publisher does not match)", err)
		}
		if called, _, ok := claims.ReusableWorkflow(); !ok || called != "octo-org/shared/.github/workflows/publish.yml@refs/heads/main" {
			t.Errorf("claims.ReusableWorkflow() = %q, %v; want the called workflow", called, ok)
		}
	})
}
