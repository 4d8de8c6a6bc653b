package mint

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// refreshMargin is how much life a PyPI token must have left to be reused:
// with less, a new one is minted (twine's rule, 10 minutes into 15).
const refreshMargin = 5 * time.Minute

// errNoIdentity is returned by a TokenSource whose Config has no Identity.
var errNoIdentity = errors.New("mint: Config.Identity is nil: a source of CI identity tokens is needed to mint")

// TokenSource returns a source of PyPI upload tokens minted at c.Index. It
// reuses a token while more than five minutes of its life remain (by
// c.Now), and otherwise mints a new one from a new identity token taken
// from c.Identity. Concurrent calls share one mint. Errors from c.Identity
// are returned as they are; minting errors are [*Error] values.
//
// The source uses ctx for every request, including those of later Token
// calls (the oauth2.TokenSource interface has no context).
func TokenSource(ctx context.Context, c Config) oauth2.TokenSource {
	return &tokenSource{ctx: ctx, cfg: c}
}

type tokenSource struct {
	ctx context.Context
	cfg Config

	mu  sync.Mutex // held while minting, so that concurrent callers share one mint
	tok *oauth2.Token
}

func (s *tokenSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != nil && s.cfg.now().Add(refreshMargin).Before(s.tok.Expiry) {
		return s.tok, nil
	}
	if s.cfg.Identity == nil {
		return nil, errNoIdentity
	}
	id, err := s.cfg.Identity.Token()
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
	return fmt.Sprintf("mint.TokenSource(%s)", s.cfg.Index.URL())
}

// Format prints String for every verb, %#v included, so that the cached
// token can never be printed.
func (s *tokenSource) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }
