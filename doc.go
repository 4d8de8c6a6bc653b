// Package pypi publishes Python distributions (wheels and sdists) to PyPI
// and PyPI-compatible indexes from CI, authenticating by Trusted
// Publishing: the CI job's OIDC identity token is exchanged at the index
// for a short-lived upload token, so no long-lived secret exists anywhere.
//
// The flow, and where each part lives:
//
//   - [github.com/trustpub/pypi/dist] opens the files, parses their names,
//     versions and core metadata, checks them as PyPI would, reading only
//     what that needs, and hashes them once; dist/verify and dist/readme
//     judge field contents and whether the description renders.
//   - [github.com/trustpub/pypi/oidc] gets the CI job's identity token
//     (GitHub Actions, GitLab CI, Buildkite, CircleCI, Google Cloud).
//   - [github.com/trustpub/pypi/mint] trades it at the index for an upload
//     token, and mints a fresh one before the old one expires.
//   - [github.com/trustpub/pypi/attest] signs a PEP 740 publish
//     attestation for each file with Sigstore (and verifies them offline).
//   - [github.com/trustpub/pypi/upload] streams the files to the legacy
//     upload API, hashing each as it is sent: idempotent, retried,
//     parallel, constant in memory.
//   - [github.com/trustpub/pypi/pypitest] is a fake PyPI and a fake CI
//     identity provider for tests, shaped like net/http/httptest.
//
// [Publish] runs the whole flow, reporting each step to [Options].Events;
// every file is checked before the first byte is sent:
//
//	step                              when it fails, Publish returns
//	find the files (FindFiles)        ErrNoDistributions, or the pattern's error
//	open and check each file          a *FilesError that is ErrChecksFailed; nothing
//	  by the index's rules (Checks)     is sent, and the Results hold every problem
//	get credentials                   a *TrustedPublishingError, ErrNoCredentials or
//	  (TrustedPublishing)               ErrPasswordRefused
//	sign and write attestations       an *AttestationError (nothing is uploaded), or
//	  (Attestations, Signer)            ErrAttestationsUnavailable when required
//	upload (upload.Client.UploadAll)  a *FilesError that is ErrUploadFailed, once
//	                                    every other file is sent
package pypi
