package sigstorecheck

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/oidc"
	"github.com/trustpub/pypi/pypitest"
)

// fakeSigstore is pypitest's fake issuer and Sigstore on one clock, and an
// attest.Signer using them with an identity of signedBy.
type fakeSigstore struct {
	iss      *pypitest.Issuer
	sig      *pypitest.Sigstore
	clock    *pypitest.Clock
	signer   *attest.Signer
	signedBy publisher
}

func newFakeSigstore(t *testing.T) *fakeSigstore {
	t.Helper()
	clock := pypitest.NewClock(time.Now())
	iss := pypitest.NewIssuer(pypitest.WithClock(clock.Now))
	t.Cleanup(iss.Close)
	sig := pypitest.NewSigstore(pypitest.WithIssuer(iss), pypitest.WithClock(clock.Now))
	t.Cleanup(sig.Close)
	ids, err := (&oidc.Config{Getenv: iss.Getenv, HTTPClient: iss.Client()}).TokenSource(t.Context(), attest.IdentityAudience)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSigstore{iss: iss, sig: sig, clock: clock}
	f.signer = f.newSigner(ids)
	f.signedBy = f.publisher(f.repository())
	return f
}

// newSigner returns an attest.Signer using the fake Sigstore with the
// identity tokens of ids.
func (f *fakeSigstore) newSigner(ids oauth2.TokenSource) *attest.Signer {
	return &attest.Signer{IDToken: ids, FulcioURL: f.sig.FulcioURL(), RekorURL: f.sig.RekorURL(),
		HTTPClient: f.sig.Client(), Backoff: time.Millisecond, Now: f.clock.Now}
}

// gitLab returns a copy of f whose Signer has the identity of the GitLab
// CI/CD job run, holding its ID token for Sigstore as such a job does.
func (f *fakeSigstore) gitLab(run pypitest.GitLabRun) *fakeSigstore {
	g := *f
	token := f.iss.GitLabToken(attest.IdentityAudience, run)
	g.signer = f.newSigner(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}))
	g.signedBy = f.gitLabPublisher(run)
	return &g
}

// gitLabPublisher returns the publisher of the GitLab CI/CD job run, which
// must set Ref, RefType ("branch" or "tag"), SHA and CIConfigPath.
func (f *fakeSigstore) gitLabPublisher(run pypitest.GitLabRun) publisher {
	ref := "refs/heads/" + run.Ref
	if run.RefType == "tag" {
		ref = "refs/tags/" + run.Ref
	}
	return gitLabPublisher(f.iss.URL, run.ProjectPath(), run.CIConfigPath, ref, run.SHA)
}

// publisher returns the GitHub publisher of the issuer's run, for the
// given repository ("owner/name").
func (f *fakeSigstore) publisher(repository string) publisher {
	run := f.iss.Run()
	return gitHubPublisher(f.iss.URL, repository, run.Workflow, run.Ref, run.SHA)
}

// repository is the run's repository, "owner/name".
func (f *fakeSigstore) repository() string {
	run := f.iss.Run()
	return run.Owner + "/" + run.Repository
}

// sign signs a made-up distribution called name, and returns the check
// of its attestation, as a Sigstore bundle, against the fake's trusted
// root, for the signer's own publisher and the distribution.
func (f *fakeSigstore) sign(t *testing.T, name string) (*attest.Attestation, check) {
	t.Helper()
	sum := sha256.Sum256([]byte("the content of " + name))
	a, err := f.signer.Sign(t.Context(), name, sum)
	if err != nil {
		t.Fatalf("Sign(%s): %v", name, err)
	}
	return a, check{root: f.sig.TrustedRoot(), bundle: bundleOf(t, a), publisher: f.signedBy,
		filename: name, sha256: sum}
}

func TestSignerAttestationsVerify(t *testing.T) {
	t.Parallel()
	f := newFakeSigstore(t)
	var first *attest.Attestation
	for _, name := range []string{"sampleproject-1.0.tar.gz", "sampleproject-1.0-py3-none-any.whl", "sampleproject-1.0.zip"} {
		a, c := f.sign(t, name)
		if first == nil {
			first = a
		}
		mustVerify(t, name, c)
	}
	// Fulcio's certificates last ten minutes; the Signer asks for another
	// one when less than a minute is left.
	f.clock.Advance(9*time.Minute + 30*time.Second)
	renewed, c := f.sign(t, "sampleproject-1.0-cp312-cp312-manylinux_2_17_x86_64.whl")
	if bytes.Equal(renewed.VerificationMaterial.Certificate, first.VerificationMaterial.Certificate) {
		t.Fatal("the Signer kept its certificate with thirty seconds left")
	}
	mustVerify(t, "after renewal", c)
	// Rekor answers 409 for an entry it has logged (as when its first
	// answer was lost): the Signer fetches the entry and its proof.
	f.sig.ConflictEntries(1)
	_, c = f.sign(t, "sampleproject-1.0-py3-none-win_amd64.whl")
	mustVerify(t, "fetched after a 409", c)
}

// A GitLab CI/CD job's attestation verifies under PyPI's GitLab policy,
// and only for its own project.
func TestSignerGitLabAttestationVerifies(t *testing.T) {
	t.Parallel()
	run := pypitest.GitLabRun{Namespace: "octo-group/python", Project: "sampleproject", CIConfigPath: "ci/release.yml",
		Ref: "v1.0.0", RefType: "tag", SHA: "5d8e0f3a9c1b2d4e6f708192a3b4c5d6e7f80912"}
	f := newFakeSigstore(t).gitLab(run)
	_, c := f.sign(t, "sampleproject-1.0.0.tar.gz")
	mustVerify(t, "GitLab", c)

	other := run
	other.Project = "otherproject"
	c.publisher = f.gitLabPublisher(other)
	mustRefuse(t, "another GitLab project", c, map[string]string{
		"sigstore-go": "expected SAN value", "sigstore-js": "UNTRUSTED_SIGNER_ERROR: certificate identity error",
		"attest": "attest: publisher policy: Certificate's OIDCSourceRepositoryURI does not match"})
}

func TestTamperedSignerAttestationsFail(t *testing.T) {
	t.Parallel()
	f := newFakeSigstore(t)
	a, good := f.sign(t, "sampleproject-1.0.tar.gz")
	mustRefuseTampered(t, a, good)
	c := good
	c.publisher = f.publisher("octo-org/otherproject")
	mustRefuse(t, "another repository", c, map[string]string{
		"sigstore-go": "expected SAN value", "sigstore-js": "UNTRUSTED_SIGNER_ERROR: certificate identity error",
		"attest": "attest: publisher policy: Certificate's OIDCSourceRepositoryURI does not match"})
	// The SAN and issuer right, the Source Repository URI another's: the
	// Sigstore verifiers check the extensions too.
	c = good
	c.publisher = f.publisher("octo-org/otherproject")
	c.identities = f.publisher(f.repository()).identities
	for i := range c.identities {
		c.identities[i].ext.SourceRepositoryURI = "https://github.com/octo-org/otherproject"
	}
	mustRefuse(t, "another source repository", c, map[string]string{
		"sigstore-go": "expected SourceRepositoryURI", "sigstore-js": "UNTRUSTED_SIGNER_ERROR: invalid certificate extension - missing OID 1.3.6.1.4.1.57264.1.12",
		"attest": "attest: publisher policy: Certificate's OIDCSourceRepositoryURI does not match"})
	c = good
	run := f.iss.Run()
	c.publisher = gitHubPublisher(attest.GitHubIssuer, f.repository(), run.Workflow, run.Ref, run.SHA)
	mustRefuse(t, "another issuer", c, map[string]string{
		"sigstore-go": "expected issuer value", "sigstore-js": "UNTRUSTED_SIGNER_ERROR: invalid certificate extension - expected issuer=",
		"attest": "attest: publisher policy: Certificate's OIDCIssuerV2 does not match"})

	f.sig.OmitSCTs(1)
	f.clock.Advance(10 * time.Minute) // a new certificate, without SCT
	_, c = f.sign(t, "sampleproject-1.0-py3-none-any.whl")
	mustRefuse(t, "certificate without SCT", c, map[string]string{
		"sigstore-go": "unable to meet threshold of 1", "sigstore-js": "CERTIFICATE_ERROR: expected 1 SCTs, got 0",
		"attest": "attest: signed certificate timestamp: failed to verify SCT on signing certificate"})
}
