package attest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
)

// Predicate types PyPI knows (pypi-attestations AttestationType).
const (
	PublishV1        = "https://docs.pypi.org/attestations/publish/v1"
	SLSAProvenanceV1 = "https://slsa.dev/provenance/v1"
)

// StatementType is the in-toto v1 statement type, and PayloadType the
// DSSE payload type every PEP 740 envelope implicitly carries.
const (
	StatementType = "https://in-toto.io/Statement/v1"
	PayloadType   = "application/vnd.in-toto+json"
)

// MaxAttestations is the most attestations PyPI accepts with one file:
// one per predicate type.
const MaxAttestations = 2

// MaxAttestationSize bounds the JSON of one attestation or bundle that
// Parse and FromBundle accept; real ones are about 10 KB.
const MaxAttestationSize = 1 << 20

// maxEntries bounds the transparency entries of one attestation.
const maxEntries = 16

// Attestation is a PEP 740 attestation object, with the JSON names PyPI
// uses. Byte fields are standard, padded base64 on the wire, as pydantic's
// Base64Bytes writes them.
type Attestation struct {
	Version              int                  `json:"version"`
	VerificationMaterial VerificationMaterial `json:"verification_material"`
	Envelope             Envelope             `json:"envelope"`
}

// VerificationMaterial is the leaf certificate (DER) and the Rekor
// entries of an attestation; only the first entry is verified, as in
// pypi-attestations.
type VerificationMaterial struct {
	Certificate         []byte                  `json:"certificate"`
	TransparencyEntries []*TransparencyLogEntry `json:"transparency_entries"`
}

// Envelope is the signed in-toto statement: the statement bytes and the
// DSSE signature over their PAE.
type Envelope struct {
	Statement []byte `json:"statement"`
	Signature []byte `json:"signature"`
}

// TransparencyLogEntry is a Rekor v1 entry in the JSON form of Sigstore's
// TransparencyLogEntry protobuf: 64-bit integers are JSON strings.
type TransparencyLogEntry struct {
	LogIndex          Int64             `json:"logIndex"`
	LogID             LogID             `json:"logId"`
	KindVersion       KindVersion       `json:"kindVersion"`
	IntegratedTime    Int64             `json:"integratedTime"`
	InclusionPromise  *InclusionPromise `json:"inclusionPromise,omitempty"`
	InclusionProof    *InclusionProof   `json:"inclusionProof,omitempty"`
	CanonicalizedBody []byte            `json:"canonicalizedBody"`
}

// Int64 is a protobuf int64 in JSON: written as a string ("42"), read
// from a string or a number, as protojson does.
type Int64 int64

// MarshalJSON writes the number as a JSON string.
func (n Int64) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatInt(int64(n), 10) + `"`), nil
}

// UnmarshalJSON reads a JSON string or number holding an int64.
func (n *Int64) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeFor[int64]()}
	}
	*n = Int64(v)
	return nil
}

// LogID names a log by the SHA-256 of its public key (DER SPKI).
type LogID struct {
	KeyID []byte `json:"keyId"`
}

// KindVersion is the Rekor entry type, "dsse" "0.0.1" for PEP 740.
type KindVersion struct {
	Kind    string `json:"kind"`
	Version string `json:"version"`
}

// InclusionPromise holds Rekor's signed entry timestamp (SET).
type InclusionPromise struct {
	SignedEntryTimestamp []byte `json:"signedEntryTimestamp"`
}

// InclusionProof is an RFC 6962 Merkle audit path of the entry and the
// log's signed checkpoint for that tree.
type InclusionProof struct {
	LogIndex   Int64      `json:"logIndex"`
	RootHash   []byte     `json:"rootHash"`
	TreeSize   Int64      `json:"treeSize"`
	Hashes     [][]byte   `json:"hashes"`
	Checkpoint Checkpoint `json:"checkpoint"`
}

// Checkpoint is a signed note (the transparency-dev format) for a tree.
type Checkpoint struct {
	Envelope string `json:"envelope"`
}

// ParseError reports JSON that is not a well-formed attestation, bundle,
// statement or trusted root.
type ParseError struct {
	What   string // "attestation", "bundle", "statement" or "trusted root"
	Reason string
	Err    error // the underlying decoding error, if any
}

// Error returns "attest: malformed {what}: {reason}".
func (e *ParseError) Error() string {
	return "attest: malformed " + e.What + ": " + e.Reason
}

// Unwrap returns ErrMalformed and the decoding error.
func (e *ParseError) Unwrap() []error { return []error{ErrMalformed, e.Err} }

// decodeJSON decodes b into v, refusing oversized input and trailing
// data. Unknown fields are ignored, as pydantic's models (pypi-attestations)
// and protojson readers with DiscardUnknown do.
func decodeJSON(what string, b []byte, v any) error {
	if len(b) > MaxAttestationSize {
		return &ParseError{What: what, Reason: "larger than " + strconv.Itoa(MaxAttestationSize) + " bytes"}
	}
	d := json.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(v); err != nil {
		return &ParseError{What: what, Reason: err.Error(), Err: err}
	}
	if d.More() {
		return &ParseError{What: what, Reason: "data after the JSON object"}
	}
	return nil
}

// Parse decodes one attestation, checking its shape as PyPI's model
// does: version 1, a certificate, one to 16 transparency entries, a
// statement and a signature.
func Parse(b []byte) (*Attestation, error) {
	var a Attestation
	if err := decodeJSON("attestation", b, &a); err != nil {
		return nil, err
	}
	if err := a.checkShape(); err != nil {
		return nil, err
	}
	return &a, nil
}

func (a *Attestation) checkShape() error {
	bad := func(reason string) error { return &ParseError{What: "attestation", Reason: reason} }
	switch {
	case a.Version != 1:
		return bad(fmt.Sprintf("version: must be 1, not %d", a.Version))
	case len(a.VerificationMaterial.Certificate) == 0:
		return bad("verification_material.certificate: missing")
	case len(a.VerificationMaterial.TransparencyEntries) == 0:
		return bad("verification_material.transparency_entries: must have at least 1 item")
	case len(a.VerificationMaterial.TransparencyEntries) > maxEntries:
		return bad("verification_material.transparency_entries: more than " + strconv.Itoa(maxEntries) + " items")
	case len(a.Envelope.Statement) == 0:
		return bad("envelope.statement: missing")
	case len(a.Envelope.Signature) == 0:
		return bad("envelope.signature: missing")
	}
	for i, e := range a.VerificationMaterial.TransparencyEntries {
		if e == nil {
			return bad(fmt.Sprintf("verification_material.transparency_entries[%d]: null", i))
		}
	}
	return nil
}

// Filename returns the name of the publish attestation file of a
// distribution: "{dist}.publish.attestation".
func Filename(dist string) string { return dist + ".publish.attestation" }

// Statement is an in-toto v1 statement as PyPI reads it.
type Statement struct {
	Type          string             `json:"_type"`
	Subject       []StatementSubject `json:"subject"`
	PredicateType string             `json:"predicateType"`
	Predicate     json.RawMessage    `json:"predicate"`
}

// StatementSubject is one subject of a statement: a file name and its
// digests by algorithm ("sha256": lowercase hex).
type StatementSubject struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
}

// NewStatement returns the publish/v1 statement pypi-attestations signs
// for a distribution: one subject (the file name and its sha256 in
// lowercase hex) and "predicate": null.
func NewStatement(filename string, sha256 [32]byte) []byte {
	b, err := json.Marshal(Statement{
		Type:          StatementType,
		Subject:       []StatementSubject{{Name: filename, Digest: map[string]string{"sha256": fmt.Sprintf("%x", sha256)}}},
		PredicateType: PublishV1,
		Predicate:     json.RawMessage("null"),
	})
	if err != nil {
		panic(err) // cannot happen: every field marshals
	}
	return b
}

// PAE returns the DSSE v1 pre-authentication encoding of a payload: the
// bytes a DSSE signature covers.
func PAE(payloadType string, payload []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "DSSEv1 %d %s %d ", len(payloadType), payloadType, len(payload))
	b.Write(payload)
	return b.Bytes()
}

// Statement decodes the attestation's in-toto statement.
func (a *Attestation) Statement() (*Statement, error) {
	var st Statement
	if err := json.Unmarshal(a.Envelope.Statement, &st); err != nil {
		return nil, &ParseError{What: "statement", Reason: err.Error(), Err: err}
	}
	return &st, nil
}
