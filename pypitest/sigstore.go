package pypitest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Paths served by a Sigstore.
const (
	fulcioSigningCertPath = "/api/v2/signingCert"
	rekorEntriesPath      = "/api/v1/log/entries"
)

// A Sigstore is a fake of Sigstore's public-good instance, enough to sign
// PEP 740 attestations against: a Fulcio certificate authority (v2
// signingCert), a Rekor v1 transparency log taking dsse v0.0.1 entries, and
// a certificate transparency log whose SCTs Fulcio embeds in its
// certificates. All three answer on one HTTP server on the loopback
// interface, with keys made afresh by [NewSigstore]; [Sigstore.TrustedRoot]
// describes them as Sigstore's trusted_root.json does.
//
// Fulcio trusts the identity tokens of the [Issuer] given by [WithIssuer]
// (fetching its keys over HTTP, as the fake PyPI does) with audience
// "sigstore" (see [WithAudience]), and renders their claims into the
// certificate as Fulcio's templates do: GitHub Actions' (github-workflow)
// for the issuer's tokens, GitLab CI/CD's (gitlab-pipeline) for those of
// [Issuer.GitLabToken]. Rekor
// keeps its log in memory; its proofs, signed entry timestamps and
// checkpoints are real and verify with the keys in the trusted root.
//
//	endpoint                          answers
//	POST /api/v2/signingCert          200 with the chain (leaf, intermediate,
//	                                  root), or Fulcio's 401/400 JSON error
//	POST /api/v1/log/entries          201 with the entry, 409 with its
//	                                  Location if logged already, or 400
//	GET  /api/v1/log/entries/{uuid}   the entry, proven in the current tree
//
// Fault knobs make the next requests fail ([Sigstore.FailFulcio],
// [Sigstore.FailRekor]), refuse a good proof ([Sigstore.RefuseProofs]),
// issue a leaf without SCT ([Sigstore.OmitSCTs]) or answer 409 for a new
// entry ([Sigstore.ConflictEntries]).
//
// [WithClock] sets the time of certificates, SCTs and log entries, and
// judges token expiry; [WithTLS] and [WithListener] apply as to a Server.
// All methods are safe for concurrent use.
type Sigstore struct {
	// URL is the server's base URL, of the form http://127.0.0.1:port
	// (https with [WithTLS]), with no trailing slash. Fulcio and Rekor are
	// both served under it.
	URL string

	srv      *httptest.Server
	verifier *Server // never started: judges identity tokens as the mint does
	now      func() time.Time

	root, intermediate *sigstoreCA
	ctKey, rekorKey    *ecdsa.PrivateKey
	validFrom          time.Time

	mu     sync.Mutex
	faults sigstoreFaults
	log    rekorLog
}

// sigstoreCA is a certificate authority: its certificate and key.
type sigstoreCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// NewSigstore starts and returns a new Sigstore. It applies [WithIssuer],
// [WithAudience] (default "sigstore"), [WithClock], [WithTLS] and
// [WithListener]. The caller should call Close when finished (a test:
// t.Cleanup(sig.Close)).
func NewSigstore(opts ...Option) *Sigstore {
	v := &Server{now: time.Now, audience: "sigstore", jwks: map[string]jose.JSONWebKey{}}
	for _, o := range opts {
		o(&target{s: v})
	}
	g := &Sigstore{verifier: v, now: v.now, ctKey: newECKey(), rekorKey: newECKey()}
	g.validFrom = g.now().Add(-time.Hour).Truncate(time.Second)
	g.root = newRootCA(g.validFrom)
	g.intermediate = g.root.newIntermediate(g.validFrom)
	mux := http.NewServeMux()
	mux.HandleFunc(fulcioSigningCertPath, g.serveSigningCert)
	mux.HandleFunc(rekorEntriesPath, g.serveCreateEntry)
	mux.HandleFunc(rekorEntriesPath+"/{uuid}", g.serveGetEntry)
	g.srv = httptest.NewUnstartedServer(mux)
	g.srv.Config.ReadHeaderTimeout, g.srv.Config.IdleTimeout = headerTimeout, 2*headerTimeout
	if v.listener != nil {
		g.srv.Listener.Close()
		g.srv.Listener = v.listener
	}
	g.log.init(g.srv.Listener.Addr().String(), g.rekorKey)
	if v.useTLS {
		g.srv.StartTLS()
	} else {
		g.srv.Start()
	}
	g.URL = g.srv.URL
	return g
}

// Close shuts the server down; later requests see a connection refused.
func (g *Sigstore) Close() { g.srv.Close() }

// Client returns an HTTP client for the server (one that trusts its
// certificate under [WithTLS]).
func (g *Sigstore) Client() *http.Client { return g.srv.Client() }

// FulcioURL returns Fulcio's base URL, to which clients add
// /api/v2/signingCert. It is the server's URL.
func (g *Sigstore) FulcioURL() string { return g.URL }

// RekorURL returns Rekor's base URL, to which clients add
// /api/v1/log/entries. It is the server's URL.
func (g *Sigstore) RekorURL() string { return g.URL }

// sigstoreValidity is how long the fake's CAs and keys are valid.
const sigstoreValidity = 10 * 365 * 24 * time.Hour

// TrustedRoot returns a trusted_root.json (media type
// application/vnd.dev.sigstore.trustedroot+json;version=0.1) that trusts
// this fake: its Rekor key and log ID, its Fulcio chain (intermediate,
// then root), and its CT log key, each valid from an hour before the fake
// started.
func (g *Sigstore) TrustedRoot() []byte {
	start := g.validFrom.UTC().Format("2006-01-02T15:04:05.000Z")
	key := func(baseURL string, k *ecdsa.PrivateKey) map[string]any {
		der := publicKeyDER(k)
		id := sha256.Sum256(der)
		return map[string]any{
			"baseUrl":       baseURL,
			"hashAlgorithm": "SHA2_256",
			"publicKey": map[string]any{
				"rawBytes":   base64.StdEncoding.EncodeToString(der),
				"keyDetails": "PKIX_ECDSA_P256_SHA_256",
				"validFor":   map[string]any{"start": start},
			},
			"logId": map[string]any{"keyId": base64.StdEncoding.EncodeToString(id[:])},
		}
	}
	end := g.validFrom.Add(sigstoreValidity).UTC().Format("2006-01-02T15:04:05.000Z")
	b, err := json.MarshalIndent(map[string]any{
		"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
		"tlogs":     []any{key(g.URL, g.rekorKey)},
		"certificateAuthorities": []any{map[string]any{
			"subject": map[string]any{"organization": "pypitest", "commonName": "pypitest-sigstore"},
			"uri":     g.URL,
			"certChain": map[string]any{"certificates": []any{
				map[string]any{"rawBytes": base64.StdEncoding.EncodeToString(g.intermediate.cert.Raw)},
				map[string]any{"rawBytes": base64.StdEncoding.EncodeToString(g.root.cert.Raw)},
			}},
			"validFor": map[string]any{"start": start, "end": end},
		}},
		"ctlogs":               []any{key(g.URL, g.ctKey)},
		"timestampAuthorities": []any{},
	}, "", "  ")
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	return b
}

// newECKey returns a fresh P-256 key.
func newECKey() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	return k
}

// publicKeyDER returns k's public key as a DER SubjectPublicKeyInfo.
func publicKeyDER(k *ecdsa.PrivateKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	return der
}

// randomSerial returns a random positive 159-bit certificate serial number.
func randomSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 159))
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	return n.Add(n, big.NewInt(1))
}

// newRootCA returns a self-signed root CA valid from notBefore.
func newRootCA(notBefore time.Time) *sigstoreCA {
	key := newECKey()
	tmpl := caTemplate("pypitest-sigstore", notBefore, 1)
	return &sigstoreCA{cert: createCert(tmpl, tmpl, &key.PublicKey, key), key: key}
}

// newIntermediate returns a CA certified by ca that may certify only leaves.
func (ca *sigstoreCA) newIntermediate(notBefore time.Time) *sigstoreCA {
	key := newECKey()
	tmpl := caTemplate("pypitest-sigstore-intermediate", notBefore, 0)
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}
	return &sigstoreCA{cert: createCert(tmpl, ca.cert, &key.PublicKey, ca.key), key: key}
}

// caTemplate returns the template of a CA certificate named cn.
func caTemplate(cn string, notBefore time.Time, maxPathLen int) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{Organization: []string{"pypitest"}, CommonName: cn},
		NotBefore:             notBefore,
		NotAfter:              notBefore.Add(sigstoreValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            maxPathLen,
		MaxPathLenZero:        maxPathLen == 0,
	}
}

// createCert signs tmpl for pub with parent's signer and parses the result.
func createCert(tmpl, parent *x509.Certificate, pub any, signer *ecdsa.PrivateKey) *x509.Certificate {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	return cert
}
