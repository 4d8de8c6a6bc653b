package pypitest_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"strings"

	"github.com/trustpub/pypi/pypitest"
)

// A signer of PEP 740 attestations gets a certificate from the fake
// Fulcio for an identity token of the fake issuer with audience
// "sigstore", proving that it holds the key by signing the token's
// subject. A test would close the fakes with t.Cleanup, log the signed
// envelope at RekorURL, and verify the result with TrustedRoot.
func ExampleNewSigstore() {
	iss := pypitest.NewIssuer()
	defer iss.Close()
	sig := pypitest.NewSigstore(pypitest.WithIssuer(iss))
	defer sig.Close()

	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	sub := "repo:" + iss.Getenv("GITHUB_REPOSITORY") + ":ref:" + iss.Getenv("GITHUB_REF") // the token's sub claim
	digest := sha256.Sum256([]byte(sub))
	proof, _ := ecdsa.SignASN1(rand.Reader, key, digest[:])
	body, _ := json.Marshal(map[string]any{"publicKeyRequest": map[string]any{
		"publicKey":         map[string]any{"algorithm": "ECDSA", "content": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))},
		"proofOfPossession": proof,
	}})
	req, _ := http.NewRequest(http.MethodPost, sig.FulcioURL()+"/api/v2/signingCert", strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer "+iss.Token("sigstore"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := sig.Client().Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var answer struct {
		SignedCertificateEmbeddedSct struct {
			Chain struct{ Certificates []string }
		}
	}
	json.NewDecoder(resp.Body).Decode(&answer)
	chain := answer.SignedCertificateEmbeddedSct.Chain.Certificates
	block, _ := pem.Decode([]byte(chain[0]))
	leaf, _ := x509.ParseCertificate(block.Bytes)
	fmt.Println(resp.Status, len(chain), "certificates")
	fmt.Println("identity:", leaf.URIs[0])
	// Output:
	// 200 OK 3 certificates
	// identity: https://github.com/octo-org/sampleproject/.github/workflows/release.yml@refs/heads/main
}
