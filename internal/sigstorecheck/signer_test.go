package sigstorecheck

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/oidc"
	"github.com/trustpub/pypi/pypitest"
)

// fakeSigstore is pypitest's fake issuer and Sigstore on one clock, and an
// attest.Signer using them.
type fakeSigstore struct {
	iss    *pypitest.Issuer
	sig    *pypitest.Sigstore
	clock  *pypitest.Clock
	signer *attest.Signer
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
	return &fakeSigstore{iss: iss, sig: sig, clock: clock, signer: &attest.Signer{
		IDToken: ids, FulcioURL: sig.FulcioURL(), RekorURL: sig.RekorURL(), HTTPClient: sig.Client(),
		Backoff: time.Millisecond, Now: clock.Now,
	}}
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
// root, for the run's own publisher and the distribution.
func (f *fakeSigstore) sign(t *testing.T, name string) (*attest.Attestation, check) {
	t.Helper()
	sum := sha256.Sum256([]byte("the content of " + name))
	a, err := f.signer.Sign(t.Context(), name, sum)
	if err != nil {
		t.Fatalf("Sign(%s): %v", name, err)
	}
	return a, check{root: f.sig.TrustedRoot(), bundle: bundleOf(t, a), publisher: f.publisher(f.repository()),
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

func TestTamperedSignerAttestationsFail(t *testing.T) {
	t.Parallel()
	f := newFakeSigstore(t)
	a, good := f.sign(t, "sampleproject-1.0.tar.gz")
	tampered := func(a *attest.Attestation) check {
		c := good
		c.bundle = bundleOf(t, a)
		return c
	}

	mustRefuse(t, "flipped signature byte", tampered(flipSignatureByte(a)), map[string]string{
		"sigstore-go": "transparency log signature does not match", "sigstore-js": "TLOG_BODY_ERROR: tlog entry signature mismatch",
		"attest": "attest: transparency log body: log entry signatures do not match bundle"})
	c := tampered(changeSubjectDigest(t, a, good.sha256))
	c.sha256 = otherDigest
	mustRefuse(t, "changed subject digest", c, map[string]string{
		"sigstore-go": "does not match envelope payload hash", "sigstore-js": "TLOG_BODY_ERROR: DSSE payload hash mismatch",
		"attest": "attest: transparency log body: log entry payload hash does not match bundle"})
	c = good
	c.sha256 = otherDigest
	mustRefuse(t, "another artifact digest", c, map[string]string{
		"sigstore-go": "provided artifact digest does not match any digest in statement", "sigstore-js": "SUBJECT_ERROR",
		"attest": "attest: statement: subject does not match distribution digest"})
	c = good
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
