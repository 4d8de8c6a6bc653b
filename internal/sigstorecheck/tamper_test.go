package sigstorecheck

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/trustpub/pypi/attest"
)

// bundleOf returns a as a Sigstore bundle, as attest converts it, after a
// trip through the attestation's JSON.
func bundleOf(t *testing.T, a *attest.Attestation) []byte {
	t.Helper()
	j, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := attest.Parse(j)
	if err != nil {
		t.Fatalf("attest.Parse: %v", err)
	}
	b, err := parsed.Bundle()
	if err != nil {
		t.Fatalf("Bundle: %v", err)
	}
	return b
}

// flipSignatureByte returns a copy of a whose DSSE signature has one
// bit changed inside the ECDSA signature's r value.
func flipSignatureByte(a *attest.Attestation) *attest.Attestation {
	c := *a
	c.Envelope.Signature = bytes.Clone(a.Envelope.Signature)
	c.Envelope.Signature[len(c.Envelope.Signature)/3] ^= 1
	return &c
}

// changeSubjectDigest returns a copy of a whose statement names another
// sha256 than want, leaving the signature as it was.
func changeSubjectDigest(t *testing.T, a *attest.Attestation, want [32]byte) *attest.Attestation {
	t.Helper()
	old := hex.EncodeToString(want[:])
	if !bytes.Contains(a.Envelope.Statement, []byte(old)) {
		t.Fatalf("the statement does not name sha256 %s", old)
	}
	c := *a
	c.Envelope.Statement = bytes.ReplaceAll(a.Envelope.Statement, []byte(old), []byte(hex.EncodeToString(otherDigest[:])))
	return &c
}

// mustRefuseTampered checks that every verifier refuses a, whose check good
// verifies, once its DSSE signature or its statement's subject digest is
// changed, and refuses good for another artifact digest.
func mustRefuseTampered(t *testing.T, a *attest.Attestation, good check) {
	t.Helper()
	c := good
	c.bundle = bundleOf(t, flipSignatureByte(a))
	mustRefuse(t, "flipped signature byte", c, map[string]string{
		"sigstore-go": "transparency log signature does not match", "sigstore-js": "TLOG_BODY_ERROR: tlog entry signature mismatch",
		"attest": "attest: transparency log body: log entry signatures do not match bundle"})
	c = good
	c.bundle = bundleOf(t, changeSubjectDigest(t, a, good.sha256))
	c.sha256 = otherDigest
	mustRefuse(t, "changed subject digest", c, map[string]string{
		"sigstore-go": "does not match envelope payload hash", "sigstore-js": "TLOG_BODY_ERROR: DSSE payload hash mismatch",
		"attest": "attest: transparency log body: log entry payload hash does not match bundle"})
	c = good
	c.sha256 = otherDigest
	mustRefuse(t, "another artifact digest", c, map[string]string{
		"sigstore-go": "provided artifact digest does not match any digest in statement", "sigstore-js": "SUBJECT_ERROR",
		"attest": "attest: statement: subject does not match distribution digest"})
}
