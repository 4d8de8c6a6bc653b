package pypitest

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/trustpub/pypi/internal/testenv"
)

// TestSigstoreVerifiesWithSigstoreJS checks the fake's certificates, log
// entries and trusted root with npm's @sigstore/verify, as pinned by the
// npm project testenv.SigstoreJSDir, at its defaults (one SCT, one log
// entry, one timestamp).
func TestSigstoreVerifiesWithSigstoreJS(t *testing.T) {
	t.Parallel()
	s := newSigner(t, GitHubRun{})
	san := "https://github.com/" + s.iss.Run().workflowRef()
	verify := func(bundle map[string]any) testenv.SigstoreJSVerdict {
		t.Helper()
		b, err := json.Marshal(bundle)
		if err != nil {
			t.Fatal(err)
		}
		return testenv.SigstoreJS(t, "..", testenv.SigstoreJSInput{Root: s.sig.TrustedRoot(), Bundle: b,
			Identities: []testenv.SigstoreJSIdentity{{SAN: san, Issuer: s.iss.URL}}})
	}

	chain := s.certify()
	// Two entries first, so that the one verified has a proof with hashes.
	for _, statement := range []string{`{"n":1}`, `{"n":2}`} {
		p, _ := s.proposal(chain[0], statement)
		s.logEntry(p)
	}
	statement := `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a-1.0.tar.gz","digest":{"sha256":"00"}}]}`
	proposal, env := s.proposal(chain[0], statement)
	status, _, _, e := s.logEntry(proposal)
	if status != 201 {
		t.Fatalf("entry: %d", status)
	}
	if got := verify(sigstoreBundle(t, chain[0], e, env)); !got.Verified || got.SAN != san {
		t.Fatalf("@sigstore/verify refused the fake's bundle: %v", got)
	}

	// The same with a leaf the fake issued without an SCT: refused.
	s.sig.OmitSCTs(1)
	bare := s.certify()
	proposal, env = s.proposal(bare[0], statement)
	_, _, _, e = s.logEntry(proposal)
	if got := verify(sigstoreBundle(t, bare[0], e, env)); got.Verified || got.Code != "CERTIFICATE_ERROR" {
		t.Errorf("@sigstore/verify on a leaf without SCT: %v", got)
	}
}

// sigstoreBundle assembles a Sigstore bundle v0.3 from a leaf, its log
// entry and its DSSE envelope, as a signer does.
func sigstoreBundle(t *testing.T, leaf *x509.Certificate, e logged, envelope string) map[string]any {
	t.Helper()
	var env map[string]any
	if err := json.Unmarshal([]byte(envelope), &env); err != nil {
		t.Fatal(err)
	}
	b64hex := func(h string) string {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		return base64.StdEncoding.EncodeToString(b)
	}
	p := e.Verification.InclusionProof
	var hashes []string
	for _, h := range p.Hashes {
		hashes = append(hashes, b64hex(h))
	}
	itoa := func(n int64) string { return strconv.FormatInt(n, 10) }
	return map[string]any{
		"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
		"verificationMaterial": map[string]any{
			"certificate": map[string]any{"rawBytes": base64.StdEncoding.EncodeToString(leaf.Raw)},
			"tlogEntries": []any{map[string]any{
				"logIndex":          itoa(e.LogIndex),
				"logId":             map[string]any{"keyId": b64hex(e.LogID)},
				"kindVersion":       map[string]any{"kind": "dsse", "version": "0.0.1"},
				"integratedTime":    itoa(e.IntegratedTime),
				"inclusionPromise":  map[string]any{"signedEntryTimestamp": e.Verification.SignedEntryTimestamp},
				"inclusionProof":    map[string]any{"logIndex": itoa(p.LogIndex), "rootHash": b64hex(p.RootHash), "treeSize": itoa(p.TreeSize), "hashes": hashes, "checkpoint": map[string]any{"envelope": p.Checkpoint}},
				"canonicalizedBody": e.Body,
			}},
		},
		"dsseEnvelope": env,
	}
}
