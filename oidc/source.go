package oidc

import (
	"context"
	"fmt"

	"golang.org/x/oauth2"
)

// fetchFunc asks one CI provider for a JWT for audience. Its errors are
// *AmbientError values.
type fetchFunc func(ctx context.Context, audience string) (string, error)

// provider is a detected CI system.
type provider struct {
	name  Provider
	fetch fetchFunc
}

// detect returns the first provider whose environment is present, in the
// order of the PyPI package id, or nil.
func (c *Config) detect() *provider {
	switch {
	case c.getenv("GITHUB_ACTIONS") != "":
		return &provider{ProviderGitHub, c.github}
	case c.gcpDetected():
		return &provider{ProviderGCP, c.gcp}
	case c.getenv("BUILDKITE") != "":
		return &provider{ProviderBuildkite, c.buildkite}
	case c.getenv("GITLAB_CI") != "":
		return &provider{ProviderGitLab, c.gitlab}
	case c.getenv("CIRCLECI") != "":
		return &provider{ProviderCircleCI, c.circleci}
	}
	return nil
}

// Provider returns the detected CI system, or "" when there is none.
func (c *Config) Provider() Provider {
	if p := c.detect(); p != nil {
		return p.name
	}
	return ""
}

// Token asks the detected CI system for a fresh identity token for
// audience. It returns [ErrNoAmbientCredential] outside any known CI and an
// [*AmbientError] when the CI does not produce a usable token.
func (c *Config) Token(ctx context.Context, audience string) (*oauth2.Token, error) {
	p := c.detect()
	if p == nil {
		return nil, ErrNoAmbientCredential
	}
	return c.token(ctx, p, audience)
}

func (c *Config) token(ctx context.Context, p *provider, audience string) (*oauth2.Token, error) {
	jwt, err := p.fetch(ctx, audience)
	if err != nil {
		return nil, err
	}
	c.mask(jwt)
	claims, err := checkToken(jwt, audience)
	if err != nil {
		return nil, c.fail(p.name, err.Error(), nil, ErrMalformedToken)
	}
	c.logger().Debug("oidc: got an identity token", "provider", p.name, "audience", audience)
	return &oauth2.Token{AccessToken: jwt, Expiry: claims.Expiry()}, nil
}

// TokenSource returns a source of identity tokens for audience from the
// detected CI system, or [ErrNoAmbientCredential] when there is none.
// Every Token call fetches a new JWT: PyPI accepts each JWT once, so the
// source never caches and must not be wrapped in [oauth2.ReuseTokenSource].
// The source uses ctx for every request, including those of later Token
// calls (the oauth2.TokenSource interface has no context).
func (c *Config) TokenSource(ctx context.Context, audience string) (oauth2.TokenSource, error) {
	p := c.detect()
	if p == nil {
		return nil, ErrNoAmbientCredential
	}
	return &tokenSource{ctx: ctx, cfg: c, p: p, audience: audience}, nil
}

type tokenSource struct {
	ctx      context.Context
	cfg      *Config
	p        *provider
	audience string
}

func (s *tokenSource) Token() (*oauth2.Token, error) {
	return s.cfg.token(s.ctx, s.p, s.audience)
}

// String describes the source without any token.
func (s *tokenSource) String() string {
	return fmt.Sprintf("oidc.TokenSource(%s, audience %q)", s.p.name, s.audience)
}

// fail builds the AmbientError for a provider's failure; kind is the
// sentinel it matches, if any. GitHub failures also record whether the job
// runs for a pull request from a fork, which changes the advice.
func (c *Config) fail(p Provider, detail string, cause, kind error) *AmbientError {
	e := &AmbientError{Provider: p, Detail: detail, Err: cause, kind: kind}
	if p == ProviderGitHub {
		e.forkPR = c.isForkPullRequest()
	}
	return e
}
