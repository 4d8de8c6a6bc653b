package pypitest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/dist"
)

// Paths of the trusted-publishing endpoints (warehouse/oidc/__init__.py).
const (
	audiencePath        = "/_/oidc/audience"
	mintTokenPath       = "/_/oidc/mint-token"
	legacyMintTokenPath = "/_/oidc/github/mint-token"
)

// A Server is a fake PyPI: an HTTP server on the loopback interface that
// answers trusted publishing, uploads and the simple and JSON APIs as
// Warehouse does (see the package documentation). Its fault knobs make
// uploads fail, break off, lose their answer, go slowly or meet a lower
// size limit. All methods are safe for concurrent use.
type Server struct {
	// URL is the server's base URL, of the form http://127.0.0.1:port (https
	// with [WithTLS]), with no trailing slash.
	URL string

	srv      *httptest.Server
	mux      *http.ServeMux // every endpoint
	index    *index         // the upload, simple and JSON APIs
	now      func() time.Time
	issuer   *Issuer
	audience string
	useTLS   bool
	listener net.Listener // WithListener; nil means a new one on a random loopback port
	noOIDC   bool         // WithoutTrustedPublishing

	trustedRoot    *attest.TrustedRoot // WithSigstore; nil: statements only
	sigstoreIssuer string              // WithSigstore: the issuer its certificates name

	mu            sync.Mutex
	disabled      bool // DisableTrustedPublishing
	audienceReply *Reply
	mintReply     *Reply
	publishers    []*publisher
	jwks          map[string]jose.JSONWebKey // the issuer's keys by kid, as last fetched
	jtis          map[string]bool
	tokens        map[string]*Identity // accepted upload tokens: minted and AddAPIToken's
	passwords     map[string]*Identity // accepted passwords, by "user:password"
	minted        []MintedToken
}

// An Option configures a Server made by [NewServer] or an Issuer made by
// [NewIssuer]. [WithClock] applies to both; [WithRun] to an Issuer; the
// others to a Server.
type Option func(*target)

// target is what an Option configures: a Server or an Issuer.
type target struct {
	s *Server
	i *Issuer
}

// serverOption is an Option that applies to a Server.
func serverOption(f func(*Server)) Option {
	return func(t *target) {
		if t.s != nil {
			f(t.s)
		}
	}
}

// WithIssuer makes the server trust iss as GitHub's token issuer: tokens
// whose iss claim is iss.URL are verified against the keys the server
// fetches over HTTP from iss.URL's OIDC discovery document and JWKS, as
// Warehouse does (again whenever a token names an unknown kid). Without it
// every token is refused as "unknown trusted publishing issuer".
func WithIssuer(iss *Issuer) Option { return serverOption(func(s *Server) { s.issuer = iss }) }

// WithAudience sets the audience the server announces and requires in
// tokens (default "pypi"; TestPyPI uses "testpypi").
func WithAudience(aud string) Option { return serverOption(func(s *Server) { s.audience = aud }) }

// WithClock sets the time source of a server, which judges token expiry
// and dates minted tokens, or of an issuer, which dates the tokens it
// signs. The default is time.Now. Give one [Clock]'s Now to both to move
// them at once.
func WithClock(now func() time.Time) Option {
	return func(t *target) {
		if t.s != nil {
			t.s.now = now
		}
		if t.i != nil {
			t.i.now = now
		}
	}
}

// WithTLS serves HTTPS with a self-signed certificate; use [Server.Client],
// which trusts it.
func WithTLS() Option { return serverOption(func(s *Server) { s.useTLS = true }) }

// WithListener serves on l, a listener the caller opened on the address it
// chose, instead of a new one on a random loopback port. Close closes it.
func WithListener(l net.Listener) Option { return serverOption(func(s *Server) { s.listener = l }) }

// WithoutTrustedPublishing makes the server an index that knows nothing of
// trusted publishing: the /_/oidc/ endpoints answer 404, as on an index
// other than PyPI.
func WithoutTrustedPublishing() Option { return serverOption(func(s *Server) { s.noOIDC = true }) }

// NewServer starts and returns a new Server. The caller should call Close
// when finished, to shut it down (a test: t.Cleanup(srv.Close)).
func NewServer(opts ...Option) *Server {
	s := &Server{
		mux:       http.NewServeMux(),
		now:       time.Now,
		audience:  "pypi",
		jwks:      map[string]jose.JSONWebKey{},
		jtis:      map[string]bool{},
		tokens:    map[string]*Identity{},
		passwords: map[string]*Identity{},
	}
	for _, o := range opts {
		o(&target{s: s})
	}
	if !s.noOIDC {
		s.mux.HandleFunc(audiencePath, s.serveAudience)
		s.mux.HandleFunc(mintTokenPath, s.serveMintToken)
		s.mux.HandleFunc(legacyMintTokenPath, s.serveMintToken)
	}
	s.index = newIndex(s)
	s.index.register(s.mux)
	s.srv = httptest.NewUnstartedServer(s.mux)
	// A client that connects and sends nothing, or idles, is dropped; a
	// body may take its time (the faults slow it down on purpose).
	s.srv.Config.ReadHeaderTimeout, s.srv.Config.IdleTimeout = headerTimeout, 2*headerTimeout
	if s.listener != nil {
		s.srv.Listener.Close()
		s.srv.Listener = s.listener
	}
	if s.useTLS {
		s.srv.StartTLS()
	} else {
		s.srv.Start()
	}
	s.URL = s.srv.URL
	return s
}

// headerTimeout bounds the wait for a request's headers.
const headerTimeout = 30 * time.Second

// Close shuts the server down; later requests see a connection refused.
// It removes the files the server stored (see [File]); calling it again
// does nothing.
func (s *Server) Close() {
	s.srv.Close()
	os.RemoveAll(s.index.dir)
}

// UploadURL returns the URL of the upload API, URL + "/legacy/", which
// clients take as the repository URL.
func (s *Server) UploadURL() string { return s.URL + "/legacy/" }

// Client returns an HTTP client for the server (one that trusts its
// certificate under [WithTLS]).
func (s *Server) Client() *http.Client { return s.srv.Client() }

// DisableTrustedPublishing sets PyPI's admin flag disallow-oidc: the
// audience endpoint answers 403 {"message":"Trusted publishing functionality
// not enabled"} and minting fails with not-enabled.
func (s *Server) DisableTrustedPublishing() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.disabled = true
}

// setAudienceReply makes GET /_/oidc/audience give r instead of its normal
// answer (nil restores it).
func (s *Server) setAudienceReply(r *Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.audienceReply = r
}

// SetMintReply makes both mint-token endpoints give r instead of judging the
// token (nil restores them), e.g. [HTMLReply](502) or
// JSONReply(200, `{"success": true}`) for an answer without a token.
func (s *Server) SetMintReply(r *Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mintReply = r
}

// A MintedToken is an upload token the server minted by trusted publishing.
type MintedToken struct {
	// Token is the upload token: "pypi-" and an opaque string.
	Token string
	// JTI is the jti claim of the exchanged identity token.
	JTI string
	// Identity is who the token proves the uploader to be: the Publisher
	// that matched (its Project is the first of Projects), every project of
	// the publisher, and the token's life (900 seconds).
	Identity
}

// Minted returns the tokens minted so far, oldest first.
func (s *Server) Minted() []MintedToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.minted)
}

// writeJSON answers with v encoded by encoding/json, as application/json.
func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONAs(w, status, "application/json", v)
}

// writeJSONAs answers with v encoded by encoding/json, as contentType.
func writeJSONAs(w http.ResponseWriter, status int, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	writeBody(w, status, contentType, b)
}

// writeBody answers with body as the given content type.
func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// randomString returns n random bytes, base64url-encoded without padding.
func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// normalizeProject returns a project name in PEP 503 normal form, by which
// the index compares project names.
func normalizeProject(name string) string { return dist.NormalizeName(name) }
