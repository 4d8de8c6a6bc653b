package mint

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// refreshMargin is how much life a PyPI token must have left to be reused:
// with less, a new one is minted (twine's rule, 10 minutes into 15).
const refreshMargin = 5 * time.Minute

// TokenSource returns a source of PyPI upload tokens minted at the index.
// It reuses a token while more than five minutes of its life remain (by
// c.Now), and otherwise mints a new one from a new identity token taken
// from identity, which must hand out a fresh JWT on every call (PyPI
// accepts each JWT once), as an [oidc.Config.TokenSource] does.
// Concurrent calls share one mint. Errors from identity are returned as
// they are; minting errors are [*Error] values.
//
// The source uses ctx for every request, including those of later Token
// calls (the oauth2.TokenSource interface has no context), and a copy of
// c made now.
func (c *Config) TokenSource(ctx context.Context, identity oauth2.TokenSource) oauth2.TokenSource {
	return &tokenSource{ctx: ctx, cfg: *c, identity: identity}
}

type tokenSource struct {
	ctx      context.Context
	cfg      Config
	identity oauth2.TokenSource

	mu  sync.Mutex // held while minting, so that concurrent callers share one mint
	tok *oauth2.Token
}

func (s *tokenSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != nil && s.cfg.now().Add(refreshMargin).Before(s.tok.Expiry) {
		return s.tok, nil
	}
	id, err := s.identity.Token()
	if err != nil {
		return nil, err
	}
	tok, err := s.cfg.Mint(s.ctx, id.AccessToken)
	if err != nil {
		return nil, err
	}
	s.tok = tok
	return tok, nil
}

// String describes the source without any token.
func (s *tokenSource) String() string {
	if origin, err := base(s.cfg.UploadURL); err == nil {
		return fmt.Sprintf("mint.TokenSource(%s)", origin)
	}
	return "mint.TokenSource(invalid upload URL)"
}

// Format prints String for every verb, %#v included, so that the cached
// token can never be printed.
func (s *tokenSource) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }
