// Package sigstorecheck has no API: its tests check this repository's
// PEP 740 attestations (package attest, signing against pypitest's fake
// Sigstore) and real ones from PyPI with two Sigstore verifiers written
// elsewhere, sigstore-go and npm's @sigstore/verify, and check that
// package attest's verifier agrees with both on every case, tampered ones
// included.
//
// It is a module of its own so that sigstore-go and its dependencies stay
// out of the library's go.mod; `go test ./...` at the repository's root
// does not enter it, so .ci/run tests it separately, after `npm ci` in
// js/, the npm project that pins @sigstore/verify.
package sigstorecheck
