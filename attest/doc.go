// Package attest reads, converts and verifies PEP 740 attestations
// offline, as PyPI does when a file is uploaded with them.
//
// PyPI (Warehouse) verifies each attestation with pypi-attestations'
// Attestation.verify and sigstore-python's verifier against Sigstore's
// production instance; Verify re-implements those checks with the
// standard library, against a trusted_root.json given by the caller,
// names the check that failed, and gives pypi-attestations' words for it.
// The behaviour follows pypi-attestations 0.0.29
// (src/pypi_attestations/_impl.py, Warehouse's pin) and sigstore-python's
// sigstore/verify/verifier.py and policy.py (main branch; Warehouse pins
// sigstore 4.5.0); UPSTREAM.md lists the project's upstream versions.
//
//	What                          API
//	----------------------------  -----------------------------------------------
//	attestation JSON (PEP 740)    Parse, Attestation (json.Marshal writes it back)
//	Sigstore bundle v0.3          Attestation.Bundle, FromBundle
//	in-toto statement, DSSE       NewStatement, PAE, Statement
//	file naming                   Filename ("{dist}.publish.attestation")
//	trust material                ParseTrustedRoot, TrustedRoot
//	identity policies             GitHubPublisher, GitLabPublisher, GooglePublisher
//	verification                  Attestation.Verify (one), VerifySet (per file)
//	errors                        *ParseError (ErrMalformed),
//	                              *VerificationError with a Check (ErrVerification),
//	                              *SetError (ErrAttestationSet)
//
// Verify checks, in sigstore-python's order: the certificate; the Rekor
// entry (from a log of the root, its signed entry timestamp, its RFC 6962
// inclusion proof and signed checkpoint); that the entry is a dsse 0.0.1
// entry recording this envelope; the certificate chain to a Fulcio CA at
// the entry's integrated time; the embedded SCT against the root's CT
// logs; key usage and EKU; the publisher policy; the DSSE signature; and
// the statement (one subject, the distribution's name and sha256, a known
// predicate type). VerificationError.Error names the check;
// PyPIMessage gives pypi-attestations' words.
package attest
