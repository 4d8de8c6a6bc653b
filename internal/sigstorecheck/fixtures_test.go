package sigstorecheck

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/internal/testenv"
)

// fixtureDir holds real attestations from pypi-attestations' test assets
// and Sigstore's public-good trusted root, beside the repository (see its
// README.md): the repository's root is two levels up.
var fixtureDir = filepath.Join(repoRoot, "..", "shared", "fixtures", "attestations")

// readFixture returns a fixture file, skipping the test (failing it under
// CI=true) when the fixtures are absent.
func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if os.IsNotExist(err) {
		testenv.Missing(t, "fixture "+filepath.Join(fixtureDir, name))
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fixture is a real distribution, one of its attestations, and the
// publisher that signed it.
type fixture struct {
	dist, file string
	publisher
}

var (
	// trailofbits/pypi-attestations' release workflow, tag v0.0.19.
	tob = gitHubPublisher(attest.GitHubIssuer, "trailofbits/pypi-attestations", "release.yml",
		"refs/tags/v0.0.19", "08802efe1f8e5fec4ad842d6b8ce97656092ee72")
	tobPublish = fixture{"pypi_attestations-0.0.19.tar.gz", "pypi_attestations-0.0.19.tar.gz.publish.attestation", tob}
	tobSLSA    = fixture{"pypi_attestations-0.0.19.tar.gz", "pypi_attestations-0.0.19.tar.gz.slsa.attestation", tob}
	gitLab     = fixture{"gitlab_oidc_project-0.0.3.tar.gz", "gitlab_oidc_project-0.0.3.tar.gz.publish.attestation",
		gitLabPublisher(attest.GitLabIssuer, "facutuesca/gitlab-oidc-project", ".gitlab-ci.yml", "refs/heads/main", "72f7c63b75eb55ea80864962f0e645c93414da34")}
	// Signed by Sigstore's staging instance for an e-mail identity, which
	// no PyPI publisher policy accepts: checked as if from tob.
	staging = fixture{"rfc8785-0.1.2-py3-none-any.whl", "rfc8785-0.1.2-py3-none-any.whl.publish.attestation",
		publisher{identities: []identity{{san: "william@yossarian.net", issuer: "https://github.com/login/oauth"}}, policy: tob.policy}}
)

// attestation parses the fixture's attestation.
func (f fixture) attestation(t *testing.T) *attest.Attestation {
	t.Helper()
	a, err := attest.Parse(readFixture(t, f.file))
	if err != nil {
		t.Fatalf("attest.Parse(%s): %v", f.file, err)
	}
	return a
}

// check returns the check of a (the fixture's attestation, or a changed
// copy) against the public-good trusted root, for the fixture's publisher
// and distribution.
func (f fixture) check(t *testing.T, a *attest.Attestation) check {
	t.Helper()
	return check{root: readFixture(t, "trusted_root.public-good.json"), bundle: bundleOf(t, a),
		publisher: f.publisher, filename: f.dist, sha256: sha256.Sum256(readFixture(t, f.dist))}
}

func TestRealAttestationsVerify(t *testing.T) {
	t.Parallel()
	for _, f := range []fixture{tobPublish, tobSLSA, gitLab} {
		mustVerify(t, f.file, f.check(t, f.attestation(t)))
	}
}

func TestTamperedRealAttestationsFail(t *testing.T) {
	t.Parallel()
	a := tobPublish.attestation(t)
	good := tobPublish.check(t, a)
	mustRefuseTampered(t, a, good)
	c := good
	c.filename, c.sha256 = gitLab.dist, sha256.Sum256(readFixture(t, gitLab.dist))
	mustRefuse(t, "paired with another file", c, map[string]string{
		"sigstore-go": "provided artifact digest does not match any digest in statement", "sigstore-js": "SUBJECT_ERROR",
		"attest": "attest: statement: subject does not match distribution name"})
	c = good
	c.publisher = gitHubPublisher(attest.GitHubIssuer, "trailofbits/other", "release.yml",
		"refs/tags/v0.0.19", "08802efe1f8e5fec4ad842d6b8ce97656092ee72")
	mustRefuse(t, "another repository", c, map[string]string{
		"sigstore-go": "expected SAN value", "sigstore-js": "UNTRUSTED_SIGNER_ERROR: certificate identity error",
		"attest": "attest: publisher policy: Certificate's OIDCSourceRepositoryURI does not match"})
	c = gitLab.check(t, gitLab.attestation(t))
	c.publisher = tob
	mustRefuse(t, "GitLab attestation, GitHub publisher", c, map[string]string{
		"sigstore-go": "expected SAN value", "sigstore-js": "UNTRUSTED_SIGNER_ERROR: certificate identity error",
		"attest": "attest: publisher policy: Certificate's OIDCIssuerV2 does not match"})
	mustRefuse(t, "staging-signed", staging.check(t, staging.attestation(t)), map[string]string{
		"sigstore-go": "not enough verified log entries from transparency log: 0 < 1", "sigstore-js": "CERTIFICATE_ERROR: Failed to verify certificate chain",
		"attest": "attest: transparency log entry: no transparency log with key ID"})
}
