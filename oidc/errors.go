package oidc

import "errors"

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

// ProviderGitHub and the other Provider names identify where an
// [AmbientError] comes from; they are the prefixes of the PyPI package id's
// messages.
const (
	ProviderGitHub    = "GitHub"
	ProviderGCP       = "GCP"
	ProviderBuildkite = "Buildkite"
	ProviderGitLab    = "GitLab"
	ProviderCircleCI  = "CircleCI"
)

// AmbientError reports a CI system that was detected but did not produce a
// usable identity token.
type AmbientError struct {
	// Provider is one of the Provider constants.
	Provider string
	// Detail says what went wrong, in the words of the PyPI package id, e.g.
	// "GitHub: missing or insufficient OIDC token permissions, the
	// ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable was unset".
	Detail string
	// ForkPR reports that the GitHub job runs for a pull request from a fork.
	ForkPR bool
	// Err is the underlying cause (a transport error, an [exec.ExitError],
	// [exec.ErrNotFound], ...), or nil.
	Err error

	kind error // ErrMissingIDTokenPermission, ErrMalformedToken or nil
}

// Error returns "oidc: " and [AmbientError.Message].
func (e *AmbientError) Error() string { return "oidc: " + e.Message() }

// Message is the explanation gh-action-pypi-publish shows for the failure.
// Under GitHub Actions it says how to fix the workflow: a pull request from
// a fork gets the fork explanation, anything else the `id-token: write`
// permission fix. Other providers get the one-line Detail.
func (e *AmbientError) Message() string {
	head := "OpenID Connect token retrieval failed: " + e.Detail
	switch {
	case e.Provider != ProviderGitHub:
		return head
	case e.ForkPR:
		return head + "\n\n" + forkPRHelp
	default:
		return head + "\n\n" + permissionHelp
	}
}

// Unwrap returns the underlying cause.
func (e *AmbientError) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel that classifies e.
func (e *AmbientError) Is(target error) bool {
	return target != nil && (target == e.kind || target == ErrForkPR && e.ForkPR)
}

const permissionHelp = `This generally indicates a workflow configuration error, such as insufficient
permissions. Make sure that your workflow has ` + "`id-token: write`" + ` configured
at the job level, e.g.:

` + "```yaml" + `
permissions:
  id-token: write
` + "```" + `

Learn more at https://docs.github.com/en/actions/deployment/security-hardening-your-deployments/about-security-hardening-with-openid-connect#adding-permissions-settings.`

const forkPRHelp = `The workflow context indicates that this action was called from a
pull request on a fork. GitHub doesn't give these workflows OIDC permissions,
even if ` + "`id-token: write`" + ` is explicitly configured.

To fix this, change your publishing workflow to use an event that
forks of your repository cannot trigger (such as tag or release
creation, or a manually triggered workflow dispatch).`
