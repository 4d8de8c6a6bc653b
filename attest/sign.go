package attest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Sigstore's public-good instance, which PyPI trusts.
const (
	DefaultFulcioURL = "https://fulcio.sigstore.dev"
	DefaultRekorURL  = "https://rekor.sigstore.dev"
)

// IdentityAudience is the audience of the identity tokens Fulcio accepts
// (sigstore-python's DEFAULT_AUDIENCE).
const IdentityAudience = "sigstore"

// Defaults of a Signer's zero fields.
const (
	DefaultRetries = 3
	DefaultBackoff = time.Second
	DefaultTimeout = 30 * time.Second
)

// maxResponse bounds the body of a Fulcio or Rekor answer a Signer reads;
// real ones are a few kilobytes.
const maxResponse = 1 << 20

// maxBackoff caps the wait between two attempts.
const maxBackoff = time.Minute

// certMargin is how long before its expiry a certificate is replaced.
const certMargin = time.Minute

// tokenLeeway is the clock skew allowed on a token's iat and exp, as in
// sigstore-python's IdentityToken.
const tokenLeeway = 5 * time.Second

// ErrSigning is wrapped by every error of Signer.
var ErrSigning = errors.New("attest: signing failed")

// SignOp names the step of signing that failed.
type SignOp int

// The steps of signing.
const (
	SignOpIdentity SignOp = iota + 1 // getting and checking the identity token
	SignOpFulcio                     // getting a certificate from Fulcio
	SignOpRekor                      // logging the envelope in Rekor
	SignOpWrite                      // writing the attestation file
)

var signOpNames = [...]string{
	SignOpIdentity: "identity token",
	SignOpFulcio:   "fulcio",
	SignOpRekor:    "rekor",
	SignOpWrite:    "write",
}

// String returns the step's name, e.g. "fulcio".
func (o SignOp) String() string {
	if o > 0 && int(o) < len(signOpNames) {
		return signOpNames[o]
	}
	return "unknown step"
}

// SignError reports a failed step of signing, on one line. It never holds
// a token; a server's message is cleaned and shortened before it is kept.
type SignError struct {
	Op         SignOp
	File       string // the distribution being signed, if any
	StatusCode int    // the HTTP status of the server's last answer, or 0
	Reason     string
	Err        error // the underlying cause, if any
}

// Error returns "attest: sign {file}: {op}: {reason}".
func (e *SignError) Error() string {
	s := "attest: sign"
	if e.File != "" {
		s += " " + e.File
	}
	return s + ": " + e.Op.String() + ": " + e.Reason
}

// Unwrap returns ErrSigning and the cause.
func (e *SignError) Unwrap() []error { return []error{ErrSigning, e.Err} }

// A Signer makes PEP 740 publish attestations with Sigstore, as
// pypi-attestations does for gh-action-pypi-publish: one ephemeral P-256
// key and one Fulcio certificate for all the distributions it signs
// (another certificate when the current one has less than a minute
// left), and one Rekor v1 "dsse" entry per distribution. Rekor v1 is
// pinned, as pypi-attestations 0.0.28 and later pin it.
//
// Requests are retried with exponential backoff on 5xx, 429 and transport
// errors; a 409 from Rekor fetches the existing entry and uses it if it
// records this envelope. A Signer is safe for concurrent use; its fields
// must not change once it has signed.
type Signer struct {
	// IDToken yields OpenID Connect identity tokens with audience
	// "sigstore", e.g. oidc.Config.TokenSource(ctx, "sigstore"): a token
	// of its own, never the one minted for PyPI. Required.
	IDToken oauth2.TokenSource
	// FulcioURL and RekorURL are the base URLs of Fulcio and Rekor;
	// empty means DefaultFulcioURL and DefaultRekorURL.
	FulcioURL, RekorURL string
	// HTTPClient makes the requests; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Retries is how many times a request is repeated after a 5xx, a 429
	// or a transport error; 0 means DefaultRetries, negative none.
	Retries int
	// Backoff is the first wait before a retry, doubled at each up to a
	// minute; 0 means DefaultBackoff.
	Backoff time.Duration
	// Timeout bounds each request, reading its answer included; 0 means
	// DefaultTimeout.
	Timeout time.Duration
	// Now tells the time, to judge tokens and certificates; nil means
	// time.Now.
	Now func() time.Time
	// TrustedRoot, if set, is what each certificate Fulcio issues is
	// checked against before anything is signed with it, as
	// sigstore-python checks it: its chain to a Fulcio CA of the root and
	// its embedded SCT, signed by a CT log of the root. Nil skips the
	// check (PyPI still makes it).
	TrustedRoot *TrustedRoot

	mu   sync.Mutex
	key  *ecdsa.PrivateKey
	leaf *x509.Certificate
}

// Sign returns the publish attestation of the distribution filename (a
// base name) whose content has the given SHA-256.
func (s *Signer) Sign(ctx context.Context, filename string, sha256sum [32]byte) (*Attestation, error) {
	key, leaf, err := s.certificate(ctx)
	if err != nil {
		err.File = filename
		return nil, err
	}
	stmt := NewStatement(filename, sha256sum)
	digest := sha256.Sum256(PAE(PayloadType, stmt))
	sig, sigErr := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if sigErr != nil {
		return nil, &SignError{Op: SignOpRekor, File: filename, Reason: "signing the envelope", Err: sigErr}
	}
	a := &Attestation{
		Version:              1,
		VerificationMaterial: VerificationMaterial{Certificate: leaf.Raw},
		Envelope:             Envelope{Statement: stmt, Signature: sig},
	}
	entry, err := s.logEntry(ctx, a)
	if err != nil {
		err.File = filename
		return nil, err
	}
	a.VerificationMaterial.TransparencyEntries = []*TransparencyLogEntry{entry}
	return a, nil
}

// SignFile signs the distribution at path and writes its attestation
// beside it, to Filename(path), which must not exist yet.
func (s *Signer) SignFile(ctx context.Context, path string) (*Attestation, error) {
	out := Filename(path)
	if _, err := os.Lstat(out); err == nil {
		return nil, &SignError{Op: SignOpWrite, File: path, Reason: path + " already has a publish attestation: " + out, Err: os.ErrExist}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &SignError{Op: SignOpWrite, File: path, Reason: err.Error(), Err: err}
	}
	h := sha256.New()
	_, err = io.Copy(h, f)
	f.Close()
	if err != nil {
		return nil, &SignError{Op: SignOpWrite, File: path, Reason: err.Error(), Err: err}
	}
	a, err := s.Sign(ctx, filepath.Base(path), [32]byte(h.Sum(nil)))
	if err != nil {
		return nil, err
	}
	if err := a.WriteFile(out); err != nil {
		return nil, &SignError{Op: SignOpWrite, File: path, Reason: err.Error(), Err: err}
	}
	return a, nil
}

// WriteFile writes a's JSON to the file name, which must not exist yet
// (an error matching fs.ErrExist otherwise): an attestation is never
// overwritten.
func (a *Attestation) WriteFile(name string) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name) // not half an attestation
	}
	return err
}

func (s *Signer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// certificate returns the batch's key and a certificate for it with at
// least certMargin left, asking Fulcio for one if needed.
func (s *Signer) certificate(ctx context.Context) (*ecdsa.PrivateKey, *x509.Certificate, *SignError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.leaf != nil && s.now().Add(certMargin).Before(s.leaf.NotAfter) {
		return s.key, s.leaf, nil
	}
	if s.key == nil {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, nil, &SignError{Op: SignOpFulcio, Reason: "generating the key", Err: err}
		}
		s.key = key
	}
	leaf, err := s.requestCertificate(ctx)
	if err != nil {
		return nil, nil, err
	}
	s.leaf = leaf
	return s.key, s.leaf, nil
}

// identityToken returns a token from IDToken and its subject, checked as
// sigstore-python's IdentityToken checks it, unverified: audience
// "sigstore", the claims aud, sub, iat, exp and iss, the time window
// (with 5 s of leeway), and nbf if present. The messages are
// sigstore-python's, followed by what is wrong.
func (s *Signer) identityToken() (token, sub string, _ *SignError) {
	if s.IDToken == nil {
		return "", "", &SignError{Op: SignOpIdentity, Reason: "no identity token source"}
	}
	t, err := s.IDToken.Token()
	if err != nil {
		return "", "", &SignError{Op: SignOpIdentity, Reason: "OpenID Connect token retrieval failed", Err: err}
	}
	token = t.AccessToken
	bad := func(why string) (string, string, *SignError) {
		return "", "", &SignError{Op: SignOpIdentity, Reason: "Identity token is malformed or missing claims: " + why}
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return bad("not a JWT")
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	var c struct {
		Aud      json.RawMessage `json:"aud"`
		Sub      string          `json:"sub"`
		Iss      string          `json:"iss"`
		Iat, Exp *float64
		Nbf      *float64
	}
	if err != nil || json.Unmarshal(payload, &c) != nil {
		return bad("undecodable claims")
	}
	if !hasAudience(c.Aud, IdentityAudience) {
		return bad(`audience is not "sigstore"`)
	}
	if c.Sub == "" || c.Iss == "" || c.Iat == nil || c.Exp == nil {
		return bad("aud, sub, iat, exp and iss are required")
	}
	now := s.now()
	if now.Add(tokenLeeway).Before(time.Unix(int64(*c.Iat), 0)) {
		return bad("issued in the future")
	}
	if !now.Add(-tokenLeeway).Before(time.Unix(int64(*c.Exp), 0)) {
		return bad("expired")
	}
	if c.Nbf != nil && now.Before(time.Unix(int64(*c.Nbf), 0)) {
		return "", "", &SignError{Op: SignOpIdentity, Reason: "Identity token is not within its validity period"}
	}
	return token, c.Sub, nil
}

// hasAudience reports whether a JWT's aud (a string or a list) holds want.
func hasAudience(raw json.RawMessage, want string) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one == want
	}
	var many []string
	return json.Unmarshal(raw, &many) == nil && slices.Contains(many, want)
}

// fulcioRequest is the body of Fulcio's v2 signingCert.
type fulcioRequest struct {
	PublicKeyRequest struct {
		PublicKey struct {
			Algorithm string `json:"algorithm"`
			Content   string `json:"content"`
		} `json:"publicKey"`
		ProofOfPossession []byte `json:"proofOfPossession"`
	} `json:"publicKeyRequest"`
}

// requestCertificate asks Fulcio for a certificate for s.key, proving
// possession by signing the token's subject.
func (s *Signer) requestCertificate(ctx context.Context) (*x509.Certificate, *SignError) {
	token, sub, serr := s.identityToken()
	if serr != nil {
		return nil, serr
	}
	der, err := x509.MarshalPKIXPublicKey(&s.key.PublicKey)
	if err != nil {
		return nil, &SignError{Op: SignOpFulcio, Reason: "encoding the key", Err: err}
	}
	digest := sha256.Sum256([]byte(sub))
	proof, err := ecdsa.SignASN1(rand.Reader, s.key, digest[:])
	if err != nil {
		return nil, &SignError{Op: SignOpFulcio, Reason: "signing the proof of possession", Err: err}
	}
	var req fulcioRequest
	req.PublicKeyRequest.PublicKey.Algorithm = "ECDSA"
	req.PublicKeyRequest.PublicKey.Content = string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	req.PublicKeyRequest.ProofOfPossession = proof
	body, _ := json.Marshal(&req) // cannot fail: strings and bytes
	hdr := http.Header{"Authorization": {"Bearer " + token}}
	status, _, resp, serr := s.do(ctx, SignOpFulcio, http.MethodPost, baseURL(s.FulcioURL, DefaultFulcioURL)+"/api/v2/signingCert", hdr, body)
	if serr != nil {
		return nil, serr
	}
	if status != http.StatusOK {
		return nil, statusError(SignOpFulcio, status, resp)
	}
	leaf, err := parseFulcioResponse(resp)
	if err != nil {
		return nil, &SignError{Op: SignOpFulcio, StatusCode: status, Reason: err.Error(), Err: err}
	}
	if !s.key.PublicKey.Equal(leaf.PublicKey) {
		return nil, &SignError{Op: SignOpFulcio, StatusCode: status, Reason: "the certificate is for another key"}
	}
	if s.TrustedRoot != nil {
		if err := s.checkCertificate(leaf); err != nil {
			reason := err.Error()
			var ve *VerificationError
			if errors.As(err, &ve) {
				reason = ve.Reason // the check's words, without their prefix
			}
			return nil, &SignError{Op: SignOpFulcio, StatusCode: status, Reason: reason, Err: err}
		}
	}
	return leaf, nil
}

// checkCertificate checks a new certificate against s.TrustedRoot: its
// chain now and its embedded SCT.
func (s *Signer) checkCertificate(leaf *x509.Certificate) error {
	chain, err := verifyChain(leaf, s.TrustedRoot, s.now())
	if err != nil {
		return err
	}
	if len(chain) < 2 {
		return verr(CheckChain, "the certificate is its own issuer")
	}
	return verifySCT(leaf, chain[1], s.TrustedRoot)
}

// parseFulcioResponse returns the leaf of a signingCert answer's chain,
// with an embedded or a detached SCT.
func parseFulcioResponse(b []byte) (*x509.Certificate, error) {
	type chain struct {
		Chain struct {
			Certificates []string `json:"certificates"`
		} `json:"chain"`
	}
	var r struct {
		Embedded *chain `json:"signedCertificateEmbeddedSct"`
		Detached *chain `json:"signedCertificateDetachedSct"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("invalid answer: %w", err)
	}
	c := r.Embedded
	if c == nil {
		c = r.Detached
	}
	if c == nil || len(c.Chain.Certificates) == 0 {
		return nil, errors.New("invalid answer: no certificate chain")
	}
	blk, _ := pem.Decode([]byte(c.Chain.Certificates[0]))
	if blk == nil || blk.Type != "CERTIFICATE" {
		return nil, errors.New("invalid answer: the leaf is not a PEM certificate")
	}
	leaf, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("invalid answer: the leaf: %w", err)
	}
	return leaf, nil
}

// rekorRequest is the body of a new Rekor v1 dsse 0.0.1 entry.
type rekorRequest struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Spec       struct {
		ProposedContent struct {
			Envelope  string   `json:"envelope"`
			Verifiers [][]byte `json:"verifiers"`
		} `json:"proposedContent"`
	} `json:"spec"`
}

// logEntry logs a's envelope in Rekor and returns the entry, checked to
// record this envelope and certificate.
func (s *Signer) logEntry(ctx context.Context, a *Attestation) (*TransparencyLogEntry, *SignError) {
	env, _ := json.Marshal(dsseEnvelope{Payload: a.Envelope.Statement, PayloadType: PayloadType,
		Signatures: []dsseSignature{{Sig: a.Envelope.Signature}}}) // cannot fail: strings and bytes
	req := rekorRequest{APIVersion: "0.0.1", Kind: "dsse"}
	req.Spec.ProposedContent.Envelope = string(env)
	req.Spec.ProposedContent.Verifiers = [][]byte{pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.VerificationMaterial.Certificate})}
	body, _ := json.Marshal(&req) // cannot fail: strings and bytes
	base := baseURL(s.RekorURL, DefaultRekorURL)
	status, hdr, resp, serr := s.do(ctx, SignOpRekor, http.MethodPost, base+"/api/v1/log/entries", nil, body)
	if serr != nil {
		return nil, serr
	}
	switch status {
	case http.StatusCreated:
	case http.StatusConflict:
		loc, err := entryLocation(base, hdr.Get("Location"))
		if err != nil {
			return nil, &SignError{Op: SignOpRekor, StatusCode: status, Reason: "409 Conflict: " + err.Error(), Err: err}
		}
		if status, _, resp, serr = s.do(ctx, SignOpRekor, http.MethodGet, loc, nil, nil); serr != nil {
			return nil, serr
		}
		if status != http.StatusOK {
			return nil, statusError(SignOpRekor, status, resp)
		}
	default:
		return nil, statusError(SignOpRekor, status, resp)
	}
	entry, err := parseRekorResponse(resp)
	if err != nil {
		return nil, &SignError{Op: SignOpRekor, StatusCode: status, Reason: err.Error(), Err: err}
	}
	if err := verifyBody(entry, a); err != nil {
		return nil, &SignError{Op: SignOpRekor, StatusCode: status, Reason: "the entry does not record this envelope: " + err.Error(), Err: err}
	}
	return entry, nil
}

// entryLocation returns the URL of the entry a 409 points to, which must
// be on Rekor's own origin.
func entryLocation(base, loc string) (string, error) {
	if loc == "" {
		return "", errors.New("no Location of the existing entry")
	}
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u, err := b.Parse(loc)
	if err != nil || u.Scheme != b.Scheme || u.Host != b.Host {
		return "", errors.New("the Location of the existing entry is not on the log's origin")
	}
	return u.String(), nil
}

// rekorEntry is one entry of a Rekor v1 answer.
type rekorEntry struct {
	Body           []byte `json:"body"`
	IntegratedTime int64  `json:"integratedTime"`
	LogID          string `json:"logID"`
	LogIndex       int64  `json:"logIndex"`
	Verification   struct {
		InclusionProof *struct {
			Checkpoint string   `json:"checkpoint"`
			Hashes     []string `json:"hashes"`
			LogIndex   int64    `json:"logIndex"`
			RootHash   string   `json:"rootHash"`
			TreeSize   int64    `json:"treeSize"`
		} `json:"inclusionProof"`
		SignedEntryTimestamp []byte `json:"signedEntryTimestamp"`
	} `json:"verification"`
}

// parseRekorResponse converts a Rekor v1 answer ({uuid: entry}, one
// entry) to a transparency log entry, as sigstore-go's
// GenerateTransparencyLogEntry does.
func parseRekorResponse(b []byte) (*TransparencyLogEntry, error) {
	var m map[string]rekorEntry
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("invalid answer: %w", err)
	}
	if len(m) != 1 {
		return nil, fmt.Errorf("invalid answer: %d entries, not 1", len(m))
	}
	var r rekorEntry
	for _, e := range m {
		r = e
	}
	var kind struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := json.Unmarshal(r.Body, &kind); err != nil {
		return nil, fmt.Errorf("invalid answer: body: %w", err)
	}
	logID, err := hexField("logID", r.LogID)
	if err != nil {
		return nil, err
	}
	p := r.Verification.InclusionProof
	if p == nil || len(r.Verification.SignedEntryTimestamp) == 0 {
		return nil, errors.New("invalid answer: no inclusion proof or signed entry timestamp")
	}
	if len(p.Hashes) > maxProofHashes {
		return nil, errors.New("invalid answer: inclusion proof: more than " + strconv.Itoa(maxProofHashes) + " hashes")
	}
	proof := &InclusionProof{LogIndex: Int64(p.LogIndex), TreeSize: Int64(p.TreeSize), Checkpoint: Checkpoint{Envelope: p.Checkpoint}}
	if proof.RootHash, err = hexField("rootHash", p.RootHash); err != nil {
		return nil, err
	}
	for _, h := range p.Hashes {
		hb, err := hexField("hashes", h)
		if err != nil {
			return nil, err
		}
		proof.Hashes = append(proof.Hashes, hb)
	}
	return &TransparencyLogEntry{
		LogIndex:          Int64(r.LogIndex),
		LogID:             LogID{KeyID: logID},
		KindVersion:       KindVersion{Kind: kind.Kind, Version: kind.APIVersion},
		IntegratedTime:    Int64(r.IntegratedTime),
		InclusionPromise:  &InclusionPromise{SignedEntryTimestamp: r.Verification.SignedEntryTimestamp},
		InclusionProof:    proof,
		CanonicalizedBody: r.Body,
	}, nil
}

func hexField(name, s string) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("invalid answer: %s: not hex", name)
	}
	return b, nil
}

// baseURL returns u without a trailing slash, or def if u is empty.
func baseURL(u, def string) string {
	if u == "" {
		return def
	}
	return strings.TrimRight(u, "/")
}

// statusError reports an unexpected answer, quoting the server's message
// cleaned and shortened.
func statusError(op SignOp, status int, body []byte) *SignError {
	var msg struct {
		Message string `json:"message"`
	}
	reason := strconv.Itoa(status) + " " + http.StatusText(status)
	if json.Unmarshal(body, &msg) == nil && msg.Message != "" {
		reason += ": " + cleanText(msg.Message)
	}
	return &SignError{Op: op, StatusCode: status, Reason: reason}
}

// cleanText makes untrusted server text safe for a one-line message:
// printable ASCII only, at most 200 bytes.
func cleanText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 200 {
			b.WriteString("…")
			break
		}
		if r < ' ' || r > '~' {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// retryable reports whether an answer with this status is worth another try.
func retryable(status int) bool {
	return status >= 500 || status == http.StatusTooManyRequests
}

// do sends a request, retrying on 5xx, 429 and transport errors, and
// returns the final status, header and body (read within maxResponse).
func (s *Signer) do(ctx context.Context, op SignOp, method, u string, hdr http.Header, body []byte) (int, http.Header, []byte, *SignError) {
	retries := s.Retries
	if retries == 0 {
		retries = DefaultRetries
	}
	wait := s.Backoff
	if wait <= 0 {
		wait = DefaultBackoff
	}
	for attempt := 0; ; attempt++ {
		status, rhdr, resp, err := s.once(ctx, method, u, hdr, body)
		if err == nil && !retryable(status) {
			return status, rhdr, resp, nil
		}
		if attempt >= retries || ctx.Err() != nil {
			if err != nil {
				return 0, nil, nil, &SignError{Op: op, Reason: err.Error(), Err: err}
			}
			return 0, nil, nil, statusError(op, status, resp)
		}
		t := time.NewTimer(wait)
		wait = min(2*wait, maxBackoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return 0, nil, nil, &SignError{Op: op, Reason: ctx.Err().Error(), Err: ctx.Err()}
		case <-t.C:
		}
	}
}

// errTooLarge is the error of an answer larger than maxResponse.
var errTooLarge = errors.New("answer larger than " + strconv.Itoa(maxResponse) + " bytes")

// once sends one request within the Signer's timeout.
func (s *Signer) once(ctx context.Context, method, u string, hdr http.Header, body []byte) (int, http.Header, []byte, error) {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	c := s.HTTPClient
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is ours; the cause is what matters
		}
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return 0, nil, nil, err
	}
	if len(b) > maxResponse {
		return 0, nil, nil, errTooLarge
	}
	return resp.StatusCode, resp.Header, b, nil
}
