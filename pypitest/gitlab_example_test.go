package pypitest_test

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"fmt"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/pypitest"
)

// A GitLab CI/CD job gets its ID tokens in variables rather than from an
// endpoint: GitLabToken makes one, here for Sigstore. The fake Fulcio
// certifies it as Fulcio's gitlab-pipeline template does, and the
// attestation verifies under attest's GitLab policy (with the fake's
// issuer standing in for https://gitlab.com).
func ExampleIssuer_GitLabToken() {
	iss := pypitest.NewIssuer()
	defer iss.Close()
	sig := pypitest.NewSigstore(pypitest.WithIssuer(iss))
	defer sig.Close()

	run := pypitest.GitLabRun{Namespace: "octo-group", Project: "sampleproject", Ref: "v1.0.0", RefType: "tag"}
	token := iss.GitLabToken(attest.IdentityAudience, run)
	signer := &attest.Signer{IDToken: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}),
		FulcioURL: sig.FulcioURL(), RekorURL: sig.RekorURL(), HTTPClient: sig.Client()}
	subject := attest.Subject{Filename: "sampleproject-1.0.0.tar.gz", SHA256: sha256.Sum256([]byte("the sdist"))}
	a, err := signer.Sign(context.Background(), subject.Filename, subject.SHA256)
	if err != nil {
		fmt.Println(err)
		return
	}
	cert, _ := x509.ParseCertificate(a.VerificationMaterial.Certificate)
	fmt.Println("signed by", cert.URIs[0])

	root, _ := attest.ParseTrustedRoot(sig.TrustedRoot())
	policy := attest.GitLabPublisher{Repository: run.ProjectPath(), WorkflowFilepath: ".gitlab-ci.yml", Issuer: iss.URL}
	predicate, err := a.Verify(root, policy, subject)
	fmt.Println(predicate, err)
	// Output:
	// signed by https://gitlab.com/octo-group/sampleproject//.gitlab-ci.yml@refs/tags/v1.0.0
	// https://docs.pypi.org/attestations/publish/v1 <nil>
}
