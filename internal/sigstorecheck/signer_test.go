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

// identities returns the GitHub identities of the issuer's run, for the
// given repository ("owner/name").
func (f *fakeSigstore) identities(repository string) []identity {
	run := f.iss.Run()
	return gitHubIdentities(f.iss.URL, repository, run.Workflow, run.Ref, run.SHA)
}

// repository is the run's repository, "owner/name".
func (f *fakeSigstore) repository() string {
	run := f.iss.Run()
	return run.Owner + "/" + run.Repository
}

// sign signs a made-up distribution called name.
func (f *fakeSigstore) sign(t *testing.T, name string) (*attest.Attestation, [32]byte) {
	t.Helper()
	sum := sha256.Sum256([]byte("the content of " + name))
	a, err := f.signer.Sign(t.Context(), name, sum)
	if err != nil {
		t.Fatalf("Sign(%s): %v", name, err)
	}
	return a, sum
}

// check returns the check of a's bundle against the fake's trusted root,
// for the run's own identity and the artifact digest sum.
func (f *fakeSigstore) check(t *testing.T, a *attest.Attestation, sum [32]byte) check {
	t.Helper()
	return check{root: f.sig.TrustedRoot(), bundle: bundleOf(t, a), identities: f.identities(f.repository()), sha256: sum}
}

func TestSignerAttestationsVerify(t *testing.T) {
	t.Parallel()
	f := newFakeSigstore(t)
	names := []string{"sampleproject-1.0.tar.gz", "sampleproject-1.0-py3-none-any.whl", "sampleproject-1.0.zip"}
	var atts []*attest.Attestation
	for _, name := range names {
		a, sum := f.sign(t, name)
		atts = append(atts, a)
		mustVerify(t, name, f.check(t, a, sum))
	}
	// Fulcio's certificates last ten minutes; the Signer asks for another
	// one when less than a minute is left.
	f.clock.Advance(9*time.Minute + 30*time.Second)
	renewed, sum := f.sign(t, "sampleproject-1.0-cp312-cp312-manylinux_2_17_x86_64.whl")
	if bytes.Equal(renewed.VerificationMaterial.Certificate, atts[0].VerificationMaterial.Certificate) {
		t.Fatal("the Signer kept its certificate with thirty seconds left")
	}
	mustVerify(t, "after renewal", f.check(t, renewed, sum))
}

func TestTamperedSignerAttestationsFail(t *testing.T) {
	t.Parallel()
	f := newFakeSigstore(t)
	a, sum := f.sign(t, "sampleproject-1.0.tar.gz")

	mustRefuse(t, "flipped signature byte", f.check(t, flipSignatureByte(a), sum), map[string]string{
		"sigstore-go": "transparency log signature does not match", "sigstore-js": "TLOG_BODY_ERROR: tlog entry signature mismatch"})
	mustRefuse(t, "changed subject digest", f.check(t, changeSubjectDigest(t, a, sum), otherDigest), map[string]string{
		"sigstore-go": "does not match envelope payload hash", "sigstore-js": "TLOG_BODY_ERROR: DSSE payload hash mismatch"})
	mustRefuse(t, "another artifact digest", f.check(t, a, otherDigest), map[string]string{
		"sigstore-go": "provided artifact digest does not match any digest in statement", "sigstore-js": "SUBJECT_ERROR"})
	wrong := f.check(t, a, sum)
	wrong.identities = f.identities("octo-org/otherproject")
	mustRefuse(t, "another repository", wrong, map[string]string{
		"sigstore-go": "expected SAN value", "sigstore-js": "UNTRUSTED_SIGNER_ERROR: certificate identity error"})
	// The SAN and issuer right, the Source Repository URI another's: the
	// extensions are checked too.
	wrong.identities = f.identities(f.repository())
	for i := range wrong.identities {
		wrong.identities[i].ext.SourceRepositoryURI = "https://github.com/octo-org/otherproject"
	}
	mustRefuse(t, "another source repository", wrong, map[string]string{
		"sigstore-go": "expected SourceRepositoryURI", "sigstore-js": "UNTRUSTED_SIGNER_ERROR: invalid certificate extension - missing OID 1.3.6.1.4.1.57264.1.12"})
	wrong.identities = f.identities(f.repository())
	for i := range wrong.identities {
		wrong.identities[i].issuer = attest.GitHubIssuer
	}
	mustRefuse(t, "another issuer", wrong, map[string]string{
		"sigstore-go": "expected issuer value", "sigstore-js": "UNTRUSTED_SIGNER_ERROR: invalid certificate extension - expected issuer="})

	f.sig.OmitSCTs(1)
	f.clock.Advance(10 * time.Minute) // a new certificate, without SCT
	bare, sum := f.sign(t, "sampleproject-1.0-py3-none-any.whl")
	mustRefuse(t, "certificate without SCT", f.check(t, bare, sum), map[string]string{
		"sigstore-go": "unable to meet threshold of 1", "sigstore-js": "CERTIFICATE_ERROR: expected 1 SCTs, got 0"})
}
