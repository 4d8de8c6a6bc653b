package oidc

import (
	"errors"
	"strings"
)

// Sentinel errors; test for them with [errors.Is].
var (
	// ErrNoAmbientCredential means the program does not run in any CI system
	// this package knows, so there is no ambient identity to be had.
	ErrNoAmbientCredential = errors.New("oidc: no OIDC token discovered: are you in a supported trusted publishing environment?")

	// ErrMissingIDTokenPermission means GitHub Actions did not give the job
	// the means to request a token: the job lacks `id-token: write`.
	ErrMissingIDTokenPermission = errors.New("oidc: missing `id-token: write` permission")

	// ErrForkPR means the job runs for a pull request from a fork, which
	// GitHub never gives an identity token.
	ErrForkPR = errors.New("oidc: pull request from a fork")

	// ErrMalformedToken means the CI returned something that is not a JWT
	// for the requested audience.
	ErrMalformedToken = errors.New("oidc: malformed token")
)

// Provider names a CI system that hands out identity tokens; the names
// are the prefixes of the PyPI package id's messages.
type Provider string

// The CI systems, in the order they are tried.
const (
	ProviderGitHub    Provider = "GitHub"
	ProviderGCP       Provider = "GCP"
	ProviderBuildkite Provider = "Buildkite"
	ProviderGitLab    Provider = "GitLab"
	ProviderCircleCI  Provider = "CircleCI"
)

// AmbientError reports a CI system that was detected but did not produce a
// usable identity token. It matches [ErrMissingIDTokenPermission],
// [ErrForkPR] or [ErrMalformedToken] when one of them says why.
type AmbientError struct {
	// Provider is the CI system.
	Provider Provider
	// Detail says what went wrong, in the words of the PyPI package id, e.g.
	// "GitHub: missing or insufficient OIDC token permissions, the
	// ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable was unset".
	Detail string
	// Err is the underlying cause (a transport error, an [exec.ExitError],
	// [exec.ErrNotFound], ...), or nil.
	Err error

	kind   error // ErrMissingIDTokenPermission, ErrMalformedToken or nil
	forkPR bool  // a GitHub job for a pull request from a fork
}

// Error returns one line: "oidc: OpenID Connect token retrieval failed: "
// and the Detail.
func (e *AmbientError) Error() string {
	return "oidc: OpenID Connect token retrieval failed: " + strings.Join(strings.Fields(e.Detail), " ")
}

// Unwrap returns the sentinels that classify e and its cause.
func (e *AmbientError) Unwrap() []error {
	var errs []error
	if e.kind != nil {
		errs = append(errs, e.kind)
	}
	if e.forkPR {
		errs = append(errs, ErrForkPR)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}
