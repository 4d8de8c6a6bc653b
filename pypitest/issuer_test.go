package pypitest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// requestToken asks the issuer's token endpoint for a token as a job step
// does, with the given Authorization header and extra query.
func requestToken(t *testing.T, iss *Issuer, authorization string, query url.Values) (int, string) {
	t.Helper()
	u, err := url.Parse(iss.tokenURL())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for k, v := range query {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := iss.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return readResponse(t, resp)
}

// verifyWithJWKS checks jwt's signature against the key the issuer's
// discovery document and JWKS publish for its kid, and returns its header
// and claims.
func verifyWithJWKS(t *testing.T, iss *Issuer, jwt string) (jose.Header, map[string]any) {
	t.Helper()
	var conf struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	_, body := getBody(t, iss.Client(), iss.URL+"/.well-known/openid-configuration")
	if err := json.Unmarshal([]byte(body), &conf); err != nil || conf.Issuer != iss.URL {
		t.Fatalf("discovery document %s: %v", body, err)
	}
	var set jose.JSONWebKeySet
	_, body = getBody(t, iss.Client(), conf.JWKSURI)
	if err := json.Unmarshal([]byte(body), &set); err != nil {
		t.Fatalf("JWKS %s: %v", body, err)
	}
	jws, err := jose.ParseSignedCompact(jwt, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	h := jws.Signatures[0].Header
	keys := set.Key(h.KeyID)
	if len(keys) != 1 || !keys[0].IsPublic() {
		t.Fatalf("JWKS has %d public keys for kid %q", len(keys), h.KeyID)
	}
	payload, err := jws.Verify(keys[0])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	return h, claims
}

func TestIssuerTokenEndpoint(t *testing.T) {
	t.Parallel()
	clock := NewClock(testEpoch)
	iss := NewIssuer(WithClock(clock.Now))
	t.Cleanup(iss.Close)
	status, body := requestToken(t, iss, "bearer "+iss.requestToken, url.Values{"audience": {"pypi"}})
	if status != http.StatusOK {
		t.Fatalf("got %d %s", status, body)
	}
	var resp struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatal(err)
	}
	h, claims := verifyWithJWKS(t, iss, resp.Value)
	if h.Algorithm != "RS256" || h.KeyID != iss.keyID() || h.ExtraHeaders["typ"] != "JWT" {
		t.Errorf("header %+v, want RS256, kid %s, typ JWT", h, iss.keyID())
	}
	iat := float64(testEpoch.Unix())
	for name, want := range map[string]any{
		"iss": iss.URL, "aud": "pypi", "iat": iat, "exp": iat + 300, "nbf": iat - 300,
		"sub":                 "repo:octo-org/sampleproject:ref:refs/heads/main",
		"repository":          "octo-org/sampleproject",
		"repository_owner":    "octo-org",
		"repository_owner_id": "131804563",
		"workflow_ref":        "octo-org/sampleproject/.github/workflows/release.yml@refs/heads/main",
		"job_workflow_ref":    "octo-org/sampleproject/.github/workflows/release.yml@refs/heads/main",
		"ref":                 "refs/heads/main",
		"ref_type":            "branch",
		"sha":                 "8f3d1a2b4c5e6f708192a3b4c5d6e7f801234567",
		"event_name":          "push",
	} {
		if claims[name] != want {
			t.Errorf("claim %s = %#v, want %#v", name, claims[name], want)
		}
	}
	// Every claim of GitHub's sample token (GitHub's documentation of its OIDC tokens) is there,
	// and every ID is a string.
	for _, name := range strings.Fields(`actor actor_id aud base_ref check_run_id event_name exp head_ref iat iss
		job_workflow_ref job_workflow_sha jti nbf ref ref_protected ref_type repository repository_id
		repository_owner repository_owner_id repository_visibility run_attempt run_id run_number
		runner_environment sha sub workflow workflow_ref workflow_sha`) {
		if _, ok := claims[name]; !ok {
			t.Errorf("claim %s missing", name)
		}
		if _, isString := claims[name].(string); strings.HasSuffix(name, "_id") && !isString {
			t.Errorf("claim %s = %#v, want a string", name, claims[name])
		}
	}
	if _, ok := claims["environment"]; ok {
		t.Error("environment claim present for a job without one")
	}
	if iss.Issued() != 1 {
		t.Errorf("Issued() = %d, want 1", iss.Issued())
	}
}

func TestIssuerTokensAreUnique(t *testing.T) {
	t.Parallel()
	iss := NewIssuer()
	t.Cleanup(iss.Close)
	a, b := iss.freshClaims("pypi"), iss.freshClaims("pypi")
	if a["jti"] == b["jti"] || a["jti"] == "" {
		t.Errorf("jti %v and %v", a["jti"], b["jti"])
	}
}

func TestIssuerTokenEndpointRefusals(t *testing.T) {
	t.Parallel()
	iss := NewIssuer()
	t.Cleanup(iss.Close)
	aud := url.Values{"audience": {"pypi"}}
	for _, tc := range []struct {
		name, authorization string
		query               url.Values
		want                int
	}{
		{"no Authorization", "", aud, http.StatusUnauthorized},
		{"wrong token", "bearer nope", aud, http.StatusUnauthorized},
		{"basic scheme", "Basic " + iss.requestToken, aud, http.StatusUnauthorized},
		{"Bearer", "Bearer " + iss.requestToken, aud, http.StatusOK},
		{"BEARER", "BEARER " + iss.requestToken, aud, http.StatusOK},
		{"api-version dropped", "bearer " + iss.requestToken, url.Values{"api-version": {""}, "audience": {"pypi"}}, http.StatusBadRequest},
	} {
		if status, body := requestToken(t, iss, tc.authorization, tc.query); status != tc.want {
			t.Errorf("%s: got %d %s, want %d", tc.name, status, body, tc.want)
		}
	}
	resp, err := iss.Client().Post(iss.tokenURL(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := readResponse(t, resp); status != http.StatusMethodNotAllowed {
		t.Errorf("POST: got %d, want 405", status)
	}
	if iss.Issued() != 2 {
		t.Errorf("Issued() = %d, want 2", iss.Issued())
	}
}

func TestIssuerDefaultAudienceAndEncoding(t *testing.T) {
	t.Parallel()
	iss := NewIssuer()
	t.Cleanup(iss.Close)
	for aud, want := range map[string]string{"": "https://github.com/octo-org", "a b&c=d": "a b&c=d"} {
		q := url.Values{}
		if aud != "" {
			q.Set("audience", aud)
		}
		_, body := requestToken(t, iss, "bearer "+iss.requestToken, q)
		var resp struct{ Value string }
		if err := json.Unmarshal([]byte(body), &resp); err != nil {
			t.Fatal(err)
		}
		if _, claims := verifyWithJWKS(t, iss, resp.Value); claims["aud"] != want {
			t.Errorf("audience %q: aud %v, want %q", aud, claims["aud"], want)
		}
	}
}

func TestIssuerRunShapesClaims(t *testing.T) {
	t.Parallel()
	run := GitHubRun{
		Owner: "Acme", OwnerID: "42", Repository: "widgets", Workflow: "publish.yaml",
		Ref: "refs/tags/v1.0", SHA: "abc123", Environment: "PyPI", EventName: "release",
		JobWorkflowRef: "Acme/shared/.github/workflows/pub.yml@refs/heads/main",
	}
	iss := NewIssuer(WithRun(run))
	t.Cleanup(iss.Close)
	c := iss.freshClaims("pypi")
	for name, want := range map[string]string{
		"repository": "Acme/widgets", "repository_owner": "Acme", "repository_owner_id": "42",
		"workflow_ref":     "Acme/widgets/.github/workflows/publish.yaml@refs/tags/v1.0",
		"job_workflow_ref": run.JobWorkflowRef, "ref": run.Ref, "ref_type": "tag", "sha": "abc123",
		"environment": "PyPI", "event_name": "release", "sub": "repo:Acme/widgets:environment:PyPI",
	} {
		if c[name] != want {
			t.Errorf("claim %s = %#v, want %q", name, c[name], want)
		}
	}
	want := GitHubPublisher{Project: "widgets", RepositoryOwner: "Acme", RepositoryOwnerID: "42", Repository: "widgets", WorkflowFilename: "publish.yaml", Environment: "PyPI"}
	if got := iss.Run().Publisher("widgets"); got != want {
		t.Errorf("Publisher = %+v, want %+v", got, want)
	}
}

func TestIssuerTokenReply(t *testing.T) {
	t.Parallel()
	iss := NewIssuer()
	t.Cleanup(iss.Close)
	auth := "bearer " + iss.requestToken
	for _, tc := range []struct {
		reply      *Reply
		wantStatus int
		wantBody   string
	}{
		{JSONReply(200, `{"count": 1}`), 200, `{"count": 1}`},
		{JSONReply(200, `{"value": 5}`), 200, `{"value": 5}`},
		{&Reply{Status: 403, ContentType: "text/plain; charset=utf-8", Body: "forbidden"}, 403, "forbidden"},
		{HTMLReply(503), 503, "<h1>503 Service Unavailable</h1>"},
	} {
		iss.setTokenReply(tc.reply)
		if status, body := requestToken(t, iss, auth, nil); status != tc.wantStatus || !strings.Contains(body, tc.wantBody) {
			t.Errorf("reply %+v: got %d %s", tc.reply, status, body)
		}
	}
	iss.setTokenReply(nil)
	if status, body := requestToken(t, iss, auth, nil); status != 200 || !strings.Contains(body, `"value":"ey`) {
		t.Errorf("restored: got %d %s", status, body)
	}
}

func TestIssuerEnv(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		run       GitHubRun
		withToken bool
		event     string
	}{
		{"push", GitHubRun{}, true, `{}`},
		{"no id-token permission", GitHubRun{NoIDToken: true}, false, `{}`},
		{"fork pull request", GitHubRun{EventName: "pull_request", Fork: true}, false, `"fork":true`},
		{"fork pull_request_target", GitHubRun{EventName: "pull_request_target", Fork: true}, true, `"fork":true`},
		{"own pull request", GitHubRun{EventName: "pull_request"}, true, `"fork":false`},
	} {
		iss := NewIssuer(WithRun(tc.run))
		t.Cleanup(iss.Close)
		env := iss.Env()
		_, hasURL := env["ACTIONS_ID_TOKEN_REQUEST_URL"]
		_, hasToken := env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]
		if hasURL != tc.withToken || hasToken != tc.withToken {
			t.Errorf("%s: token variables present %v/%v, want %v", tc.name, hasURL, hasToken, tc.withToken)
		}
		if tc.withToken && (env["ACTIONS_ID_TOKEN_REQUEST_URL"] != iss.tokenURL() || env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] != iss.requestToken) {
			t.Errorf("%s: token variables %q %q", tc.name, env["ACTIONS_ID_TOKEN_REQUEST_URL"], env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"])
		}
		if !strings.Contains(env["ACTIONS_ID_TOKEN_REQUEST_URL"], "?api-version=2.0") && tc.withToken {
			t.Errorf("%s: the token URL carries no query", tc.name)
		}
		for k, want := range map[string]string{
			"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "octo-org/sampleproject", "GITHUB_REPOSITORY_OWNER": "octo-org",
			"GITHUB_EVENT_NAME": iss.Run().EventName, "GITHUB_WORKFLOW_REF": iss.Run().workflowRef(),
		} {
			if env[k] != want {
				t.Errorf("%s: %s=%q, want %q", tc.name, k, env[k], want)
			}
		}
		event, err := os.ReadFile(env["GITHUB_EVENT_PATH"])
		if err != nil || !strings.Contains(string(event), tc.event) || !json.Valid(event) {
			t.Errorf("%s: event payload %s (%v), want %s in it", tc.name, event, err, tc.event)
		}
		if summary, err := os.ReadFile(env["GITHUB_STEP_SUMMARY"]); err != nil || len(summary) != 0 {
			t.Errorf("%s: step summary %q, %v", tc.name, summary, err)
		}
	}
}

// Close removes the files Env wrote, also those of an Env called after an
// earlier Close; each Env call gets files of its own.
func TestIssuerCloseRemovesEnvFiles(t *testing.T) {
	t.Parallel()
	exists := func(path string) bool { _, err := os.Stat(path); return err == nil }
	iss := NewIssuer()
	first, second := iss.Env(), iss.Env()
	if first["GITHUB_EVENT_PATH"] == second["GITHUB_EVENT_PATH"] {
		t.Errorf("two Env calls share %s", first["GITHUB_EVENT_PATH"])
	}
	iss.Close()
	for _, env := range []map[string]string{first, second} {
		for _, k := range []string{"GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY"} {
			if exists(env[k]) {
				t.Errorf("%s survives Close", env[k])
			}
		}
	}
	late := iss.Env()
	if !exists(late["GITHUB_EVENT_PATH"]) {
		t.Errorf("Env after Close wrote no %s", late["GITHUB_EVENT_PATH"])
	}
	iss.Close()
	if exists(late["GITHUB_EVENT_PATH"]) {
		t.Errorf("%s survives a second Close", late["GITHUB_EVENT_PATH"])
	}
}

// An Issuer made by NewIssuer is closed, and its Env files removed, when
// its test ends.
func TestNewIssuerCleansUp(t *testing.T) {
	t.Parallel()
	var iss *Issuer
	var eventPath string
	t.Run("user", func(t *testing.T) {
		iss = NewIssuer()
		t.Cleanup(iss.Close)
		eventPath = iss.Env()["GITHUB_EVENT_PATH"]
		if _, err := os.Stat(eventPath); err != nil {
			t.Fatal(err)
		}
	})
	if _, err := os.Stat(eventPath); !os.IsNotExist(err) {
		t.Errorf("%s after the test: %v", eventPath, err)
	}
	if _, err := iss.Client().Get(iss.URL + jwksPath); err == nil {
		t.Error("the issuer answered after its test")
	}
}

func TestIssuerKeyRotationPublishesBothKeys(t *testing.T) {
	t.Parallel()
	iss := NewIssuer()
	t.Cleanup(iss.Close)
	before := iss.Token("pypi")
	oldKID := iss.keyID()
	iss.rotateKey()
	if iss.keyID() == oldKID {
		t.Fatal("kid unchanged")
	}
	for _, jwt := range []string{before, iss.Token("pypi")} {
		verifyWithJWKS(t, iss, jwt)
	}
	var set jose.JSONWebKeySet
	_, body := getBody(t, iss.Client(), iss.URL+"/.well-known/jwks")
	if err := json.Unmarshal([]byte(body), &set); err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, k := range set.Keys {
		kids = append(kids, k.KeyID)
	}
	if !slices.Contains(kids, oldKID) || !slices.Contains(kids, iss.keyID()) || len(kids) != 2 {
		t.Errorf("JWKS kids %q", kids)
	}
}

// Getenv reads the job's environment as Env gives it, anew after SetRun.
func TestIssuerGetenv(t *testing.T) {
	t.Parallel()
	iss := NewIssuer()
	t.Cleanup(iss.Close)
	if got := iss.Getenv("GITHUB_REPOSITORY"); got != "octo-org/sampleproject" {
		t.Errorf("GITHUB_REPOSITORY = %q, want octo-org/sampleproject", got)
	}
	if got, want := iss.Getenv("ACTIONS_ID_TOKEN_REQUEST_URL"), iss.URL+"/_apis/idtoken?api-version=2.0"; got != want {
		t.Errorf("ACTIONS_ID_TOKEN_REQUEST_URL = %q, want %q", got, want)
	}
	iss.SetRun(GitHubRun{Repository: "other", NoIDToken: true})
	if got := iss.Getenv("GITHUB_REPOSITORY"); got != "octo-org/other" {
		t.Errorf("after SetRun, GITHUB_REPOSITORY = %q, want octo-org/other", got)
	}
	if got := iss.Getenv("ACTIONS_ID_TOKEN_REQUEST_URL"); got != "" {
		t.Errorf("without id-token permission, ACTIONS_ID_TOKEN_REQUEST_URL = %q, want none", got)
	}
}
