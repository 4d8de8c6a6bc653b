package pypitest

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/trustpub/pypi/attest"
)

// Warehouse's words for the attestations field
// (warehouse/attestations/services.py, _extract_attestations_from_request
// and IntegrityService.parse_attestations).
const (
	attestationsMalformed   = "Malformed attestations: "
	attestationsNotVerified = "Could not verify the uploaded artifact using the included attestation: "
	attestationsUnknownErr  = "Unknown error while trying to verify included attestations: "
)

// WithSigstore makes the server verify the attestations uploaded with a
// file against g's trusted root, as Warehouse verifies them against
// Sigstore's production root: the signature, certificate chain, SCT and
// Rekor entry, the Trusted Publisher's identity (its repository and
// workflow) and the statement's subject. Without it the server checks only
// the statements (subject and predicate type) and trusts the signatures.
//
// g's certificates name g's issuer (see [WithIssuer]) where Fulcio names
// GitHub Actions'; the server's GitHub policy requires that issuer
// (attest.GitHubPublisher.Issuer), so a certificate of any other issuer
// still fails as at PyPI.
func WithSigstore(g *Sigstore) Option {
	root, err := attest.ParseTrustedRoot(g.TrustedRoot())
	if err != nil {
		panic("pypitest: the fake Sigstore's trusted root: " + err.Error())
	}
	var issuer string
	if iss := g.verifier.issuer; iss != nil {
		issuer = iss.URL
	}
	return serverOption(func(s *Server) { s.trustedRoot, s.sigstoreIssuer = root, issuer })
}

// provenance is a file's provenance object, as PyPI's integrity API
// serves it (pypi-attestations' Provenance, dumped as JSON).
type provenance struct {
	Version            int                 `json:"version"`
	AttestationBundles []attestationBundle `json:"attestation_bundles"`
}

// attestationBundle is the attestations of one publisher.
type attestationBundle struct {
	Publisher    provenancePublisher `json:"publisher"`
	Attestations []json.RawMessage   `json:"attestations"`
}

// provenancePublisher is pypi-attestations' GitHubPublisher, as Warehouse
// builds it from the Trusted Publisher that authenticated the upload.
type provenancePublisher struct {
	Kind        string         `json:"kind"`
	Claims      map[string]any `json:"claims"`
	Repository  string         `json:"repository"`
	Workflow    string         `json:"workflow"`
	Environment *string        `json:"environment"`
}

// newProvenance returns the provenance JSON of attestations uploaded by p.
func newProvenance(p *GitHubPublisher, atts []json.RawMessage) []byte {
	pub := provenancePublisher{Kind: "GitHub", Repository: p.RepositoryOwner + "/" + p.Repository, Workflow: p.WorkflowFilename}
	if p.Environment != "" {
		pub.Environment = &p.Environment
	}
	b, err := json.Marshal(provenance{Version: 1, AttestationBundles: []attestationBundle{{Publisher: pub, Attestations: atts}}})
	if err != nil {
		panic("pypitest: " + err.Error())
	}
	return b
}

// checkAttestations judges the attestations field of an upload of
// filename with sha256 (lowercase hex) by id, as Warehouse's
// IntegrityService.parse_attestations does, in its order and words. It
// returns the file's provenance JSON, or the reason for refusing it
// (without the "Invalid attestations supplied during upload: " prefix).
func (s *Server) checkAttestations(field, filename, sha256 string, id *Identity) ([]byte, string) {
	if id.Publisher == nil {
		return nil, "Attestations are only supported when using Trusted Publishing"
	}
	var list []json.RawMessage
	if err := json.Unmarshal([]byte(field), &list); err != nil {
		return nil, attestationsMalformed + err.Error()
	}
	var parsed []*attest.Attestation
	if s.trustedRoot != nil {
		for _, raw := range list {
			a, err := attest.Parse(raw)
			if err != nil {
				return nil, attestationsMalformed + err.Error()
			}
			parsed = append(parsed, a)
		}
	}
	// Warehouse counts in _extract_attestations_from_request, which its
	// verifying and its non-verifying (NullIntegrityService) services share:
	// here too the count applies with or without a trusted root, and the
	// empty set's words carry the "Malformed attestations: " that
	// attest.VerifySet's do not.
	switch {
	case len(list) == 0:
		return nil, attestationsMalformed + "an empty attestation set is not permitted"
	case len(list) > attest.MaxAttestations:
		return nil, fmt.Sprintf("A maximum of %d attestations per file are supported", attest.MaxAttestations)
	}
	var msg string
	if s.trustedRoot != nil {
		msg = s.verifyAttestations(parsed, filename, sha256, id.Publisher)
	} else {
		msg = checkStatements(list, filename, sha256)
	}
	if msg != "" {
		return nil, msg
	}
	return newProvenance(id.Publisher, list), ""
}

// verifyAttestations verifies atts against the server's trusted root with
// the policy of publisher p, as pypi-attestations' Attestation.verify does.
func (s *Server) verifyAttestations(atts []*attest.Attestation, filename, sha256 string, p *GitHubPublisher) string {
	sub := attest.Subject{Filename: filename}
	if _, err := hex.Decode(sub.SHA256[:], []byte(sha256)); err != nil {
		panic("pypitest: the index's own sha256 is not hex: " + err.Error())
	}
	policy := attest.GitHubPublisher{Repository: p.RepositoryOwner + "/" + p.Repository, Workflow: p.WorkflowFilename,
		Issuer: s.sigstoreIssuer}
	_, err := attest.VerifySet(atts, s.trustedRoot, policy, sub)
	var ve *attest.VerificationError
	var se *attest.SetError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ve):
		return attestationsNotVerified + ve.PyPIMessage()
	case errors.As(err, &se):
		return se.Reason
	}
	return attestationsUnknownErr + err.Error()
}

// statementOnly is what the server reads of an attestation when it has no
// trusted root: the statement in its envelope. Signatures are not
// verified.
type statementOnly struct {
	Version  int `json:"version"`
	Envelope struct {
		Statement string `json:"statement"`
	} `json:"envelope"`
}

// checkStatements checks the statements of atts alone: one subject, the
// uploaded file, a supported predicate type, each type once.
func checkStatements(atts []json.RawMessage, filename, sha256 string) string {
	seen := map[string]bool{}
	for _, raw := range atts {
		var a statementOnly
		var st struct {
			Subject []struct {
				Name   string            `json:"name"`
				Digest map[string]string `json:"digest"`
			} `json:"subject"`
			PredicateType string `json:"predicateType"`
		}
		err := json.Unmarshal(raw, &a)
		if err == nil {
			var b []byte
			if b, err = base64.StdEncoding.DecodeString(a.Envelope.Statement); err == nil {
				err = json.Unmarshal(b, &st)
			}
		}
		switch {
		case a.Version != 1 || err != nil:
			return attestationsMalformed + "not a version 1 attestation with an in-toto statement"
		case len(st.Subject) != 1 || st.Subject[0].Name != filename || !strings.EqualFold(st.Subject[0].Digest["sha256"], sha256):
			return attestationsNotVerified + "Subject does not match distribution"
		case st.PredicateType != attest.PublishV1 && st.PredicateType != attest.SLSAProvenanceV1:
			return "Attestation with unsupported predicate type: " + st.PredicateType
		case seen[st.PredicateType]:
			return fmt.Sprintf("Multiple attestations for the same file with the same predicate type (%s) are not supported", st.PredicateType)
		}
		seen[st.PredicateType] = true
	}
	return ""
}
