package pypi

import (
	"context"
	"errors"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/internal/redact"
	"github.com/trustpub/pypi/mint"
	"github.com/trustpub/pypi/oidc"
)

// tokenUser is the username that makes the password an API token.
const tokenUser = "__token__"

// credentials are how the uploads authenticate.
type credentials struct {
	token              oauth2.TokenSource // API token or minted tokens
	username, password string             // HTTP Basic, when token is nil
	trusted            bool               // tokens come from Trusted Publishing
	claims             oidc.Claims        // of the first identity token, with trusted
	how                string             // for EventKindAuthenticated
}

// explicitCredentials sorts out the credentials given in opts: an API
// token (from Token, or Password with the user "__token__" or none), or
// a username and password.
func explicitCredentials(opts *Options) *credentials {
	token, user, pass := opts.Token, opts.Username, opts.Password
	if token == "" && (user == "" || user == tokenUser) && pass != "" {
		token, pass = pass, ""
	}
	if user == tokenUser {
		user = ""
	}
	switch {
	case token != "":
		return &credentials{token: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}), how: "an API token"}
	case user != "" || pass != "":
		return &credentials{username: user, password: pass, how: "a username and password"}
	}
	return nil
}

// getCredentials decides how to authenticate, by opts.TrustedPublishing
// with uv's meanings, and fetches the first token when that is by
// Trusted Publishing, so that a failure shows before any upload.
func getCredentials(ctx context.Context, opts *Options, t *target, secrets *redact.Set) (*credentials, error) {
	opts.mask(opts.Token)
	opts.mask(opts.Password)
	given := explicitCredentials(opts)
	if given != nil && given.token == nil && t.public {
		return nil, ErrPasswordRefused
	}
	switch {
	case opts.TrustedPublishing == TrustedPublishingAlways && given != nil:
		return nil, errors.New(`pypi: a token, username or password is not allowed when Trusted Publishing is "always"`)
	case opts.TrustedPublishing == TrustedPublishingAlways:
		return trustedPublishing(ctx, opts, t, secrets)
	case given != nil:
		return given, nil
	case opts.TrustedPublishing == TrustedPublishingNever:
		return anonymous(t)
	}
	c, err := trustedPublishing(ctx, opts, t, secrets)
	if errors.Is(err, oidc.ErrNoAmbientCredential) || errors.Is(err, mint.ErrAudienceNotFound) {
		opts.logger().Debug("pypi: no trusted publishing", "reason", err)
		return anonymous(t)
	}
	return c, err
}

// anonymous is uploading without credentials, which only some private
// indexes allow.
func anonymous(t *target) (*credentials, error) {
	if t.public {
		return nil, ErrNoCredentials
	}
	return &credentials{how: "no credentials"}, nil
}

// trustedPublishing gets upload tokens by Trusted Publishing, warning
// when the identity token shows a reusable workflow.
func trustedPublishing(ctx context.Context, opts *Options, t *target, secrets *redact.Set) (*credentials, error) {
	hc := opts.httpClient() // oidc and mint each copy it before use
	oc := &oidc.Config{Getenv: opts.Getenv, HTTPClient: hc, Masker: opts.Masker, Logger: opts.Logger}
	mc := &mint.Config{UploadURL: t.upload.String(), HTTPClient: hc, Masker: opts.Masker, Logger: opts.Logger, Secrets: secrets.Secrets}
	ts, claims, err := mc.TrustedPublishing(ctx, oc)
	if called, caller, ok := claims.ReusableWorkflow(); ok {
		opts.emit(Event{Kind: EventKindWarning, Warning: WarningReusableWorkflow, Claims: claims,
			Title:   "Potential workflow misconfiguration",
			Message: runsReusable(called, caller) + ": PyPI's Trusted Publishing does not officially support reusable workflows"})
	}
	if err != nil {
		return nil, &TrustedPublishingError{Err: err}
	}
	return &credentials{token: ts, trusted: true, claims: claims, how: "trusted publishing"}, nil
}

// runsReusable says which reusable workflow the job runs, and its caller,
// for the warnings about it.
func runsReusable(called, caller string) string {
	return "the job runs the reusable workflow " + called + ", called by " + caller
}
