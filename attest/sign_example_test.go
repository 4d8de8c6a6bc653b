package attest_test

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"fmt"

	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/oidc"
	"github.com/trustpub/pypi/pypitest"
)

// A Signer signs each distribution of a release with one certificate,
// here against pypitest's fake issuer and Sigstore. In GitHub Actions,
// the oidc.Config would read the real environment, and FulcioURL,
// RekorURL and HTTPClient would stay unset.
func ExampleSigner() {
	iss := pypitest.NewIssuer()
	defer iss.Close()
	sig := pypitest.NewSigstore(pypitest.WithIssuer(iss))
	defer sig.Close()

	ctx := context.Background()
	ids, err := (&oidc.Config{Getenv: iss.Getenv, HTTPClient: iss.Client()}).TokenSource(ctx, attest.IdentityAudience)
	if err != nil {
		fmt.Println(err)
		return
	}
	signer := &attest.Signer{IDToken: ids, FulcioURL: sig.FulcioURL(), RekorURL: sig.RekorURL(), HTTPClient: sig.Client()}
	for _, name := range []string{"sampleproject-1.0.tar.gz", "sampleproject-1.0-py3-none-any.whl"} {
		a, err := signer.Sign(ctx, name, sha256.Sum256([]byte("the file's content")))
		if err != nil {
			fmt.Println(err)
			return
		}
		st, _ := a.Statement()
		cert, _ := x509.ParseCertificate(a.VerificationMaterial.Certificate)
		fmt.Printf("%s: %s, log index %d, signed by %s\n", st.Subject[0].Name, st.PredicateType,
			a.VerificationMaterial.TransparencyEntries[0].LogIndex, cert.URIs[0])
	}
	// Output:
	// sampleproject-1.0.tar.gz: https://docs.pypi.org/attestations/publish/v1, log index 1000, signed by https://github.com/octo-org/sampleproject/.github/workflows/release.yml@refs/heads/main
	// sampleproject-1.0-py3-none-any.whl: https://docs.pypi.org/attestations/publish/v1, log index 1001, signed by https://github.com/octo-org/sampleproject/.github/workflows/release.yml@refs/heads/main
}
