package attest

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/dist/pep440"
)

// Subject is the distribution file an attestation is verified against:
// its base name and the SHA-256 of its content.
type Subject struct {
	Filename string
	SHA256   [32]byte
}

// Verify checks the attestation offline against a Sigstore trusted root,
// a publisher policy and the distribution it claims, as PyPI does with
// pypi-attestations' Attestation.verify and sigstore-python's verifier,
// in their order; the first failure is returned as a *VerificationError
// naming the check:
//
//   - the leaf certificate parses;
//   - the first transparency entry is from a Rekor log of the root, valid
//     at its integrated time, with a valid signed entry timestamp, RFC 6962
//     inclusion proof and signed checkpoint;
//   - the entry is a dsse 0.0.1 entry recording this payload's sha256, this
//     signature and this certificate;
//   - the leaf chains to a Fulcio CA of the root, valid at the integrated
//     time;
//   - an embedded SCT is signed by a CT log of the root;
//   - the leaf has the digital signature key usage and the code signing EKU;
//   - the policy holds;
//   - the DSSE signature (ECDSA with SHA-256) over the statement's PAE
//     verifies with the leaf's key;
//   - the statement has exactly one subject, whose name parses as a
//     distribution file name equal (as packaging parses it) to s.Filename,
//     whose sha256 is s.SHA256, and whose predicate type is PublishV1 or
//     SLSAProvenanceV1.
//
// It returns the predicate type.
func (a *Attestation) Verify(root *TrustedRoot, policy Policy, s Subject) (string, error) {
	if err := a.checkShape(); err != nil {
		return "", err
	}
	leaf, err := x509.ParseCertificate(a.VerificationMaterial.Certificate)
	if err != nil {
		return "", verrWrap(CheckCertificate, "invalid X.509 certificate", err)
	}
	entry := a.VerificationMaterial.TransparencyEntries[0]
	if err := verifyEntry(entry, root); err != nil {
		// sigstore-python skips an entry it cannot verify, then counts.
		err.pypi = "transparency log threshold not met: 0 < 1"
		return "", err
	}
	if err := verifyBody(entry, a); err != nil {
		return "", err
	}
	chain, err := verifyChain(leaf, root, time.Unix(int64(entry.IntegratedTime), 0))
	if err != nil {
		return "", err
	}
	if len(chain) < 2 {
		return "", verr(CheckChain, "failed to build timestamp certificate chain: the leaf is self-signed")
	}
	if err := verifySCT(leaf, chain[1], root); err != nil {
		return "", err
	}
	if leaf.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return "", verr(CheckCertificate, "Key usage is not of type `digital signature`")
	}
	if !slices.Contains(leaf.ExtKeyUsage, x509.ExtKeyUsageCodeSigning) {
		return "", verr(CheckCertificate, "Extended usage does not contain `code signing`")
	}
	if policy == nil {
		return "", verr(CheckPolicy, "no publisher policy given")
	}
	if err := policy.VerifyCertificate(leaf); err != nil {
		return "", err
	}
	if err := verifyDSSE(leaf, a.Envelope); err != nil {
		return "", err
	}
	return checkStatement(a.Envelope.Statement, s)
}

// verifyDSSE checks the envelope's signature over its PAE with the leaf's
// ECDSA key, hashing with SHA-256 whatever the curve, as sigstore-python's
// dsse._verify does.
func verifyDSSE(leaf *x509.Certificate, env Envelope) error {
	key, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return verr(CheckSignature, "DSSE: invalid signature")
	}
	digest := sha256.Sum256(PAE(PayloadType, env.Statement))
	if !ecdsa.VerifyASN1(key, digest[:], env.Signature) {
		return verr(CheckSignature, "DSSE: invalid signature")
	}
	return nil
}

// verifyEntry checks that the transparency entry comes from a log of the
// root valid at its integrated time, and its signed entry timestamp,
// inclusion proof and checkpoint.
func verifyEntry(e *TransparencyLogEntry, root *TrustedRoot) *VerificationError {
	log := findLog(root.TransparencyLogs, e.LogID.KeyID)
	if log == nil {
		return verr(CheckTlogEntry, fmt.Sprintf("no transparency log with key ID %x in the trusted root", e.LogID.KeyID))
	}
	if !log.Contains(time.Unix(int64(e.IntegratedTime), 0)) {
		return verr(CheckTlogEntry, "transparency log key was not valid at the integrated time")
	}
	if err := verifySET(e, log); err != nil {
		return err
	}
	return verifyInclusion(e, log)
}

// checkStatement runs pypi-attestations' checks on the statement, in its
// order and words.
func checkStatement(payload []byte, s Subject) (string, error) {
	var st Statement
	if err := json.Unmarshal(payload, &st); err != nil {
		return "", verrWrap(CheckStatement, "invalid statement", err)
	}
	if st.Type != StatementType {
		return "", verr(CheckStatement, "invalid statement: _type must be "+StatementType)
	}
	if len(st.Subject) != 1 {
		return "", verr(CheckStatement, "too many subjects in statement (must be exactly one)")
	}
	sub := st.Subject[0]
	if sub.Name == "" {
		return "", verr(CheckStatement, "invalid subject: missing name")
	}
	if !strings.HasSuffix(sub.Name, ".whl") && !strings.HasSuffix(sub.Name, ".tar.gz") && !strings.HasSuffix(sub.Name, ".zip") {
		return "", verr(CheckStatement, "invalid subject: unknown distribution format: "+sub.Name)
	}
	got, err := dist.ParseFilename(sub.Name)
	if err != nil {
		return "", verrWrap(CheckStatement, "invalid subject", err)
	}
	want, err := dist.ParseFilename(s.Filename)
	if err != nil || !sameDistribution(got, want) {
		return "", verr(CheckStatement, "subject does not match distribution name: "+sub.Name+" != "+s.Filename)
	}
	if d, ok := sub.Digest["sha256"]; !ok || d != fmt.Sprintf("%x", s.SHA256) {
		return "", verr(CheckStatement, "subject does not match distribution digest")
	}
	if st.PredicateType != PublishV1 && st.PredicateType != SLSAProvenanceV1 {
		return "", verr(CheckStatement, "unknown attestation type: "+st.PredicateType)
	}
	return st.PredicateType, nil
}

// sameDistribution compares two parsed file names as packaging's parsed
// tuples compare: normalised name, equal versions, and for wheels the
// build tag (number, rest) and the tag set.
func sameDistribution(a, b *dist.Filename) bool {
	if (a.Kind == dist.Wheel) != (b.Kind == dist.Wheel) || dist.NormalizeName(a.Name) != dist.NormalizeName(b.Name) {
		return false
	}
	va, errA := pep440.Parse(a.Version)
	vb, errB := pep440.Parse(b.Version)
	if errA != nil || errB != nil || pep440.Compare(va, vb) != 0 {
		return false
	}
	if a.Kind != dist.Wheel {
		return true
	}
	return buildTagKey(a.Build) == buildTagKey(b.Build) && slices.Equal(a.Tags(), b.Tags())
}

// buildTagKey is packaging's build tag (int(digits), rest) as a string.
func buildTagKey(tag string) string {
	digits := strings.TrimLeft(tag, "0123456789")
	n := strings.TrimLeft(tag[:len(tag)-len(digits)], "0")
	return n + "\x00" + digits
}

// SetError reports a set of attestations for one file that PyPI
// refuses, in Warehouse's words.
type SetError struct {
	Reason string
}

// Error returns Warehouse's reason.
func (e *SetError) Error() string { return e.Reason }

// Unwrap returns ErrAttestationSet.
func (e *SetError) Unwrap() error { return ErrAttestationSet }

// VerifySet checks the attestations uploaded with one file as Warehouse
// does: one or two of them, each verifying (see Verify), with known and
// distinct predicate types. It returns the predicate types in order.
func VerifySet(atts []*Attestation, root *TrustedRoot, policy Policy, s Subject) ([]string, error) {
	switch {
	case len(atts) == 0:
		return nil, &SetError{Reason: "an empty attestation set is not permitted"}
	case len(atts) > MaxAttestations:
		return nil, &SetError{Reason: fmt.Sprintf("A maximum of %d attestations per file are supported", MaxAttestations)}
	}
	var types []string
	for _, a := range atts {
		pt, err := a.Verify(root, policy, s)
		if err != nil {
			return nil, err
		}
		if slices.Contains(types, pt) {
			return nil, &SetError{Reason: "Multiple attestations for the same file with the same predicate type (" + pt + ") are not supported"}
		}
		types = append(types, pt)
	}
	return types, nil
}
