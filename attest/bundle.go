package attest

import (
	"encoding/json"
	"fmt"
)

// BundleMediaType is the media type of the Sigstore bundles Bundle
// writes.
const BundleMediaType = "application/vnd.dev.sigstore.bundle.v0.3+json"

// rawBytes is protobuf-specs' wrapper of DER bytes.
type rawBytes struct {
	RawBytes []byte `json:"rawBytes"`
}

// dsseSignature and dsseEnvelope are the DSSE envelope of a bundle.
type dsseSignature struct {
	Sig   []byte `json:"sig"`
	KeyID string `json:"keyid,omitempty"`
}

type dsseEnvelope struct {
	Payload     []byte          `json:"payload"`
	PayloadType string          `json:"payloadType"`
	Signatures  []dsseSignature `json:"signatures"`
}

// bundleJSON is the part of a Sigstore bundle (protobuf-specs JSON) that
// a PEP 740 attestation maps to.
type bundleJSON struct {
	MediaType            string `json:"mediaType"`
	VerificationMaterial struct {
		Certificate          *rawBytes `json:"certificate,omitempty"`
		X509CertificateChain *struct {
			Certificates []rawBytes `json:"certificates"`
		} `json:"x509CertificateChain,omitempty"`
		TlogEntries []*TransparencyLogEntry `json:"tlogEntries"`
	} `json:"verificationMaterial"`
	DSSEEnvelope *dsseEnvelope `json:"dsseEnvelope,omitempty"`
}

// Bundle returns the attestation as a Sigstore bundle v0.3 (JSON), as
// pypi-attestations' to_bundle builds it: the leaf certificate, the first
// transparency entry, and a DSSE envelope of type application/vnd.in-toto+json.
func (a *Attestation) Bundle() ([]byte, error) {
	if err := a.checkShape(); err != nil {
		return nil, err
	}
	var b bundleJSON
	b.MediaType = BundleMediaType
	b.VerificationMaterial.Certificate = &rawBytes{a.VerificationMaterial.Certificate}
	b.VerificationMaterial.TlogEntries = a.VerificationMaterial.TransparencyEntries[:1]
	b.DSSEEnvelope = &dsseEnvelope{Payload: a.Envelope.Statement, PayloadType: PayloadType,
		Signatures: []dsseSignature{{Sig: a.Envelope.Signature}}}
	return json.Marshal(&b)
}

// FromBundle converts a Sigstore bundle (JSON, v0.1 to v0.3) holding a
// DSSE envelope into an attestation, as pypi-attestations' from_bundle
// does; errors use its words ("bundle does not contain a DSSE envelope",
// "expected exactly one signature, got N").
func FromBundle(bundle []byte) (*Attestation, error) {
	var b bundleJSON
	if err := decodeJSON("bundle", bundle, &b); err != nil {
		return nil, err
	}
	bad := func(reason string) error { return &ParseError{What: "bundle", Reason: reason} }
	if b.DSSEEnvelope == nil {
		return nil, bad("bundle does not contain a DSSE envelope")
	}
	if n := len(b.DSSEEnvelope.Signatures); n != 1 {
		return nil, bad(fmt.Sprintf("expected exactly one signature, got %d", n))
	}
	vm := b.VerificationMaterial
	var cert []byte
	switch {
	case vm.Certificate != nil:
		cert = vm.Certificate.RawBytes
	case vm.X509CertificateChain != nil && len(vm.X509CertificateChain.Certificates) > 0:
		cert = vm.X509CertificateChain.Certificates[0].RawBytes
	}
	if len(vm.TlogEntries) == 0 {
		return nil, bad("invalid transparency log entry")
	}
	a := &Attestation{
		Version: 1,
		VerificationMaterial: VerificationMaterial{
			Certificate:         cert,
			TransparencyEntries: vm.TlogEntries[:1],
		},
		Envelope: Envelope{Statement: b.DSSEEnvelope.Payload, Signature: b.DSSEEnvelope.Signatures[0].Sig},
	}
	if err := a.checkShape(); err != nil {
		return nil, err
	}
	return a, nil
}
