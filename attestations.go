package pypi

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"

	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/oidc"
	"github.com/trustpub/pypi/upload"
)

// Attestation is a PEP 740 attestation Publish generated for a file.
type Attestation struct {
	// PredicateType is the statement's predicate type, attest.PublishV1.
	PredicateType string
	// LogIndex is the index of its entry in the Rekor transparency log.
	LogIndex int64
	// Path is the file it was written to, beside the distribution:
	// attest.Filename of the distribution's path.
	Path string
	// Attestation is the attestation itself.
	Attestation *attest.Attestation
}

// ErrAttestationsUnavailable: Options.Attestations is
// upload.AttestationsRequire, but this upload cannot carry attestations;
// nothing was sent.
var ErrAttestationsUnavailable = errors.New("pypi: attestations are required but cannot be made for this upload")

// AttestationError is a failure to generate the attestations: getting
// the identity token for Sigstore, a Fulcio certificate or a Rekor entry
// (an *attest.SignError says which), or writing a file. Nothing was
// uploaded and no attestation file was left behind.
type AttestationError struct {
	// File is the distribution being attested, if the failure was about one.
	File string
	Err  error
}

// Error returns "pypi: attestation generation failed: " and Err's message.
func (e *AttestationError) Error() string {
	return "pypi: attestation generation failed: " + e.Err.Error()
}

// Unwrap returns Err.
func (e *AttestationError) Unwrap() error { return e.Err }

// attestable reports whether the index takes attestations with this
// upload, and why not: PyPI and TestPyPI take them from Trusted
// Publishing only, other indexes not at all, unless the caller gave a
// Signer (a test against a fake PyPI).
func attestable(opts *Options, t *target, trusted bool) (bool, string) {
	switch {
	case !trusted:
		return false, "the upload is not by Trusted Publishing, the only way PyPI accepts them"
	case !t.public && opts.Signer == nil:
		return false, "the repository is not PyPI or TestPyPI, which alone support PEP 740 attestations"
	}
	return true, ""
}

// checkMode is how the checks read the attestation files already beside
// the distributions: as the upload will send them, if it may send any.
func checkMode(opts *Options, t *target, trusted bool) upload.Attestations {
	if ok, _ := attestable(opts, t, trusted); ok && opts.Attestations != upload.AttestationsOff {
		return upload.AttestationsAuto
	}
	return upload.AttestationsOff
}

// unavailable is the error of required attestations that cannot be had.
func unavailable(why string) error {
	return fmt.Errorf("%w: %s", ErrAttestationsUnavailable, why)
}

// attestFiles generates, once the credentials are known and before
// anything is uploaded, the publish attestation of every file that has
// none beside it yet (signFiles), and returns how the upload sends
// attestations.
func attestFiles(ctx context.Context, opts *Options, t *target, creds *credentials, files []*checked) (upload.Attestations, error) {
	if opts.Attestations == upload.AttestationsOff {
		return upload.AttestationsOff, nil
	}
	if ok, why := attestable(opts, t, creds.trusted); !ok {
		if opts.Attestations == upload.AttestationsRequire {
			return 0, unavailable(why)
		}
		return upload.AttestationsOff, nil
	}
	signer, why, err := opts.signer(ctx, creds)
	switch {
	case err != nil:
		return 0, &AttestationError{Err: err}
	case signer == nil && opts.Attestations == upload.AttestationsRequire:
		return 0, unavailable(why)
	case signer == nil:
		opts.logger().Info("pypi: no attestations generated", "reason", why)
		return upload.AttestationsAuto, nil // those beside the files still go
	}
	if err := signFiles(ctx, opts, signer, files); err != nil {
		return 0, err
	}
	if opts.Attestations == upload.AttestationsRequire {
		return upload.AttestationsRequire, nil
	}
	return upload.AttestationsAuto, nil
}

// signer returns the Signer for this upload: Options.Signer if it has
// an IDToken, else a Signer (a copy of Options.Signer's settings, or
// Sigstore's public-good instance) with identity tokens of audience
// "sigstore" from the CI that gave the Trusted Publishing token. It is
// nil, with the reason, when PyPI would refuse what it signs.
func (o *Options) signer(ctx context.Context, creds *credentials) (*attest.Signer, string, error) {
	// PyPI refuses the attestations of a reusable workflow. Read in
	// Warehouse at the commit UPSTREAM.md pins,
	// warehouse/oidc/models/github.py: lookup_by_claims finds the Trusted
	// Publisher by the file name in job_workflow_ref (the reusable
	// workflow), and _check_job_workflow_ref lets a token mint only if
	// job_workflow_ref is that file of the publisher's own repository at
	// the run's ref or sha; attestation_identity is then pypi-attestations'
	// GitHubPublisher(repository, workflow=that file name). In
	// pypi-attestations at the version UPSTREAM.md pins,
	// src/pypi_attestations/_impl.py, _GitHubTrustedPublisherPolicy
	// requires the certificate's Build Config URI, which Fulcio renders
	// from workflow_ref (the calling workflow), to be
	// https://github.com/{repository}/.github/workflows/{workflow}@{ref or sha}.
	// A token that minted with workflow_ref != job_workflow_ref comes from
	// another file of the same repository at the same ref, so the two
	// never match: such an attestation is always refused.
	if called, caller, ok := creds.claims.ReusableWorkflow(); ok {
		why := runsReusable(called, caller) +
			": PyPI checks an attestation's workflow file (the caller's) against the Trusted Publisher's (the reusable one's) and would refuse it"
		o.emit(Event{Kind: EventKindWarning, Warning: WarningAttestationsIgnored, Claims: creds.claims,
			Title: "attestations ignored", Message: "Attestations are not generated: " + why + "."})
		return nil, why, nil
	}
	if o.Signer != nil && o.Signer.IDToken != nil {
		return o.Signer, "", nil
	}
	hc := o.httpClient()
	oc := &oidc.Config{Getenv: o.Getenv, HTTPClient: hc, Masker: o.Masker, Logger: o.Logger}
	switch p := oc.Provider(); p {
	case oidc.ProviderGitHub, oidc.ProviderGitLab, oidc.ProviderGCP:
	default:
		return nil, "PyPI accepts attestations from GitHub, GitLab and Google Cloud Trusted Publishers only, not from " + string(p), nil
	}
	ids, err := oc.TokenSource(ctx, attest.IdentityAudience)
	if err != nil {
		return nil, "", err
	}
	s := &attest.Signer{IDToken: ids, HTTPClient: hc}
	if c := o.Signer; c != nil {
		s.FulcioURL, s.RekorURL, s.Retries, s.Backoff, s.Timeout, s.Now, s.TrustedRoot =
			c.FulcioURL, c.RekorURL, c.Retries, c.Backoff, c.Timeout, c.Now, c.TrustedRoot
		if c.HTTPClient != nil {
			s.HTTPClient = c.HTTPClient
		}
	}
	return s, "", nil
}

// signFiles signs the publish attestation of each file without one,
// writes them beside the files and records them in the results. Signing
// all files comes before writing any, and a failed write removes those
// written, so a failure leaves no file behind.
func signFiles(ctx context.Context, opts *Options, signer *attest.Signer, files []*checked) error {
	var todo []*checked
	for _, c := range files {
		// A file that has its publish attestation already keeps it, as
		// twine and uv send what they find; the checks have read it.
		if _, err := os.Lstat(attest.Filename(c.result.Path)); err != nil {
			todo = append(todo, c)
		}
	}
	made := make([]*attest.Attestation, len(todo))
	for i, c := range todo {
		// The statement names the file's sha256, so the file is hashed
		// before the upload (which then sends its digests first).
		ds, err := c.dist.Digests(false)
		if err != nil {
			return &AttestationError{File: c.result.File, Err: err}
		}
		sum, err := hex.DecodeString(ds.SHA256)
		if err != nil || len(sum) != 32 {
			return &AttestationError{File: c.result.File, Err: fmt.Errorf("%s: no sha256 digest", c.result.File)}
		}
		if made[i], err = signer.Sign(ctx, c.result.File, [32]byte(sum)); err != nil {
			return &AttestationError{File: c.result.File, Err: err}
		}
	}
	for i, c := range todo {
		path := attest.Filename(c.result.Path)
		if err := made[i].WriteFile(path); err != nil {
			for _, w := range todo[:i] {
				os.Remove(attest.Filename(w.result.Path))
			}
			return &AttestationError{File: c.result.File, Err: err}
		}
	}
	for i, c := range todo {
		entry := made[i].VerificationMaterial.TransparencyEntries[0]
		c.result.Attestations = append(c.result.Attestations, Attestation{PredicateType: attest.PublishV1,
			LogIndex: int64(entry.LogIndex), Path: attest.Filename(c.result.Path), Attestation: made[i]})
		opts.emit(Event{Kind: EventKindAttested, File: c.result.File, Result: c.result})
	}
	return nil
}
