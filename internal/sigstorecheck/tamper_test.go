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
