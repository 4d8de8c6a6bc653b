package pypitest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCanonicalDSSESeeds(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"dsse-public-key.json":   "",
		"tampered-payload.json":  "could not verify envelope signature",
		"other-kind.json":        "only dsse entries of apiVersion 0.0.1 are logged",
		"no-verifier.json":       "the envelope needs at least one signature and one verifier",
		"envelope-not-json.json": "invalid DSSE envelope: unexpected end of JSON input",
	}
	for name, problem := range want {
		b, err := os.ReadFile(filepath.Join("testdata", "sigstore-proposals", name))
		if err != nil {
			t.Fatal(err)
		}
		body, got := canonicalDSSE(b)
		if got != problem || (problem == "") != (body != nil) {
			t.Errorf("%s: problem %q, body %s; want problem %q", name, got, body, problem)
		}
	}
}

// FuzzCanonicalDSSE checks that a proposal is either refused with a
// message or turned into a canonical body: compact JSON that encodes back
// to itself, whose hashes are those of the envelope and payload, and
// whose every signature verifies with its verifier.
func FuzzCanonicalDSSE(f *testing.F) {
	addSeeds(f, "sigstore-proposals")
	f.Fuzz(func(t *testing.T, proposal string) {
		body, problem := canonicalDSSE([]byte(proposal))
		if problem != "" {
			if body != nil {
				t.Fatalf("refused (%s) with a body", problem)
			}
			return
		}
		var b dsseBody
		if err := json.Unmarshal(body, &b); err != nil {
			t.Fatal(err)
		}
		again, err := json.Marshal(b)
		if err != nil || !bytes.Equal(again, body) {
			t.Fatalf("body %s is not canonical: %s", body, again)
		}
		var p rekorProposal
		var env dsseEnvelope
		if json.Unmarshal([]byte(proposal), &p) != nil || json.Unmarshal([]byte(p.Spec.ProposedContent.Envelope), &env) != nil {
			t.Fatal("accepted a proposal that does not parse")
		}
		envHash := sha256.Sum256([]byte(p.Spec.ProposedContent.Envelope))
		if b.Spec.EnvelopeHash.Value != hex.EncodeToString(envHash[:]) || len(b.Spec.Signatures) != len(env.Signatures) {
			t.Fatalf("body %s does not describe the envelope", body)
		}
		pae := dssePAE(env.PayloadType, env.Payload)
		digest := sha256.Sum256(pae)
		for _, s := range b.Spec.Signatures {
			sig, err := base64.StdEncoding.DecodeString(s.Signature)
			if pub := verifierKey(s.Verifier); err != nil || pub == nil || !ecdsa.VerifyASN1(pub, digest[:], sig) {
				t.Fatalf("signature %s does not verify with its verifier", s.Signature)
			}
		}
	})
}

// FuzzSigningCertRequest sends fuzzed signingCert bodies with a valid
// token: Fulcio answers 200 only for a body with a key and a proof over the
// token's subject, and refuses anything else with its JSON error.
func FuzzSigningCertRequest(f *testing.F) {
	addSeeds(f, "sigstore-signingcert") // $KEY and $PROOF stand for a real key and proof
	clock := NewClock(testEpoch)
	iss := NewIssuer(WithClock(clock.Now))
	f.Cleanup(iss.Close)
	g := NewSigstore(WithIssuer(iss), WithClock(clock.Now))
	f.Cleanup(g.Close)
	key := newECKey()
	keyPEM := strings.ReplaceAll(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: publicKeyDER(key)})), "\n", `\n`)
	token := iss.Token("sigstore")
	_, claims, _ := decodeUnverified(token)
	proof := base64.StdEncoding.EncodeToString(signECDSA(key, []byte(claims["sub"].(string))))
	f.Fuzz(func(t *testing.T, body string) {
		body = strings.NewReplacer("$KEY", keyPEM, "$PROOF", proof).Replace(body)
		req := httptest.NewRequest(http.MethodPost, fulcioSigningCertPath, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		g.serveSigningCert(w, req)
		var answer map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &answer); err != nil {
			t.Fatalf("%d answer %q is not JSON", w.Code, w.Body)
		}
		switch w.Code {
		case http.StatusOK:
			if !strings.Contains(body, proof) {
				t.Fatalf("certified without the proof: %s", body)
			}
		case http.StatusBadRequest, http.StatusUnauthorized:
			if _, ok := answer["message"].(string); !ok {
				t.Fatalf("refusal %s without a message", w.Body)
			}
		default:
			t.Fatalf("answered %d", w.Code)
		}
	})
}
