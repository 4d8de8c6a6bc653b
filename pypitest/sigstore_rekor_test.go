package pypitest

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"testing"
)

// decoyProposal returns a dsse proposal whose envelope has sigs copies of
// one signature, and verifiers verifiers: verifiers-1 copies of decoy (a
// PEM public key that did not sign), then the ECDSA key that did.
func decoyProposal(t *testing.T, sigs, verifiers int, decoy []byte) []byte {
	t.Helper()
	key := newECKey()
	const payloadType = "application/vnd.in-toto+json"
	payload := []byte(`{"_type":"https://in-toto.io/Statement/v1"}`)
	sig := base64.StdEncoding.EncodeToString(signECDSA(key, dssePAE(payloadType, payload)))

	var p rekorProposal
	p.APIVersion, p.Kind = "0.0.1", "dsse"
	signatures := make([]map[string]string, sigs)
	for i := range signatures {
		signatures[i] = map[string]string{"sig": sig}
	}
	for range verifiers - 1 {
		p.Spec.ProposedContent.Verifiers = append(p.Spec.ProposedContent.Verifiers, decoy)
	}
	p.Spec.ProposedContent.Verifiers = append(p.Spec.ProposedContent.Verifiers,
		pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: publicKeyDER(key)}))
	env, err := json.Marshal(map[string]any{"payload": payload, "payloadType": payloadType, "signatures": signatures})
	if err != nil {
		t.Fatal(err)
	}
	p.Spec.ProposedContent.Envelope = string(env)
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// ed25519Decoy returns an Ed25519 public key in PEM, which the fake
// Rekor parses but cannot verify with.
func ed25519Decoy(t *testing.T) []byte {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// ecdsaDecoy returns a P-256 public key in PEM that signed nothing.
func ecdsaDecoy() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: publicKeyDER(newECKey())})
}

// TestCanonicalDSSEAllocationsLinear checks that the fake Rekor parses
// each verifier once rather than once per signature: four times as many
// signatures and verifiers cost at most five times the allocations, not
// sixteen. Not parallel: testing.AllocsPerRun counts the whole test
// binary's allocations, so it runs while no other test does.
func TestCanonicalDSSEAllocationsLinear(t *testing.T) {
	decoy := ed25519Decoy(t)
	allocs := func(n int) float64 {
		p := decoyProposal(t, n, n, decoy)
		if body, problem := canonicalDSSE(p); body == nil {
			t.Fatalf("%d signatures and verifiers refused: %s", n, problem)
		}
		return testing.AllocsPerRun(5, func() { canonicalDSSE(p) })
	}
	const n = maxDSSESigners / 4
	small, large := allocs(n), allocs(4*n)
	t.Logf("allocations: %.0f for %d signatures and verifiers, %.0f for %d", small, n, large, 4*n)
	if large > 5*small {
		t.Errorf("%d signatures and verifiers cost %.0f allocations, %d cost %.0f: more than linear", n, small, 4*n, large)
	}
}

// Each signature is tried with each verifier, so the fake Rekor bounds
// both: the ECDSA verifications stay a few hundred whatever the body.
func TestCanonicalDSSEBoundsSigners(t *testing.T) {
	t.Parallel()
	decoy := ecdsaDecoy()
	tooMany := fmt.Sprintf("the envelope may have at most %d signatures and %d verifiers", maxDSSESigners, maxDSSESigners)
	for _, tc := range []struct {
		sigs, verifiers int
		want            string
	}{
		{maxDSSESigners, maxDSSESigners, ""},
		{maxDSSESigners + 1, 1, tooMany},
		{1, maxDSSESigners + 1, tooMany},
		{2000, 2000, tooMany},
	} {
		body, problem := canonicalDSSE(decoyProposal(t, tc.sigs, tc.verifiers, decoy))
		if problem != tc.want || (problem == "") != (body != nil) {
			t.Errorf("%d signatures, %d verifiers: problem %q, body %.40s; want problem %q", tc.sigs, tc.verifiers, problem, body, tc.want)
		}
	}
}
