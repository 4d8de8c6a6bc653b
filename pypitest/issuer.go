package pypitest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Paths served by an Issuer.
const (
	discoveryPath = "/.well-known/openid-configuration"
	jwksPath      = "/.well-known/jwks"
	idTokenPath   = "/_apis/idtoken"
)

// An Issuer is a fake CI identity provider shaped like GitHub Actions'
// (https://token.actions.githubusercontent.com): an HTTP server on the
// loopback interface with OIDC discovery, a JWKS, and the token endpoint a
// job reaches through ACTIONS_ID_TOKEN_REQUEST_URL. Its tokens are RS256 JWTs
// with GitHub's claims for the job described by its [GitHubRun], and their
// issuer (claim iss) is the Issuer's URL. [Issuer.GitLabToken] makes GitLab
// CI/CD ID tokens too, for a [GitLabRun].
//
// The token endpoint answers GET ACTIONS_ID_TOKEN_REQUEST_URL&audience=AUD carrying
// "Authorization: bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN" (any case of "bearer") with
// {"value": "<jwt>"} whose aud is AUD; without an audience, aud is the
// owner's URL, as on GitHub. A missing or wrong bearer gets 401, a request
// without api-version 400, another method 405.
//
// All methods are safe for concurrent use.
type Issuer struct {
	// URL is the issuer's base URL, of the form http://127.0.0.1:port, with
	// no trailing slash. It is also the iss claim of its tokens.
	URL string

	srv          *httptest.Server
	now          func() time.Time
	requestToken string

	mu     sync.Mutex
	keys   []jose.JSONWebKey // private keys, the newest (signing) one last
	run    GitHubRun
	reply  *Reply
	issued int
	dir    string            // holds the files of Env, made by its first call; Close removes it
	env    map[string]string // Getenv's environment, made by its first call after SetRun
}

// WithRun sets the job the issuer's tokens describe (default: the zero
// GitHubRun, i.e. all defaults).
func WithRun(r GitHubRun) Option {
	return func(t *target) {
		if t.i != nil {
			t.i.run = r
		}
	}
}

// NewIssuer starts and returns a new Issuer. The caller should call Close
// when finished, to shut it down (a test: t.Cleanup(iss.Close)).
func NewIssuer(opts ...Option) *Issuer {
	i := &Issuer{now: time.Now, requestToken: "ghs_" + randomString(24)}
	for _, o := range opts {
		o(&target{i: i})
	}
	i.keys = []jose.JSONWebKey{newSigningKey()}
	mux := http.NewServeMux()
	mux.HandleFunc(discoveryPath, i.serveDiscovery)
	mux.HandleFunc(jwksPath, i.serveJWKS)
	mux.HandleFunc(idTokenPath, i.serveIDToken)
	i.srv = httptest.NewServer(mux)
	i.URL = i.srv.URL
	return i
}

// Close shuts the issuer down, so that later requests see a connection
// refused, and removes the files [Issuer.Env] wrote; calling it again
// does nothing more than remove the files of any Env called since.
func (i *Issuer) Close() {
	i.srv.Close()
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.dir != "" {
		os.RemoveAll(i.dir)
		i.dir = ""
	}
}

// Client returns an HTTP client for the issuer's server.
func (i *Issuer) Client() *http.Client { return i.srv.Client() }

// tokenURL returns the value of ACTIONS_ID_TOKEN_REQUEST_URL: the token
// endpoint's URL, which already carries a query (api-version=2.0), as on
// GitHub, so that clients must add the audience to it rather than replace it.
func (i *Issuer) tokenURL() string { return i.URL + idTokenPath + "?api-version=2.0" }

// Run returns the job the issuer's tokens describe, with defaults filled in.
func (i *Issuer) Run() GitHubRun {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.run.withDefaults()
}

// SetRun changes the job that later tokens describe.
func (i *Issuer) SetRun(r GitHubRun) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.run = r
	i.env = nil
}

// setTokenReply makes the token endpoint give r to every request instead of
// a token (nil restores normal service).
func (i *Issuer) setTokenReply(r *Reply) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.reply = r
}

// Issued returns how many tokens the token endpoint has handed out.
func (i *Issuer) Issued() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.issued
}

// keyID returns the kid of the key the issuer signs with now.
func (i *Issuer) keyID() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.keys[len(i.keys)-1].KeyID
}

// rotateKey makes the issuer sign with a new key from now on. Its JWKS
// publishes the old keys too, as GitHub's does during a rotation.
func (i *Issuer) rotateKey() {
	k := newSigningKey()
	i.mu.Lock()
	defer i.mu.Unlock()
	i.keys = append(i.keys, k)
}

// freshClaims returns the claims of a fresh token for audience, as the
// token endpoint would sign them now: GitHub's claims for the run, a new
// jti, and iss set to the issuer's URL. Tests change them and sign them to
// make tokens a real issuer would not give.
func (i *Issuer) freshClaims(audience string) map[string]any {
	run := i.Run()
	if audience == "" {
		audience = "https://github.com/" + run.Owner
	}
	c := run.claims(audience, newUUID(), i.now())
	c["iss"] = i.URL
	return c
}

// Token returns a fresh signed token for audience, as the token endpoint
// would give it.
func (i *Issuer) Token(audience string) string { return i.sign(i.freshClaims(audience)) }

// GitLabToken returns a fresh signed GitLab CI/CD ID token for audience
// (the aud of the job's id_tokens entry, e.g. "sigstore") describing the
// job r, with the issuer's URL as iss. GitLab hands a job its tokens in
// variables rather than from an endpoint; [NewSigstore]'s Fulcio renders
// them with its gitlab-pipeline template.
func (i *Issuer) GitLabToken(audience string, r GitLabRun) string {
	c := r.claims(audience, newUUID(), i.now())
	c["iss"] = i.URL
	return i.sign(c)
}

// sign returns claims as a compact JWT signed with the issuer's current key
// (RS256, with its kid). Any JSON-encodable claims are accepted, so that
// tests can make expired, wrongly addressed or incomplete tokens.
func (i *Issuer) sign(claims map[string]any) string {
	i.mu.Lock()
	key := i.keys[len(i.keys)-1]
	i.mu.Unlock()
	payload, err := json.Marshal(claims)
	if err != nil {
		panic("pypitest: sign: " + err.Error())
	}
	return signPayload(key, payload)
}

// signPayload signs payload with key as a compact RS256 JWS with typ JWT.
func signPayload(key jose.JSONWebKey, payload []byte) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	return s
}

// newSigningKey returns a fresh 2048-bit RSA key with a random kid.
func newSigningKey() jose.JSONWebKey {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	return jose.JSONWebKey{Key: priv, KeyID: newUUID(), Algorithm: string(jose.RS256), Use: "sig"}
}

func (i *Issuer) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                i.URL,
		"jwks_uri":                              i.URL + jwksPath,
		"subject_types_supported":               []string{"public", "pairwise"},
		"response_types_supported":              []string{"id_token"},
		"claims_supported":                      []string{"sub", "aud", "exp", "iat", "iss", "jti", "nbf", "ref", "sha", "repository", "repository_id", "repository_owner", "repository_owner_id", "run_id", "run_number", "run_attempt", "actor", "actor_id", "workflow", "workflow_ref", "workflow_sha", "head_ref", "base_ref", "event_name", "ref_type", "ref_protected", "environment", "environment_node_id", "job_workflow_ref", "job_workflow_sha", "repository_visibility", "runner_environment", "check_run_id"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid"},
	})
}

func (i *Issuer) serveJWKS(w http.ResponseWriter, r *http.Request) {
	i.mu.Lock()
	set := jose.JSONWebKeySet{}
	for _, k := range i.keys {
		set.Keys = append(set.Keys, k.Public())
	}
	i.mu.Unlock()
	writeJSON(w, http.StatusOK, set)
}

func (i *Issuer) serveIDToken(w http.ResponseWriter, r *http.Request) {
	i.mu.Lock()
	reply := i.reply
	i.mu.Unlock()
	if reply != nil {
		reply.serve(w, r)
		return
	}
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "bearer") || token != i.requestToken {
		http.Error(w, "missing or invalid bearer token", http.StatusUnauthorized)
		return
	}
	if r.URL.Query().Get("api-version") == "" {
		http.Error(w, "the api-version query parameter is required", http.StatusBadRequest)
		return
	}
	tok := i.Token(r.URL.Query().Get("audience"))
	i.mu.Lock()
	i.issued++
	i.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"value": tok})
}

// Env returns the environment variables a step of the issuer's job sees, as
// far as CI detection and trusted publishing go: GITHUB_ACTIONS=true, the
// token request pair (unless the run is a pull_request from a fork or
// lacks the id-token permission), GITHUB_REPOSITORY and its owner, GITHUB_REF,
// GITHUB_SHA, GITHUB_WORKFLOW_REF, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH (a
// file holding the event payload, with pull_request.head.repo.fork for pull
// requests) and GITHUB_STEP_SUMMARY (an empty file). Each call writes the
// files afresh, in a temporary directory that [Issuer.Close] removes.
//
// Pass the map to a program run in a test; [Issuer.Getenv] reads it.
func (i *Issuer) Env() map[string]string {
	run := i.Run()
	dir := i.newEnvDir()
	event := map[string]any{}
	if strings.HasPrefix(run.EventName, "pull_request") {
		repo := map[string]any{"full_name": run.slug()}
		event["pull_request"] = map[string]any{
			"head": map[string]any{"repo": map[string]any{"full_name": run.slug(), "fork": run.Fork}},
			"base": map[string]any{"repo": repo},
		}
	}
	eventJSON, err := json.Marshal(event)
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	eventPath := filepath.Join(dir, "event.json")
	summaryPath := filepath.Join(dir, "step_summary.md")
	for path, data := range map[string][]byte{eventPath: eventJSON, summaryPath: nil} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			panic("pypitest: " + err.Error())
		}
	}
	env := map[string]string{
		"GITHUB_ACTIONS":             "true",
		"GITHUB_SERVER_URL":          "https://github.com",
		"GITHUB_REPOSITORY":          run.slug(),
		"GITHUB_REPOSITORY_OWNER":    run.Owner,
		"GITHUB_REPOSITORY_OWNER_ID": run.OwnerID,
		"GITHUB_REF":                 run.Ref,
		"GITHUB_SHA":                 run.SHA,
		"GITHUB_WORKFLOW_REF":        run.workflowRef(),
		"GITHUB_EVENT_NAME":          run.EventName,
		"GITHUB_EVENT_PATH":          eventPath,
		"GITHUB_STEP_SUMMARY":        summaryPath,
		"GITHUB_ACTOR":               gitHubActor,
		"GITHUB_RUN_ID":              gitHubRunID,
		"GITHUB_RUN_ATTEMPT":         "1",
		"RUNNER_ENVIRONMENT":         "github-hosted",
	}
	if !run.NoIDToken && !run.forkPullRequest() {
		env["ACTIONS_ID_TOKEN_REQUEST_URL"] = i.tokenURL()
		env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = i.requestToken
	}
	return env
}

// Getenv returns the value of key in the job's environment, as Env gives
// it, made once for each run: pass it as the Getenv of the module's
// options (pypi.Options, oidc.Config) to keep a test parallel.
func (i *Issuer) Getenv(key string) string {
	i.mu.Lock()
	env := i.env
	i.mu.Unlock()
	if env == nil {
		env = i.Env()
		i.mu.Lock()
		i.env = env
		i.mu.Unlock()
	}
	return env[key]
}

// newEnvDir returns a new empty directory for the files of one Env call,
// inside i.dir (made on first use).
func (i *Issuer) newEnvDir() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.dir == "" {
		dir, err := os.MkdirTemp("", "pypitest-issuer-")
		if err != nil {
			panic("pypitest: " + err.Error())
		}
		i.dir = dir
	}
	dir, err := os.MkdirTemp(i.dir, "env-")
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	return dir
}
