package attest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	encasn1 "encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trustpub/pypi/internal/testenv"
)

// wantCheck asserts err is a *VerificationError of check c whose text
// contains want.
func wantCheck(t *testing.T, err error, c Check, want string) {
	t.Helper()
	var ve *VerificationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T), want a *VerificationError", err, err)
	}
	if ve.Check != c || !strings.Contains(ve.Error(), want) {
		t.Fatalf("failed check %q: %v\nwant check %q with %q", ve.Check, ve, c, want)
	}
	if !errors.Is(err, ErrVerification) {
		t.Errorf("errors.Is(%v, ErrVerification) = false", err)
	}
}

func flip(b []byte, i int) { b[i] ^= 1 }

func TestVerifyFailures(t *testing.T) {
	t.Parallel()
	root := publicGood(t)
	for _, tc := range []struct {
		name   string
		tamper func(a *Attestation, s *Subject, p *Policy)
		check  Check
		want   string
	}{
		{"wrong repository", func(_ *Attestation, _ *Subject, p *Policy) {
			*p = GitHubPublisher{Repository: "trailofbits/pypi-attestation", Workflow: "release.yml"}
		}, CheckPolicy, "Certificate's OIDCSourceRepositoryURI does not match (got https://github.com/trailofbits/pypi-attestations, expected https://github.com/trailofbits/pypi-attestation)"},
		{"repository case differs", func(_ *Attestation, _ *Subject, p *Policy) {
			*p = GitHubPublisher{Repository: "TrailOfBits/pypi-attestations", Workflow: "release.yml"}
		}, CheckPolicy, "OIDCSourceRepositoryURI does not match"},
		{"wrong workflow", func(_ *Attestation, _ *Subject, p *Policy) {
			*p = GitHubPublisher{Repository: "trailofbits/pypi-attestations", Workflow: "publish.yml"}
		}, CheckPolicy, "Certificate's Build Config URI (<Extension(oid=<ObjectIdentifier(oid=1.3.6.1.4.1.57264.1.18, name=Unknown OID)>, critical=False, " +
			"value=<UnrecognizedExtension(oid=<ObjectIdentifier(oid=1.3.6.1.4.1.57264.1.18, name=Unknown OID)>, " +
			"value=b'\\x0c`https://github.com/trailofbits/pypi-attestations/.github/workflows/release.yml@refs/tags/v0.0.19')>)>) " +
			"does not match expected Trusted Publisher (publish.yml @ trailofbits/pypi-attestations)"},
		{"GitLab policy", func(_ *Attestation, _ *Subject, p *Policy) { *p = gitlabPolicy }, CheckPolicy,
			"Certificate's OIDCIssuerV2 does not match (got https://token.actions.githubusercontent.com, expected https://gitlab.com)"},
		{"no policy", func(_ *Attestation, _ *Subject, p *Policy) { *p = nil }, CheckPolicy, "no publisher policy given"},
		// The log entry records the signature and the payload's hash, and
		// sigstore-python compares them before it checks the signature.
		{"flipped signature byte", func(a *Attestation, _ *Subject, _ *Policy) { flip(a.Envelope.Signature, 20) },
			CheckTlogBody, "log entry signatures do not match bundle"},
		{"changed subject digest in the statement", func(a *Attestation, _ *Subject, _ *Policy) {
			a.Envelope.Statement = []byte(strings.Replace(string(a.Envelope.Statement), "9bb1add0", "9bb1add1", 1))
		}, CheckTlogBody, "log entry payload hash does not match bundle"},
		{"other file content", func(_ *Attestation, s *Subject, _ *Policy) { s.SHA256[0] ^= 1 },
			CheckStatement, "attest: statement: subject does not match distribution digest"},
		{"paired with another file", func(_ *Attestation, s *Subject, _ *Policy) { s.Filename = gitlabDist },
			CheckStatement, "subject does not match distribution name: pypi_attestations-0.0.19.tar.gz != gitlab_oidc_project-0.0.3.tar.gz"},
		{"same file as a wheel", func(_ *Attestation, s *Subject, _ *Policy) { s.Filename = "pypi_attestations-0.0.19-py3-none-any.whl" },
			CheckStatement, "subject does not match distribution name"},
		{"tampered inclusion proof hash", func(a *Attestation, _ *Subject, _ *Policy) {
			flip(a.VerificationMaterial.TransparencyEntries[0].InclusionProof.Hashes[0], 0)
		}, CheckInclusionProof, "inclusion proof contains invalid root hash"},
		{"inclusion proof missing a hash", func(a *Attestation, _ *Subject, _ *Policy) {
			p := a.VerificationMaterial.TransparencyEntries[0].InclusionProof
			p.Hashes = p.Hashes[1:]
		}, CheckInclusionProof, "too few hashes"},
		{"tampered root hash", func(a *Attestation, _ *Subject, _ *Policy) {
			flip(a.VerificationMaterial.TransparencyEntries[0].InclusionProof.RootHash, 3)
		}, CheckInclusionProof, "invalid root hash"},
		{"tampered checkpoint signature", func(a *Attestation, _ *Subject, _ *Policy) {
			cp := &a.VerificationMaterial.TransparencyEntries[0].InclusionProof.Checkpoint.Envelope
			i := strings.LastIndex(*cp, "\u2014")
			sig := []byte(*cp)
			sig[len(sig)-10] ^= 1
			if !strings.HasPrefix(string(sig[i:]), "\u2014") {
				t.Fatal("checkpoint has no signature line")
			}
			*cp = string(sig)
		}, CheckCheckpoint, "checkpoint has no valid signature"},
		{"checkpoint of another tree", func(a *Attestation, _ *Subject, _ *Policy) {
			cp := &a.VerificationMaterial.TransparencyEntries[0].InclusionProof.Checkpoint.Envelope
			size := strconv.FormatInt(int64(a.VerificationMaterial.TransparencyEntries[0].InclusionProof.TreeSize), 10)
			*cp = strings.Replace(*cp, "\n"+size+"\n", "\n1"+size+"\n", 1)
		}, CheckCheckpoint, "checkpoint does not match the inclusion proof's tree size and root hash"},
		{"tampered SET", func(a *Attestation, _ *Subject, _ *Policy) {
			flip(a.VerificationMaterial.TransparencyEntries[0].InclusionPromise.SignedEntryTimestamp, 30)
		}, CheckSET, "invalid signed entry timestamp"},
		{"changed integrated time", func(a *Attestation, _ *Subject, _ *Policy) {
			a.VerificationMaterial.TransparencyEntries[0].IntegratedTime++
		}, CheckSET, "invalid signed entry timestamp"},
		{"no SET", func(a *Attestation, _ *Subject, _ *Policy) {
			a.VerificationMaterial.TransparencyEntries[0].InclusionPromise = nil
		}, CheckSET, "no signed entry timestamp"},
		{"entry of another kind", func(a *Attestation, _ *Subject, _ *Policy) {
			a.VerificationMaterial.TransparencyEntries[0].KindVersion.Kind = "intoto"
		}, CheckTlogBody, "Unsupported DSSE log entry type: intoto/0.0.1"},
		{"unknown log", func(a *Attestation, _ *Subject, _ *Policy) {
			flip(a.VerificationMaterial.TransparencyEntries[0].LogID.KeyID, 0)
		}, CheckTlogEntry, "no transparency log with key ID"},
		{"not a certificate", func(a *Attestation, _ *Subject, _ *Policy) {
			a.VerificationMaterial.Certificate = []byte("garbage")
		}, CheckCertificate, "invalid X.509 certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := fixtureAttestation(t, Filename(sdist0019))
			s := fixtureSubject(t, sdist0019)
			var p Policy = tobPolicy
			tc.tamper(a, &s, &p)
			_, err := a.Verify(root, p, s)
			wantCheck(t, err, tc.check, tc.want)
		})
	}
}

// TestVerifyNormalisedName: the subject is compared with the file name as
// packaging parses both, so spellings of one name and version agree.
func TestVerifyNormalisedName(t *testing.T) {
	t.Parallel()
	a := fixtureAttestation(t, Filename(sdist0019))
	s := fixtureSubject(t, sdist0019)
	s.Filename = "PyPI.Attestations-0.0.19.0.tar.gz"
	if _, err := a.Verify(publicGood(t), tobPolicy, s); err != nil {
		t.Fatalf("Verify(%s): %v", s.Filename, err)
	}
}

// TestVerifyTlogBody: the log entry must record this envelope's payload
// hash, signature and certificate. A real entry cannot be altered without
// breaking its SET, so the check is run on its own.
func TestVerifyTlogBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		tamper func(a *Attestation)
		want   string
	}{
		{"payload", func(a *Attestation) { a.Envelope.Statement = append(a.Envelope.Statement, ' ') }, "log entry payload hash does not match bundle"},
		{"signature", func(a *Attestation) { flip(a.Envelope.Signature, 9) }, "log entry signatures do not match bundle"},
		{"certificate", func(a *Attestation) { flip(a.VerificationMaterial.Certificate, 40) }, "log entry signatures do not match bundle"},
		{"kind", func(a *Attestation) {
			e := a.VerificationMaterial.TransparencyEntries[0]
			e.CanonicalizedBody = []byte(strings.Replace(string(e.CanonicalizedBody), `"kind":"dsse"`, `"kind":"intoto"`, 1))
		}, `invalid DSSE log entry: kind "intoto"`},
		{"not JSON", func(a *Attestation) { a.VerificationMaterial.TransparencyEntries[0].CanonicalizedBody = []byte("{") }, "invalid DSSE log entry"},
	} {
		a := fixtureAttestation(t, Filename(sdist0019))
		if err := verifyBody(a.VerificationMaterial.TransparencyEntries[0], a); err != nil {
			t.Fatalf("untampered: %v", err)
		}
		tc.tamper(a)
		wantCheck(t, verifyBody(a.VerificationMaterial.TransparencyEntries[0], a), CheckTlogBody, tc.want)
	}
}

// verifySdist0019 verifies the real attestation of sdist0019 against root
// (public-good's, changed by the caller) and tobPolicy.
func verifySdist0019(t *testing.T, root *TrustedRoot) error {
	t.Helper()
	_, err := fixtureAttestation(t, Filename(sdist0019)).Verify(root, tobPolicy, fixtureSubject(t, sdist0019))
	return err
}

func TestVerifyRootWithoutCTLogs(t *testing.T) {
	t.Parallel()
	root := publicGood(t)
	root.CTLogs = nil
	err := verifySdist0019(t, root)
	wantCheck(t, err, CheckSCT, "failed to verify SCT on signing certificate")
}

// TestVerifySCTWrongKey: an SCT whose log ID is known but whose signature
// does not verify with that log's key is refused.
func TestVerifySCTWrongKey(t *testing.T) {
	t.Parallel()
	root := publicGood(t)
	for i, l := range root.CTLogs {
		root.CTLogs[i] = &Log{KeyID: l.KeyID, PublicKey: root.TransparencyLogs[0].PublicKey, ValidityPeriod: l.ValidityPeriod}
	}
	err := verifySdist0019(t, root)
	wantCheck(t, err, CheckSCT, "failed to verify SCT on signing certificate: no SCT signed by a known CT log")
}

// TestVerifyValidityWindows: a CA or a log is only trusted inside its
// validity window in the root.
func TestVerifyValidityWindows(t *testing.T) {
	t.Parallel()
	early := ValidityPeriod{Start: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	a := fixtureAttestation(t, Filename(sdist0019))
	s := fixtureSubject(t, sdist0019)

	root := publicGood(t)
	for _, ca := range root.CertificateAuthorities {
		ca.ValidityPeriod = early
	}
	_, err := a.Verify(root, tobPolicy, s)
	wantCheck(t, err, CheckChain, "failed to build timestamp certificate chain: no certificate authority valid at the integrated time")

	root = publicGood(t)
	for _, l := range root.TransparencyLogs {
		l.ValidityPeriod = early
	}
	_, err = a.Verify(root, tobPolicy, s)
	wantCheck(t, err, CheckTlogEntry, "transparency log key was not valid at the integrated time")

	root = publicGood(t)
	for _, l := range root.CTLogs {
		l.ValidityPeriod = early
	}
	_, err = a.Verify(root, tobPolicy, s)
	wantCheck(t, err, CheckSCT, "no SCT signed by a known CT log")
}

// TestVerifyDSSE: the signature step on its own (on real data the log
// body check catches a changed signature first).
func TestVerifyDSSE(t *testing.T) {
	t.Parallel()
	a := fixtureAttestation(t, Filename(sdist0019))
	leaf, err := x509.ParseCertificate(a.VerificationMaterial.Certificate)
	if err != nil {
		t.Fatal(err)
	}
	if err := verifyDSSE(leaf, a.Envelope); err != nil {
		t.Fatalf("untampered: %v", err)
	}
	flip(a.Envelope.Signature, 20)
	wantCheck(t, verifyDSSE(leaf, a.Envelope), CheckSignature, "DSSE: invalid signature")
	a.Envelope.Signature = fixtureAttestation(t, Filename(sdist0019)).Envelope.Signature
	a.Envelope.Statement = append(a.Envelope.Statement, ' ')
	wantCheck(t, verifyDSSE(leaf, a.Envelope), CheckSignature, "DSSE: invalid signature")
}

// TestPyPIMessages: the words PyPI answers with, after "Could not verify
// the uploaded artifact using the included attestation: ".
func TestPyPIMessages(t *testing.T) {
	t.Parallel()
	root := publicGood(t)
	for _, tc := range []struct {
		tamper func(a *Attestation, s *Subject)
		policy Policy
		want   string
	}{
		{func(_ *Attestation, s *Subject) { s.SHA256[0] ^= 1 }, tobPolicy, "Verification failed: subject does not match distribution digest"},
		{func(a *Attestation, _ *Subject) {
			flip(a.VerificationMaterial.TransparencyEntries[0].InclusionPromise.SignedEntryTimestamp, 30)
		}, tobPolicy, "Verification failed: transparency log threshold not met: 0 < 1"},
		{func(a *Attestation, _ *Subject) {
			flip(a.VerificationMaterial.TransparencyEntries[0].InclusionProof.Hashes[1], 7)
		}, tobPolicy, "Verification failed: transparency log threshold not met: 0 < 1"},
		{func(a *Attestation, _ *Subject) { flip(a.Envelope.Signature, 20) }, tobPolicy, "Verification failed: log entry signatures do not match bundle"},
		{func(*Attestation, *Subject) {}, GitHubPublisher{Repository: "trailofbits/other", Workflow: "release.yml"},
			"Verification failed: Certificate's OIDCSourceRepositoryURI does not match (got https://github.com/trailofbits/pypi-attestations, expected https://github.com/trailofbits/other)"},
	} {
		a := fixtureAttestation(t, Filename(sdist0019))
		s := fixtureSubject(t, sdist0019)
		tc.tamper(a, &s)
		_, err := a.Verify(root, tc.policy, s)
		var ve *VerificationError
		if !errors.As(err, &ve) || ve.PyPIMessage() != tc.want {
			t.Errorf("Verify: %v\nPyPI message %q, want %q", err, pyMessage(ve), tc.want)
		}
	}
}

func pyMessage(ve *VerificationError) string {
	if ve == nil {
		return ""
	}
	return ve.PyPIMessage()
}

func TestVerifyRootWithoutCAs(t *testing.T) {
	t.Parallel()
	root := publicGood(t)
	root.CertificateAuthorities = nil
	err := verifySdist0019(t, root)
	wantCheck(t, err, CheckChain, "failed to build timestamp certificate chain")
}

// TestStagingAttestation: rfc8785's attestation is signed by Sigstore's
// staging instance: its log is not in the public-good root, and its
// certificate does not chain to public-good's Fulcio.
func TestStagingAttestation(t *testing.T) {
	t.Parallel()
	const whl = "rfc8785-0.1.2-py3-none-any.whl"
	root := publicGood(t)
	a := fixtureAttestation(t, Filename(whl))
	_, err := a.Verify(root, tobPolicy, fixtureSubject(t, whl))
	wantCheck(t, err, CheckTlogEntry, "no transparency log with key ID")

	leaf, err := x509.ParseCertificate(a.VerificationMaterial.Certificate)
	if err != nil {
		t.Fatal(err)
	}
	_, err = verifyChain(leaf, root, time.Unix(int64(a.VerificationMaterial.TransparencyEntries[0].IntegratedTime), 0))
	wantCheck(t, err, CheckChain, "failed to build timestamp certificate chain")
	wantCheck(t, tobPolicy.VerifyCertificate(leaf), CheckPolicy, "Certificate's OIDCIssuerV2 does not match (got https://github.com/login/oauth")
	wantCheck(t, gitlabPolicy.VerifyCertificate(leaf), CheckPolicy, "Certificate's OIDCIssuerV2 does not match (got https://github.com/login/oauth")
	wantCheck(t, GooglePublisher{Email: "william@yossarian.net"}.VerifyCertificate(leaf), CheckPolicy,
		"Certificate's OIDCIssuer does not match (got 'https://github.com/login/oauth', expected 'https://accounts.google.com')")
}

func TestVerifySet(t *testing.T) {
	t.Parallel()
	root := publicGood(t)
	s := fixtureSubject(t, sdist0019)
	pub := fixtureAttestation(t, Filename(sdist0019))
	slsa := fixtureAttestation(t, sdist0019+".slsa.attestation")
	types, err := VerifySet([]*Attestation{pub, slsa}, root, tobPolicy, s)
	if err != nil || len(types) != 2 || types[0] != PublishV1 || types[1] != SLSAProvenanceV1 {
		t.Fatalf("VerifySet(publish, slsa) = %v, %v", types, err)
	}
	for _, tc := range []struct {
		name string
		atts []*Attestation
		want string
	}{
		{"empty", nil, "an empty attestation set is not permitted"},
		{"three", []*Attestation{pub, slsa, pub}, "A maximum of 2 attestations per file are supported"},
		{"repeated type", []*Attestation{pub, pub},
			"Multiple attestations for the same file with the same predicate type (https://docs.pypi.org/attestations/publish/v1) are not supported"},
	} {
		_, err := VerifySet(tc.atts, root, tobPolicy, s)
		if !errors.Is(err, ErrAttestationSet) || err.Error() != tc.want {
			t.Errorf("%s: VerifySet error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func readPEMCert(t *testing.T, name string) *x509.Certificate {
	t.Helper()
	blk, _ := pem.Decode(readFixture(t, name))
	if blk == nil {
		t.Fatalf("%s: no PEM block", name)
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testCert returns a self-signed certificate carrying the given Fulcio
// extensions (1.3.6.1.4.1.57264.1.N: value), DER UTF8String-encoded.
func testCert(t *testing.T, exts map[int]string) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<31, 0)}
	for n, v := range exts {
		der, err := encasn1.MarshalWithParams(v, "utf8")
		if err != nil {
			t.Fatal(err)
		}
		tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, pkix.Extension{Id: fulcioOID(n), Value: der})
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPolicyEdgeCases(t *testing.T) {
	t.Parallel()
	digestOnly := readPEMCert(t, "no-source-repository-ref-extension.pem")
	google := readPEMCert(t, "200170367.pem")
	const swift = "https://github.com/SWIFTSIM/swiftgalaxy"
	for _, tc := range []struct {
		name   string
		cert   *x509.Certificate
		policy Policy
		want   string // "" for success
	}{
		{"digest only, matching", digestOnly, GitHubPublisher{Repository: "SWIFTSIM/swiftgalaxy", Workflow: "python-publish.yml"}, ""},
		{"digest only, other workflow", digestOnly, GitHubPublisher{Repository: "SWIFTSIM/swiftgalaxy", Workflow: "release.yml"},
			"/.github/workflows/python-publish.yml@a26eb006d04dd0c41a6e38dc15ddaf7b46143505')>)>) does not match expected Trusted Publisher (release.yml @ SWIFTSIM/swiftgalaxy)"},
		{"no Build Config URI", testCert(t, map[int]string{8: "https://token.actions.githubusercontent.com", 12: swift, 14: "refs/heads/main"}),
			GitHubPublisher{Repository: "SWIFTSIM/swiftgalaxy", Workflow: "python-publish.yml"},
			"Certificate does not contain OIDCBuildConfigURI (1.3.6.1.4.1.57264.1.18) extension"},
		{"digest only, GitLab", digestOnly, GitLabPublisher{Repository: "SWIFTSIM/swiftgalaxy", WorkflowFilepath: ".gitlab-ci.yml"}, "Certificate's OIDCIssuerV2 does not match"},
		{"Google, matching", google, GooglePublisher{"919436158236-compute@developer.gserviceaccount.com"}, ""},
		{"Google, other account", google, GooglePublisher{"other@developer.gserviceaccount.com"},
			"Certificate's SANs do not match other@developer.gserviceaccount.com; actual SANs: {'919436158236-compute@developer.gserviceaccount.com'}"},
		{"Google cert, GitHub policy", google, tobPolicy,
			"Certificate's OIDCIssuerV2 does not match (got https://accounts.google.com, expected https://token.actions.githubusercontent.com)"},
		{"issuer only, no repository", testCert(t, map[int]string{8: "https://token.actions.githubusercontent.com"}), tobPolicy,
			"Certificate does not contain OIDCSourceRepositoryURI (1.3.6.1.4.1.57264.1.12) extension"},
		{"GitHub cert, Google policy", digestOnly, GooglePublisher{"a@b.c"},
			"Certificate's OIDCIssuer does not match (got 'https://token.actions.githubusercontent.com', expected 'https://accounts.google.com')"},
		{"neither ref nor digest", testCert(t, map[int]string{8: "https://token.actions.githubusercontent.com", 12: swift,
			18: swift + "/.github/workflows/python-publish.yml@refs/heads/main"}),
			GitHubPublisher{Repository: "SWIFTSIM/swiftgalaxy", Workflow: "python-publish.yml"},
			"Certificate must contain either Source Repository Digest or Source Repository Ref"},
		{"ref only, matching", testCert(t, map[int]string{8: "https://token.actions.githubusercontent.com", 12: swift, 14: "refs/heads/main",
			18: swift + "/.github/workflows/python-publish.yml@refs/heads/main"}),
			GitHubPublisher{Repository: "SWIFTSIM/swiftgalaxy", Workflow: "python-publish.yml"}, ""},
		{"suffix of another claim", testCert(t, map[int]string{8: "https://token.actions.githubusercontent.com", 12: swift, 14: "refs/heads/main",
			18: swift + "/.github/workflows/python-publish.yml@refs/heads/other"}),
			GitHubPublisher{Repository: "SWIFTSIM/swiftgalaxy", Workflow: "python-publish.yml"}, "does not match expected Trusted Publisher"},
	} {
		err := tc.policy.VerifyCertificate(tc.cert)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v\nwant %q", tc.name, err, tc.want)
		}
	}
}

func TestStatementAndPAE(t *testing.T) {
	t.Parallel()
	sum := sha256.Sum256(readFixture(t, sdist0019))
	a := fixtureAttestation(t, Filename(sdist0019))
	// pypi-attestations signed exactly the bytes NewStatement produces.
	if got := NewStatement(sdist0019, sum); string(got) != string(a.Envelope.Statement) {
		t.Errorf("NewStatement =\n%s\nwant\n%s", got, a.Envelope.Statement)
	}
	if got, want := string(PAE("t/x", []byte("hello"))), "DSSEv1 3 t/x 5 hello"; got != want {
		t.Errorf("PAE = %q, want %q", got, want)
	}
	if got := Filename("a-1.tar.gz"); got != "a-1.tar.gz.publish.attestation" {
		t.Errorf("Filename = %q", got)
	}
	if _, err := checkStatement([]byte(`{"_type":"`+StatementType+`","subject":[{"name":"a-1.tar.gz","digest":{}},{"name":"b-1.tar.gz","digest":{}}],"predicateType":"`+PublishV1+`"}`),
		Subject{Filename: "a-1.tar.gz"}); err == nil || !strings.Contains(err.Error(), "too many subjects in statement (must be exactly one)") {
		t.Errorf("two subjects: %v", err)
	}
	for stmt, want := range map[string]string{
		`{"_type":"` + StatementType + `","subject":[{"name":"","digest":{}}],"predicateType":"x"}`:                                                     "invalid subject: missing name",
		`{"_type":"` + StatementType + `","subject":[{"name":"a.txt","digest":{}}],"predicateType":"x"}`:                                                "invalid subject",
		`{"_type":"` + StatementType + `","subject":[{"name":"a-1.tar.gz","digest":{"sha256":"` + strings.Repeat("0", 64) + `"}}],"predicateType":"x"}`: "unknown attestation type: x",
		`{"_type":"x"}`: "invalid statement",
		`[`:             "invalid statement",
	} {
		_, err := checkStatement([]byte(stmt), Subject{Filename: "a-1.tar.gz"})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", stmt, err, want)
		}
	}
}

// BenchmarkVerify measures one full offline verification of a real
// attestation (chain, SCT, SET, inclusion proof, checkpoint, signature).
func BenchmarkVerify(b *testing.B) {
	root := publicGood(b)
	a := fixtureAttestation(b, Filename(sdist0019))
	s := fixtureSubject(b, sdist0019)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Verify(root, tobPolicy, s); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPyReprInterop: the Build Config URI message shows the extension as
// Python cryptography's repr; compare ours with Debian's cryptography.
func TestPyReprInterop(t *testing.T) {
	t.Parallel()
	py := testenv.NeedPython(t, "cryptography")
	certs := []*x509.Certificate{readPEMCert(t, "no-source-repository-ref-extension.pem"), readPEMCert(t, "200170367.pem")}
	a := fixtureAttestation(t, Filename(sdist0019))
	leaf, err := x509.ParseCertificate(a.VerificationMaterial.Certificate)
	if err != nil {
		t.Fatal(err)
	}
	certs = append(certs, leaf)
	const script = `import sys
from cryptography import x509
for line in sys.stdin.read().split():
    c = x509.load_der_x509_certificate(bytes.fromhex(line))
    for e in c.extensions:
        if e.oid.dotted_string.startswith("1.3.6.1.4.1.57264.1."):
            print(e)
`
	var in strings.Builder
	var want []string
	for _, c := range certs {
		fmt.Fprintf(&in, "%x\n", c.Raw)
		for i := range c.Extensions {
			if strings.HasPrefix(c.Extensions[i].Id.String(), "1.3.6.1.4.1.57264.1.") {
				want = append(want, pyExtensionRepr(&c.Extensions[i]))
			}
		}
	}
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(got) != len(want) || len(want) < 20 {
		t.Fatalf("python printed %d extensions, we %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("extension %d:\npython %s\nours   %s", i, got[i], want[i])
		}
	}
	for _, b := range [][]byte{[]byte("a'b"), []byte("a'\"b"), {0x7f, 0x80, '\\', '\t', '\n', '\r', 0}} {
		out, err := exec.Command(py, "-c", "import sys; print(repr(bytes.fromhex(sys.argv[1])))", fmt.Sprintf("%x", b)).Output()
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSuffix(string(out), "\n"); got != pyBytesRepr(b) {
			t.Errorf("repr(%q): python %s, ours %s", b, got, pyBytesRepr(b))
		}
	}
}
