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
	CheckCertificate    Check = iota + 1 // the leaf parses; key usage and EKU
	CheckTlogEntry                       // the first transparency entry is from a log of the root
	CheckSET                             // Rekor's signed entry timestamp
	CheckInclusionProof                  // the RFC 6962 audit path to the root hash
	CheckCheckpoint                      // the signed checkpoint commits to that root hash
	CheckTlogBody                        // the entry is a dsse 0.0.1 entry recording this envelope
	CheckChain                           // the leaf chains to a Fulcio CA of the root at the log time
	CheckSCT                             // the embedded SCT is signed by a CT log of the root
	CheckPolicy                          // the publisher identity policy
	CheckSignature                       // the DSSE signature over PAE, by the leaf's key
	CheckStatement                       // the statement: one subject, name, digest, predicate type
)

var checkNames = [...]string{
	CheckCertificate:    "certificate",
	CheckTlogEntry:      "transparency log entry",
	CheckSET:            "signed entry timestamp",
	CheckInclusionProof: "inclusion proof",
	CheckCheckpoint:     "checkpoint",
	CheckTlogBody:       "transparency log body",
	CheckChain:          "certificate chain",
	CheckSCT:            "signed certificate timestamp",
	CheckPolicy:         "publisher policy",
	CheckSignature:      "signature",
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
	Reason string // what failed, in pypi-attestations' or sigstore-python's words where they have words
	Err    error  // the underlying cause, if any
	pypi   string
}

// Error returns "attest: {check}: {reason}", e.g. "attest: inclusion
// proof: inclusion proof contains invalid root hash: …".
func (e *VerificationError) Error() string { return "attest: " + e.Check.String() + ": " + e.Reason }

// PyPIMessage returns the message pypi-attestations raises, which PyPI
// shows after "Could not verify the uploaded artifact using the included
// attestation: ", e.g. "Verification failed: subject does not match
// distribution digest". sigstore-python skips a transparency entry whose
// proofs fail, so for those checks it is "Verification failed:
// transparency log threshold not met: 0 < 1".
func (e *VerificationError) PyPIMessage() string { return "Verification failed: " + e.pypi }

// Unwrap returns ErrVerification and the cause.
func (e *VerificationError) Unwrap() []error { return []error{ErrVerification, e.Err} }

func verr(c Check, reason string) *VerificationError {
	return &VerificationError{Check: c, Reason: reason, pypi: reason}
}

func verrWrap(c Check, reason string, err error) *VerificationError {
	reason += ": " + err.Error()
	return &VerificationError{Check: c, Reason: reason, Err: err, pypi: reason}
}
