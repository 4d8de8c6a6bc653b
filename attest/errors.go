package attest

import "errors"

// Sentinels a caller can act on. Every error of this package wraps one.
var (
	// ErrMalformed: the JSON is not an attestation, bundle or trusted root.
	ErrMalformed = errors.New("attest: malformed input")
	// ErrVerification: the attestation did not verify; see *VerificationError.
	ErrVerification = errors.New("attest: verification failed")
	// ErrAttestationSet: the set of attestations for one file breaks PyPI's rules.
	ErrAttestationSet = errors.New("attest: invalid attestation set")
)

// Check names one step of verification, in the order Verify runs them.
type Check int

// The checks of Verify.
const (
	CheckCertificate    Check = iota + 1 // the leaf parses; key usage, EKU, validity at the log time
	CheckTlogEntry                       // the first transparency entry is a known log's dsse 0.0.1 entry
	CheckSET                             // Rekor's signed entry timestamp
	CheckInclusionProof                  // the RFC 6962 audit path to the root hash
	CheckCheckpoint                      // the signed checkpoint commits to that root hash
	CheckChain                           // the leaf chains to a Fulcio CA of the root at the log time
	CheckSCT                             // the embedded SCT is signed by a CT log of the root
	CheckPolicy                          // the publisher identity policy
	CheckSignature                       // the DSSE signature over PAE, by the leaf's key
	CheckTlogBody                        // the log entry records this envelope's payload and signature
	CheckStatement                       // the statement: one subject, name, digest, predicate type
)

var checkNames = [...]string{
	CheckCertificate:    "certificate",
	CheckTlogEntry:      "transparency log entry",
	CheckSET:            "signed entry timestamp",
	CheckInclusionProof: "inclusion proof",
	CheckCheckpoint:     "checkpoint",
	CheckChain:          "certificate chain",
	CheckSCT:            "signed certificate timestamp",
	CheckPolicy:         "publisher policy",
	CheckSignature:      "signature",
	CheckTlogBody:       "transparency log body",
	CheckStatement:      "statement",
}

// String returns the check's name, e.g. "inclusion proof".
func (c Check) String() string {
	if c > 0 && int(c) < len(checkNames) {
		return checkNames[c]
	}
	return "unknown check"
}

// VerificationError reports the check an attestation failed.
type VerificationError struct {
	Check  Check
	Reason string // pypi-attestations' or sigstore-python's words where they have words
	Err    error  // the underlying cause, if any
}

// Error returns "Verification failed: {reason}", pypi-attestations'
// wording, which PyPI shows after "Could not verify the uploaded
// artifact using the included attestation: ".
func (e *VerificationError) Error() string { return "Verification failed: " + e.Reason }

// Unwrap returns ErrVerification and the cause.
func (e *VerificationError) Unwrap() []error { return []error{ErrVerification, e.Err} }

func verr(c Check, reason string) *VerificationError {
	return &VerificationError{Check: c, Reason: reason}
}

func verrWrap(c Check, reason string, err error) *VerificationError {
	return &VerificationError{Check: c, Reason: reason + ": " + err.Error(), Err: err}
}
