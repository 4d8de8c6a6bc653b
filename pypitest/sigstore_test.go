package pypitest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// signer does what a PEP 740 signer does against a Sigstore: it gets a
// token for audience "sigstore" from the issuer, makes a P-256 key,
// requests a certificate and logs DSSE envelopes.
type signer struct {
	t     *testing.T
	iss   *Issuer
	sig   *Sigstore
	clock *Clock
	key   *ecdsa.PrivateKey
}

func newSigner(t *testing.T, run GitHubRun) *signer {
	t.Helper()
	clock := NewClock(testEpoch)
	iss := NewIssuer(WithRun(run), WithClock(clock.Now))
	t.Cleanup(iss.Close)
	sig := NewSigstore(WithIssuer(iss), WithClock(clock.Now))
	t.Cleanup(sig.Close)
	return &signer{t: t, iss: iss, sig: sig, clock: clock, key: newECKey()}
}

// token fetches an identity token for audience "sigstore" from the
// issuer's token endpoint, as a job step does.
func (s *signer) token() string {
	s.t.Helper()
	status, body := requestToken(s.t, s.iss, "bearer "+s.iss.requestToken, url.Values{"audience": {"sigstore"}})
	var v struct{ Value string }
	if err := json.Unmarshal([]byte(body), &v); status != http.StatusOK || err != nil {
		s.t.Fatalf("token endpoint: %d %s", status, body)
	}
	return v.Value
}

// proof signs the token's sub claim with the signer's key.
func (s *signer) proof(token string) []byte {
	s.t.Helper()
	_, claims, ok := decodeUnverified(token)
	if !ok {
		s.t.Fatal("undecodable token")
	}
	return s.signSubject(claims["sub"].(string))
}

// signSubject signs sub with the signer's key, as a proof of possession.
func (s *signer) signSubject(sub string) []byte {
	s.t.Helper()
	digest := sha256.Sum256([]byte(sub))
	p, err := ecdsa.SignASN1(rand.Reader, s.key, digest[:])
	if err != nil {
		s.t.Fatal(err)
	}
	return p
}

// post sends body as JSON to path and returns the response and its body.
func (s *signer) post(path string, header http.Header, body any) (*http.Response, string) {
	s.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		s.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.sig.URL+path, bytes.NewReader(b))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header = header
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.sig.Client().Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	_, text := readResponse(s.t, resp)
	return resp, text
}

// requestCert asks Fulcio for a certificate with token in the
// Authorization header and the given proof of possession.
func (s *signer) requestCert(token string, proof []byte) (int, string) {
	s.t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&s.key.PublicKey)
	if err != nil {
		s.t.Fatal(err)
	}
	resp, body := s.post("/api/v2/signingCert", http.Header{"Authorization": {"Bearer " + token}}, map[string]any{
		"publicKeyRequest": map[string]any{
			"publicKey":         map[string]any{"algorithm": "ECDSA", "content": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))},
			"proofOfPossession": base64.StdEncoding.EncodeToString(proof),
		},
	})
	return resp.StatusCode, body
}

// certify gets a token and a certificate chain for the signer's key.
func (s *signer) certify() []*x509.Certificate {
	s.t.Helper()
	token := s.token()
	status, body := s.requestCert(token, s.proof(token))
	if status != http.StatusOK {
		s.t.Fatalf("signingCert: %d %s", status, body)
	}
	return parseChain(s.t, body)
}

func parseChain(t *testing.T, body string) []*x509.Certificate {
	t.Helper()
	var resp struct {
		SignedCertificateEmbeddedSct struct {
			Chain struct{ Certificates []string }
		}
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatal(err)
	}
	var chain []*x509.Certificate
	for _, p := range resp.SignedCertificateEmbeddedSct.Chain.Certificates {
		block, rest := pem.Decode([]byte(p))
		if block == nil || len(bytes.TrimSpace(rest)) != 0 {
			t.Fatalf("certificate %q is not one PEM block", p)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		chain = append(chain, c)
	}
	if len(chain) != 3 {
		t.Fatalf("chain of %d certificates, want leaf, intermediate and root", len(chain))
	}
	return chain
}

// proposal returns a Rekor dsse proposal for a statement signed with the
// signer's key, certified by leaf, and the envelope's JSON.
func (s *signer) proposal(leaf *x509.Certificate, statement string) (map[string]any, string) {
	s.t.Helper()
	const payloadType = "application/vnd.in-toto+json"
	pae := fmt.Sprintf("DSSEv1 %d %s %d %s", len(payloadType), payloadType, len(statement), statement)
	digest := sha256.Sum256([]byte(pae))
	sig, err := ecdsa.SignASN1(rand.Reader, s.key, digest[:])
	if err != nil {
		s.t.Fatal(err)
	}
	env, err := json.Marshal(map[string]any{
		"payload": []byte(statement), "payloadType": payloadType,
		"signatures": []any{map[string]any{"sig": sig}},
	})
	if err != nil {
		s.t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Raw})
	return map[string]any{"apiVersion": "0.0.1", "kind": "dsse", "spec": map[string]any{
		"proposedContent": map[string]any{"envelope": string(env), "verifiers": [][]byte{certPEM}},
	}}, string(env)
}

// trustedRoot is the part of a trusted_root.json the tests read.
type trustedRoot struct {
	MediaType string
	Tlogs     []trustedKey
	Ctlogs    []trustedKey
	CAs       []struct {
		CertChain struct{ Certificates []struct{ RawBytes []byte } }
		ValidFor  struct{ Start, End time.Time }
	} `json:"certificateAuthorities"`
}

type trustedKey struct {
	BaseURL   string
	PublicKey struct {
		RawBytes   []byte
		KeyDetails string
		ValidFor   struct{ Start time.Time }
	}
	LogID struct{ KeyID []byte }
}

func readTrustedRoot(t *testing.T, sig *Sigstore) trustedRoot {
	t.Helper()
	var tr trustedRoot
	if err := json.Unmarshal(sig.TrustedRoot(), &tr); err != nil {
		t.Fatal(err)
	}
	if tr.MediaType != "application/vnd.dev.sigstore.trustedroot+json;version=0.1" || len(tr.Tlogs) != 1 || len(tr.Ctlogs) != 1 || len(tr.CAs) != 1 {
		t.Fatalf("trusted root %+v", tr)
	}
	return tr
}

// key returns a trusted log key, checking that its log ID is its hash.
func (k trustedKey) key(t *testing.T) *ecdsa.PublicKey {
	t.Helper()
	pub, err := x509.ParsePKIXPublicKey(k.PublicKey.RawBytes)
	if err != nil {
		t.Fatal(err)
	}
	id := sha256.Sum256(k.PublicKey.RawBytes)
	if !bytes.Equal(id[:], k.LogID.KeyID) || k.PublicKey.KeyDetails != "PKIX_ECDSA_P256_SHA_256" {
		t.Fatalf("log key %+v: log ID is not the key's SHA-256", k)
	}
	return pub.(*ecdsa.PublicKey)
}

// verifyChain checks chain against the trusted root's CA at the clock's time.
func verifyChain(t *testing.T, tr trustedRoot, chain []*x509.Certificate, at time.Time) {
	t.Helper()
	ca := tr.CAs[0].CertChain.Certificates
	if len(ca) != 2 {
		t.Fatalf("CA chain of %d certificates, want intermediate and root", len(ca))
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	for i, pool := range []*x509.CertPool{inter, roots} {
		c, err := x509.ParseCertificate(ca[i].RawBytes)
		if err != nil {
			t.Fatal(err)
		}
		pool.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inter, CurrentTime: at,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
	})
	if err != nil {
		t.Fatalf("chain does not verify to the trusted root: %v", err)
	}
	if !chain[1].Equal(mustParse(t, ca[0].RawBytes)) || !chain[2].Equal(mustParse(t, ca[1].RawBytes)) {
		t.Fatal("the chain's CA certificates are not the trusted root's")
	}
}

func mustParse(t *testing.T, der []byte) *x509.Certificate {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// tbsCertificate is RFC 5280's TBSCertificate, to take the SCT list out.
type tbsCertificate struct {
	Version    int `asn1:"optional,explicit,default:0,tag:0"`
	Serial     *big.Int
	SigAlg     asn1.RawValue
	Issuer     asn1.RawValue
	Validity   asn1.RawValue
	Subject    asn1.RawValue
	PublicKey  asn1.RawValue
	Extensions []pkix.Extension `asn1:"optional,explicit,tag:3"`
}

// verifySCT checks that leaf embeds one SCT, from the trusted CT log,
// signed over the precertificate: leaf's TBS without the SCT list, issued
// by the key of issuer.
func verifySCT(t *testing.T, tr trustedRoot, leaf, issuer *x509.Certificate) {
	t.Helper()
	var tbs tbsCertificate
	if _, err := asn1.Unmarshal(leaf.RawTBSCertificate, &tbs); err != nil {
		t.Fatal(err)
	}
	var list []byte
	kept := tbs.Extensions[:0]
	for _, e := range tbs.Extensions {
		if e.Id.Equal(asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 2}) {
			if _, err := asn1.Unmarshal(e.Value, &list); err != nil {
				t.Fatal(err)
			}
			continue
		}
		kept = append(kept, e)
	}
	tbs.Extensions = kept
	pre, err := asn1.Marshal(tbs)
	if err != nil {
		t.Fatal(err)
	}
	// One SCT: list length, SCT length, version, log ID, timestamp,
	// extensions, hash and signature algorithms, signature length.
	if len(list) < 2+2+1+32+8+2+2+2 || int(binary.BigEndian.Uint16(list)) != len(list)-2 || int(binary.BigEndian.Uint16(list[2:])) != len(list)-4 {
		t.Fatalf("SCT list %x does not hold one SCT", list)
	}
	sct := list[4:]
	logID, ts := sct[1:33], sct[33:41]
	if sct[0] != 0 || !bytes.Equal(logID, tr.Ctlogs[0].LogID.KeyID) || !bytes.Equal(sct[41:47], []byte{0, 0, 4, 3, 0, byte(len(sct) - 47)}) {
		t.Fatalf("SCT %x: not a v1 ECDSA SCT from the trusted CT log", sct)
	}
	if got := time.UnixMilli(int64(binary.BigEndian.Uint64(ts))); got.Before(leaf.NotBefore) || got.After(leaf.NotAfter) {
		t.Fatalf("SCT time %v is outside the leaf's validity", got)
	}
	issuerKeyHash := sha256.Sum256(issuer.RawSubjectPublicKeyInfo)
	var signed bytes.Buffer
	signed.Write([]byte{0, 0})
	signed.Write(ts)
	signed.Write([]byte{0, 1})
	signed.Write(issuerKeyHash[:])
	signed.Write([]byte{byte(len(pre) >> 16), byte(len(pre) >> 8), byte(len(pre))})
	signed.Write(pre)
	signed.Write([]byte{0, 0})
	digest := sha256.Sum256(signed.Bytes())
	if !ecdsa.VerifyASN1(tr.Ctlogs[0].key(t), digest[:], sct[47:]) {
		t.Fatal("the SCT's signature does not verify with the CT log's key")
	}
}

// extensionValues returns leaf's Sigstore extensions by last OID arc,
// decoding the UTF8String ones (arc 8 and above).
func extensionValues(t *testing.T, leaf *x509.Certificate) map[int]string {
	t.Helper()
	got := map[int]string{}
	arc := asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1}
	for _, e := range leaf.Extensions {
		if len(e.Id) != len(arc)+1 || !e.Id[:len(arc)].Equal(arc) {
			continue
		}
		n := e.Id[len(arc)]
		v := string(e.Value)
		if n >= 8 {
			var rv asn1.RawValue
			if rest, err := asn1.Unmarshal(e.Value, &rv); err != nil || len(rest) != 0 || rv.Tag != asn1.TagUTF8String {
				t.Fatalf("extension %v is not a UTF8String: %x", e.Id, e.Value)
			}
			v = string(rv.Bytes)
		}
		got[n] = v
	}
	return got
}

// logged is one entry as Rekor answers it.
type logged struct {
	Body           []byte
	IntegratedTime int64
	LogID          string
	LogIndex       int64
	Verification   struct {
		SignedEntryTimestamp []byte
		InclusionProof       struct {
			Checkpoint string
			Hashes     []string
			LogIndex   int64
			RootHash   string
			TreeSize   int64
		}
	}
}

// logEntry posts the proposal and returns the status, the Location
// header, the entry's ID and the entry (for 200 and 201).
func (s *signer) logEntry(proposal map[string]any) (int, string, string, logged) {
	s.t.Helper()
	resp, body := s.post("/api/v1/log/entries", http.Header{}, proposal)
	id, e := decodeEntry(s.t, resp.StatusCode, body)
	return resp.StatusCode, resp.Header.Get("Location"), id, e
}

// getEntry GETs the entry at location.
func (s *signer) getEntry(location string) (int, string, logged) {
	s.t.Helper()
	status, body := getBody(s.t, s.sig.Client(), s.sig.URL+location)
	id, e := decodeEntry(s.t, status, body)
	return status, id, e
}

func decodeEntry(t *testing.T, status int, body string) (string, logged) {
	t.Helper()
	if status != http.StatusOK && status != http.StatusCreated {
		return "", logged{}
	}
	var m map[string]logged
	if err := json.Unmarshal([]byte(body), &m); err != nil || len(m) != 1 {
		t.Fatalf("entry answer %s: %v", body, err)
	}
	for id, e := range m {
		return id, e
	}
	panic("unreachable")
}

// verifyEntry checks e as a verifier does: its body is the canonical dsse
// body of envelope signed by leaf, its ID is its leaf hash, its SET
// verifies with the Rekor key, its inclusion proof leads to its root hash
// and its checkpoint is signed by the Rekor key over that root and size.
func verifyEntry(t *testing.T, tr trustedRoot, id string, e logged, envelope string, leaf *x509.Certificate) {
	t.Helper()
	key := tr.Tlogs[0].key(t)
	var env struct {
		Payload    []byte
		Signatures []struct{ Sig string }
	}
	if err := json.Unmarshal([]byte(envelope), &env); err != nil {
		t.Fatal(err)
	}
	envHash, payloadHash := sha256.Sum256([]byte(envelope)), sha256.Sum256(env.Payload)
	wantBody := `{"apiVersion":"0.0.1","kind":"dsse","spec":{"envelopeHash":{"algorithm":"sha256","value":"` + hex.EncodeToString(envHash[:]) +
		`"},"payloadHash":{"algorithm":"sha256","value":"` + hex.EncodeToString(payloadHash[:]) +
		`"},"signatures":[{"signature":"` + env.Signatures[0].Sig + `","verifier":"` +
		base64.StdEncoding.EncodeToString(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Raw})) + `"}]}}`
	if string(e.Body) != wantBody {
		t.Fatalf("body\n%s\nwant\n%s", e.Body, wantBody)
	}
	leafHash := sha256.Sum256(append([]byte{0}, e.Body...))
	if !strings.HasSuffix(id, hex.EncodeToString(leafHash[:])) || len(id) != 80 {
		t.Fatalf("entry ID %s is not a tree ID and the leaf hash %x", id, leafHash)
	}
	if e.LogID != hex.EncodeToString(tr.Tlogs[0].LogID.KeyID) || e.LogIndex <= 0 {
		t.Fatalf("logID %s, logIndex %d", e.LogID, e.LogIndex)
	}
	set, err := json.Marshal(map[string]any{"body": e.Body, "integratedTime": e.IntegratedTime, "logID": e.LogID, "logIndex": e.LogIndex})
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(set)
	if !ecdsa.VerifyASN1(key, digest[:], e.Verification.SignedEntryTimestamp) {
		t.Fatal("the SET does not verify with the Rekor key")
	}
	p := e.Verification.InclusionProof
	root := inclusionRoot(t, p.LogIndex, p.TreeSize, leafHash, p.Hashes)
	if hex.EncodeToString(root[:]) != p.RootHash {
		t.Fatalf("the inclusion proof leads to %x, not the root hash %s", root, p.RootHash)
	}
	verifyCheckpoint(t, key, strings.TrimPrefix(tr.Tlogs[0].BaseURL, "http://"), p.Checkpoint, p.TreeSize, root)
}

// inclusionRoot computes the root hash an RFC 9162 (§2.1.3.2) inclusion
// proof leads to.
func inclusionRoot(t *testing.T, index, size int64, leaf [32]byte, hashes []string) [32]byte {
	t.Helper()
	if index < 0 || index >= size {
		t.Fatalf("index %d outside a tree of size %d", index, size)
	}
	fn, sn, r := index, size-1, leaf
	node := func(l, r [32]byte) [32]byte { return sha256.Sum256(append(append([]byte{1}, l[:]...), r[:]...)) }
	for _, hx := range hashes {
		var p [32]byte
		if b, err := hex.DecodeString(hx); err != nil || len(b) != 32 || sn == 0 {
			t.Fatalf("bad proof hash %q or proof too long", hx)
		} else {
			copy(p[:], b)
		}
		if fn&1 == 1 || fn == sn {
			r = node(p, r)
			for fn&1 == 0 && fn != 0 {
				fn, sn = fn>>1, sn>>1
			}
		} else {
			r = node(r, p)
		}
		fn, sn = fn>>1, sn>>1
	}
	if sn != 0 {
		t.Fatalf("proof of %d hashes too short for index %d of %d", len(hashes), index, size)
	}
	return r
}

// verifyCheckpoint checks a signed note: its origin and signer, named
// after the log's host, its size and root, and its signature line's key
// hint and signature by key.
func verifyCheckpoint(t *testing.T, key *ecdsa.PublicKey, host, note string, size int64, root [32]byte) {
	t.Helper()
	text, sigs, ok := strings.Cut(note, "\n\n")
	if !ok {
		t.Fatalf("checkpoint %q has no signatures", note)
	}
	text += "\n"
	lines := strings.Split(text, "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], host+" - ") || lines[1] != strconv.FormatInt(size, 10) || lines[2] != base64.StdEncoding.EncodeToString(root[:]) {
		t.Fatalf("checkpoint %q is not for size %d and root %x", note, size, root)
	}
	fields := strings.Fields(strings.TrimSuffix(sigs, "\n"))
	if len(fields) != 3 || fields[0] != "\u2014" || fields[1] != host || strings.Contains(sigs[:len(sigs)-1], "\n") {
		t.Fatalf("checkpoint signature %q is not one line", sigs)
	}
	raw, err := base64.StdEncoding.DecodeString(fields[2])
	if err != nil || len(raw) < 5 {
		t.Fatalf("checkpoint signature %q: %v", fields[2], err)
	}
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		t.Fatal(err)
	}
	hint := sha256.Sum256(der)
	digest := sha256.Sum256([]byte(text))
	if !bytes.Equal(raw[:4], hint[:4]) || !ecdsa.VerifyASN1(key, digest[:], raw[4:]) {
		t.Fatal("the checkpoint's signature does not verify with the Rekor key")
	}
}

func TestSigstoreSignsAndLogs(t *testing.T) {
	t.Parallel()
	s := newSigner(t, GitHubRun{Ref: "refs/tags/v1.0", Environment: "pypi"})
	tr := readTrustedRoot(t, s.sig)
	chain := s.certify()
	verifyChain(t, tr, chain, s.clock.Now())
	verifySCT(t, tr, chain[0], chain[1])
	if !chain[0].NotBefore.Equal(testEpoch) || chain[0].NotAfter.Sub(chain[0].NotBefore) != 10*time.Minute {
		t.Errorf("leaf valid %v to %v, want ten minutes from the clock's %v", chain[0].NotBefore, chain[0].NotAfter, testEpoch)
	}
	point, err := s.key.PublicKey.ECDH()
	if err != nil {
		t.Fatal(err)
	}
	if skid := sha1.Sum(point.Bytes()); !bytes.Equal(chain[0].SubjectKeyId, skid[:]) {
		t.Errorf("leaf key identifier %x, want the SHA-1 of the key, %x", chain[0].SubjectKeyId, skid)
	}
	if !chain[0].PublicKey.(*ecdsa.PublicKey).Equal(&s.key.PublicKey) {
		t.Error("the leaf does not certify the signer's key")
	}

	// Three entries, each checked as logged and again against the tree of
	// three, so that proofs of several shapes are checked.
	var ids, envelopes []string
	for i := range 3 {
		proposal, env := s.proposal(chain[0], fmt.Sprintf(`{"_type":"https://in-toto.io/Statement/v1","n":%d}`, i))
		status, location, id, e := s.logEntry(proposal)
		if status != http.StatusCreated || location != "/api/v1/log/entries/"+id {
			t.Fatalf("entry %d: %d, Location %q for ID %s", i, status, location, id)
		}
		if e.Verification.InclusionProof.TreeSize != int64(i+1) || e.IntegratedTime != testEpoch.Unix() {
			t.Errorf("entry %d: tree size %d, integrated %d", i, e.Verification.InclusionProof.TreeSize, e.IntegratedTime)
		}
		verifyEntry(t, tr, id, e, env, chain[0])
		ids, envelopes = append(ids, id), append(envelopes, env)
	}
	for i, id := range ids {
		for _, path := range []string{id, id[16:]} {
			status, got, e := s.getEntry("/api/v1/log/entries/" + path)
			if status != http.StatusOK || got != id || e.Verification.InclusionProof.TreeSize != 3 {
				t.Fatalf("GET entry %d: %d, ID %s, tree size %d", i, status, got, e.Verification.InclusionProof.TreeSize)
			}
			verifyEntry(t, tr, id, e, envelopes[i], chain[0])
		}
	}
}

func TestSigstoreExtensionsRenderClaims(t *testing.T) {
	t.Parallel()
	s := newSigner(t, GitHubRun{Owner: "pypa", Repository: "sampleproject", Workflow: "build.yml", EventName: "release",
		JobWorkflowRef: "pypa/shared/.github/workflows/publish.yml@refs/heads/main"})
	leaf := s.certify()[0]
	run := s.iss.Run()
	want := map[int]string{
		1:  s.iss.URL,
		2:  "release",
		3:  run.SHA,
		4:  "build",
		5:  "pypa/sampleproject",
		6:  "refs/heads/main",
		8:  s.iss.URL,
		9:  "https://github.com/pypa/shared/.github/workflows/publish.yml@refs/heads/main",
		10: run.SHA,
		11: "github-hosted",
		12: "https://github.com/pypa/sampleproject",
		13: run.SHA,
		14: "refs/heads/main",
		15: "694526351",
		16: "https://github.com/pypa",
		17: run.OwnerID,
		18: "https://github.com/pypa/sampleproject/.github/workflows/build.yml@refs/heads/main",
		19: run.SHA,
		20: "release",
		21: "https://github.com/pypa/sampleproject/actions/runs/9876543210/attempts/1",
		22: "public",
	}
	wantExactExtensions(t, leaf, want)
}

// wantExtensions checks that the Sigstore extensions got hold want's values
// (others may be present).
func wantExtensions(t *testing.T, got, want map[int]string) {
	t.Helper()
	for n, v := range want {
		if got[n] != v {
			t.Errorf("extension 1.3.6.1.4.1.57264.1.%d = %q, want %q", n, got[n], v)
		}
	}
}

// wantExactExtensions checks that leaf's Sigstore extensions are exactly
// want and that its only SAN is the build config URI (extension 9); it
// returns the extensions.
func wantExactExtensions(t *testing.T, leaf *x509.Certificate, want map[int]string) map[int]string {
	t.Helper()
	got := extensionValues(t, leaf)
	wantExtensions(t, got, want)
	if len(got) != len(want) {
		t.Errorf("%d Sigstore extensions, want %d: %v", len(got), len(want), got)
	}
	if len(leaf.URIs) != 1 || leaf.URIs[0].String() != want[9] || len(leaf.EmailAddresses) != 0 {
		t.Errorf("SAN URIs %v, want only %s", leaf.URIs, want[9])
	}
	return got
}

// fulcioError decodes Fulcio's JSON error body.
func fulcioError(t *testing.T, body string) (int, string) {
	t.Helper()
	var e struct {
		Code    int
		Message string
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	return e.Code, e.Message
}

func TestSigstoreFulcioRefusals(t *testing.T) {
	t.Parallel()
	s := newSigner(t, GitHubRun{})
	good := s.token()
	pypiToken := s.iss.Token("pypi")
	other := NewIssuer()
	t.Cleanup(other.Close)
	cases := []struct {
		name    string
		token   string
		proof   []byte
		status  int
		code    int
		message string
	}{
		{name: "wrong audience", token: pypiToken, proof: s.proof(pypiToken), status: 401, code: 16, message: fulcioInvalidCredentials},
		{name: "unknown issuer", token: other.Token("sigstore"), proof: s.proof(good), status: 401, code: 16, message: fulcioInvalidCredentials},
		{name: "not a JWT", token: "not.a.jwt", proof: s.proof(good), status: 401, code: 16, message: fulcioInvalidCredentials},
		{name: "proof over another subject", token: good, proof: s.signSubject("repo:octo-org/other:ref:refs/heads/main"), status: 400, code: 3, message: fulcioInvalidSignature},
		{name: "garbage proof", token: good, proof: []byte("garbage"), status: 400, code: 3, message: fulcioInvalidSignature},
	}
	for _, c := range cases {
		status, body := s.requestCert(c.token, c.proof)
		code, message := fulcioError(t, body)
		if status != c.status || code != c.code || message != c.message {
			t.Errorf("%s: %d %s, want %d {code %d, %q}", c.name, status, body, c.status, c.code, c.message)
		}
	}

	// A token the clock has seen expire (with PyJWT's 30 s of leeway).
	s.clock.Advance(5*time.Minute + 31*time.Second)
	if status, body := s.requestCert(good, s.proof(good)); status != http.StatusUnauthorized {
		t.Errorf("expired token: %d %s", status, body)
	}
}

func TestSigstoreFulcioTokenInBodyAndBadKey(t *testing.T) {
	t.Parallel()
	s := newSigner(t, GitHubRun{})
	token := s.token()
	der, err := x509.MarshalPKIXPublicKey(&s.key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	request := func(keyPEM string) (int, string) {
		resp, body := s.post("/api/v2/signingCert", http.Header{}, map[string]any{
			"credentials": map[string]any{"oidcIdentityToken": token},
			"publicKeyRequest": map[string]any{
				"publicKey":         map[string]any{"algorithm": "ECDSA", "content": keyPEM},
				"proofOfPossession": s.proof(token),
			},
		})
		return resp.StatusCode, body
	}
	if status, body := request(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))); status != http.StatusOK {
		t.Fatalf("token in the body: %d %s", status, body)
	} else {
		parseChain(t, body)
	}
	status, body := request("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")
	if _, message := fulcioError(t, body); status != http.StatusBadRequest || message != fulcioInvalidPublicKey {
		t.Errorf("unparsable key: %d %s", status, body)
	}
}

func TestSigstoreFulcioFaults(t *testing.T) {
	t.Parallel()
	s := newSigner(t, GitHubRun{})
	tr := readTrustedRoot(t, s.sig)
	s.sig.FailFulcio(2, HTMLReply(http.StatusServiceUnavailable))
	s.sig.RefuseProofs(1)
	s.sig.OmitSCTs(1)
	token := s.token()
	for i, want := range []int{503, 503, 400, 200, 200} {
		status, body := s.requestCert(token, s.proof(token))
		if status != want {
			t.Fatalf("request %d: %d %s, want %d", i, status, body, want)
		}
		switch want {
		case 400:
			if _, message := fulcioError(t, body); message != fulcioInvalidSignature {
				t.Errorf("refused proof: %s", body)
			}
		case 200:
			chain := parseChain(t, body)
			verifyChain(t, tr, chain, s.clock.Now())
			_, hasSCT := extensionByOID(chain[0], oidSCTList)
			if hasSCT != (i == 4) {
				t.Errorf("request %d: leaf has an SCT: %v", i, hasSCT)
			}
			if hasSCT {
				verifySCT(t, tr, chain[0], chain[1])
			}
		}
	}
}

func extensionByOID(c *x509.Certificate, id asn1.ObjectIdentifier) ([]byte, bool) {
	for _, e := range c.Extensions {
		if e.Id.Equal(id) {
			return e.Value, true
		}
	}
	return nil, false
}

func TestSigstoreRekorFaultsAndConflicts(t *testing.T) {
	t.Parallel()
	s := newSigner(t, GitHubRun{})
	tr := readTrustedRoot(t, s.sig)
	leaf := s.certify()[0]
	proposal, env := s.proposal(leaf, `{"_type":"https://in-toto.io/Statement/v1"}`)

	s.sig.FailRekor(2, &Reply{Status: http.StatusTooManyRequests})
	for i := range 2 {
		if status, _, _, _ := s.logEntry(proposal); status != http.StatusTooManyRequests {
			t.Fatalf("request %d: %d, want 429", i, status)
		}
	}
	status, location, id, _ := s.logEntry(proposal)
	if status != http.StatusCreated {
		t.Fatalf("after the faults: %d", status)
	}

	// The same entry again: 409, pointing at the first.
	if status, again, _, _ := s.logEntry(proposal); status != http.StatusConflict || again != location {
		t.Errorf("duplicate: %d, Location %q, want 409 and %q", status, again, location)
	}

	// A conflict knob: the new entry is logged but answered 409.
	s.sig.ConflictEntries(1)
	second, env2 := s.proposal(leaf, `{"_type":"https://in-toto.io/Statement/v1","n":2}`)
	status, location2, _, _ := s.logEntry(second)
	if status != http.StatusConflict || location2 == location || location2 == "" {
		t.Fatalf("conflict knob: %d, Location %q", status, location2)
	}
	status, id2, e := s.getEntry(location2)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d", location2, status)
	}
	verifyEntry(t, tr, id2, e, env2, leaf)
	if _, got, e := s.getEntry(location); got != id || e.Verification.InclusionProof.TreeSize != 2 {
		t.Errorf("GET first entry: ID %s, tree size %d", got, e.Verification.InclusionProof.TreeSize)
	} else {
		verifyEntry(t, tr, id, e, env, leaf)
	}
	if status, _, _ := s.getEntry("/api/v1/log/entries/" + strings.Repeat("ab", 32)); status != http.StatusNotFound {
		t.Errorf("unknown entry: %d, want 404", status)
	}
}

func TestSigstoreRekorRefusals(t *testing.T) {
	t.Parallel()
	s := newSigner(t, GitHubRun{})
	leaf := s.certify()[0]
	other := newSigner(t, GitHubRun{})
	otherLeaf := other.certify()[0]
	proposal, _ := s.proposal(leaf, `{}`)
	wrongKey, _ := s.proposal(otherLeaf, `{}`)
	hashed := map[string]any{"apiVersion": "0.0.1", "kind": "hashedrekord", "spec": map[string]any{}}
	for name, p := range map[string]map[string]any{"wrong verifier": wrongKey, "another kind": hashed} {
		if status, _, _, _ := s.logEntry(p); status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, status)
		}
	}
	if status, _, _, _ := s.logEntry(proposal); status != http.StatusCreated {
		t.Errorf("good proposal after refusals: %d", status)
	}
}

func TestSigstoreTrustedRootValidity(t *testing.T) {
	t.Parallel()
	s := newSigner(t, GitHubRun{})
	tr := readTrustedRoot(t, s.sig)
	ca := tr.CAs[0]
	if !ca.ValidFor.Start.Before(testEpoch) || !ca.ValidFor.End.After(testEpoch.Add(365*24*time.Hour)) {
		t.Errorf("CA valid %v to %v around the clock's %v", ca.ValidFor.Start, ca.ValidFor.End, testEpoch)
	}
	for _, k := range []trustedKey{tr.Tlogs[0], tr.Ctlogs[0]} {
		if !k.PublicKey.ValidFor.Start.Equal(ca.ValidFor.Start) || k.BaseURL != s.sig.URL {
			t.Errorf("log %+v: not valid from %v at %s", k, ca.ValidFor.Start, s.sig.URL)
		}
	}
	if s.sig.FulcioURL() != s.sig.URL || s.sig.RekorURL() != s.sig.URL {
		t.Errorf("Fulcio at %s, Rekor at %s, want %s", s.sig.FulcioURL(), s.sig.RekorURL(), s.sig.URL)
	}
}

func TestSigstoreConcurrentEntries(t *testing.T) {
	t.Parallel()
	s := newSigner(t, GitHubRun{})
	tr := readTrustedRoot(t, s.sig)
	leaf := s.certify()[0]
	const n = 7
	proposals, envelopes := make([]map[string]any, n), make([]string, n)
	for i := range n {
		proposals[i], envelopes[i] = s.proposal(leaf, fmt.Sprintf(`{"n":%d}`, i))
	}
	locations := make([]string, n)
	done := make(chan int)
	for i := range n {
		go func() {
			b, _ := json.Marshal(proposals[i])
			resp, err := s.sig.Client().Post(s.sig.URL+"/api/v1/log/entries", "application/json", bytes.NewReader(b))
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated {
					locations[i] = resp.Header.Get("Location")
				}
			}
			done <- i
		}()
	}
	for range n {
		<-done
	}
	indexes := map[int64]bool{}
	for i, location := range locations {
		if location == "" {
			t.Fatalf("entry %d was not logged", i)
		}
		status, id, e := s.getEntry(location)
		if status != http.StatusOK || e.Verification.InclusionProof.TreeSize != n {
			t.Fatalf("GET %s: %d, tree size %d", location, status, e.Verification.InclusionProof.TreeSize)
		}
		verifyEntry(t, tr, id, e, envelopes[i], leaf)
		indexes[e.LogIndex] = true
	}
	if len(indexes) != n {
		t.Errorf("%d distinct log indexes for %d entries", len(indexes), n)
	}
}

func TestSigstoreWithTLS(t *testing.T) {
	t.Parallel()
	iss := NewIssuer()
	t.Cleanup(iss.Close)
	sig := NewSigstore(WithIssuer(iss), WithTLS())
	t.Cleanup(sig.Close)
	if !strings.HasPrefix(sig.URL, "https://127.0.0.1:") {
		t.Fatalf("URL %s, want https on loopback", sig.URL)
	}
	status, body := getBody(t, sig.Client(), sig.RekorURL()+"/api/v1/log/entries/"+strings.Repeat("0", 64))
	if status != http.StatusNotFound || !strings.Contains(body, `"code":404`) {
		t.Errorf("GET over TLS: %d %s", status, body)
	}
}
