package mint

import (
	"context"
	"sync"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/oidc"
)

// TrustedPublishing runs gh-action-pypi-publish's whole Trusted
// Publishing sequence against the index: it finds the CI system through ci
// (nil means the zero [oidc.Config]: the process environment), asks the
// index for its audience, mints the first upload token, so that a refused
// publisher shows before any upload, and returns a [Config.TokenSource]
// fed by ci's identity tokens, with the unverified claims of the first
// identity token (also with an error, since they may show why). The
// package doc lists its errors.
func (c *Config) TrustedPublishing(ctx context.Context, ci *oidc.Config) (oauth2.TokenSource, oidc.Claims, error) {
	if ci == nil {
		ci = new(oidc.Config)
	}
	if ci.Provider() == "" {
		return nil, nil, oidc.ErrNoAmbientCredential
	}
	audience, err := c.Audience(ctx)
	if err != nil {
		return nil, nil, err
	}
	ids, err := ci.TokenSource(ctx, audience)
	if err != nil {
		return nil, nil, err
	}
	first := &firstClaims{src: ids}
	ts := c.TokenSource(ctx, first)
	if _, err := ts.Token(); err != nil {
		return nil, first.seen, err
	}
	return ts, first.seen, nil
}

// firstClaims passes identity tokens through, keeping the claims of the
// first one (written once, before the first Token call returns).
type firstClaims struct {
	src  oauth2.TokenSource
	once sync.Once
	seen oidc.Claims
}

func (f *firstClaims) Token() (*oauth2.Token, error) {
	tok, err := f.src.Token()
	if err != nil {
		return nil, err
	}
	f.once.Do(func() { f.seen, _ = oidc.ParseUnverified(tok.AccessToken) }) // the oidc source checked it
	return tok, nil
}
