package pypitest

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"testing"
)

// decoyProposal returns a dsse proposal whose envelope has n copies of one
// signature and n verifiers: n-1 Ed25519 keys, which the fake Rekor parses
// but cannot verify with, then the ECDSA key that made the signature.
func decoyProposal(t *testing.T, n int) []byte {
	t.Helper()
	decoyKey, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	decoyDER, err := x509.MarshalPKIXPublicKey(decoyKey)
	if err != nil {
		t.Fatal(err)
	}
	decoy := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: decoyDER})
	key := newECKey()
	const payloadType = "application/vnd.in-toto+json"
	payload := []byte(`{"_type":"https://in-toto.io/Statement/v1"}`)
	sig := base64.StdEncoding.EncodeToString(signECDSA(key, dssePAE(payloadType, payload)))

	var p rekorProposal
	p.APIVersion, p.Kind = "0.0.1", "dsse"
	sigs := make([]map[string]string, n)
	for i := range n {
		sigs[i] = map[string]string{"sig": sig}
		p.Spec.ProposedContent.Verifiers = append(p.Spec.ProposedContent.Verifiers, decoy)
	}
	p.Spec.ProposedContent.Verifiers[n-1] = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: publicKeyDER(key)})
	env, err := json.Marshal(map[string]any{"payload": payload, "payloadType": payloadType, "signatures": sigs})
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

// TestCanonicalDSSEAllocationsLinear checks that the fake Rekor's work on
// a proposal grows linearly with the numbers of signatures and verifiers,
// each verifier parsed once rather than once per signature: four times
// as many of both cost at most five times the allocations, not sixteen.
// Not parallel: testing.AllocsPerRun counts the whole test binary's
// allocations, so it runs while no other test does.
func TestCanonicalDSSEAllocationsLinear(t *testing.T) {
	allocs := func(n int) float64 {
		p := decoyProposal(t, n)
		if body, problem := canonicalDSSE(p); body == nil {
			t.Fatalf("%d signatures and verifiers refused: %s", n, problem)
		}
		return testing.AllocsPerRun(5, func() { canonicalDSSE(p) })
	}
	const n = 32
	small, large := allocs(n), allocs(4*n)
	t.Logf("allocations: %.0f for %d signatures and verifiers, %.0f for %d", small, n, large, 4*n)
	if large > 5*small {
		t.Errorf("%d signatures and verifiers cost %.0f allocations, %d cost %.0f: more than linear", n, small, 4*n, large)
	}
}
