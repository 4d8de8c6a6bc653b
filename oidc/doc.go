// Package oidc obtains ambient OpenID Connect identity tokens from the CI
// system a program runs in, for PyPI's trusted publishing.
//
// The providers are tried in the order of the PyPI package id (used by
// pypa/gh-action-pypi-publish): GitHub Actions, Google Cloud, Buildkite,
// GitLab CI and CircleCI. A provider counts as detected when its marker
// environment variable (GITHUB_ACTIONS, BUILDKITE, GITLAB_CI, CIRCLECI) is
// non-empty; Google Cloud is detected by GOOGLE_SERVICE_ACCOUNT_NAME
// (service-account impersonation) or by the machine's DMI product name.
//
// # Errors
//
// Not running in any known CI gives [ErrNoAmbientCredential]. A detected CI
// that does not hand out a token gives an [*AmbientError] naming the
// [Provider], in the words of the PyPI package id; under GitHub Actions it
// matches [ErrMissingIDTokenPermission] when the job lacks
// `id-token: write`, and [ErrForkPR] for a pull request from a fork, which
// never gets a token.
//
// # Tokens
//
// Identity tokens are returned as [golang.org/x/oauth2.Token] values whose
// AccessToken is the JWT and whose Expiry comes from its exp claim. PyPI
// records each token's jti and refuses a second use, so a [Config.TokenSource]
// never caches: every Token call asks the CI for a fresh JWT.
//
// [ParseUnverified] decodes a JWT's claims without checking its signature,
// for diagnostics only, such as [Claims.ReusableWorkflow].
package oidc
