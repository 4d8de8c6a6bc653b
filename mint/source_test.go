package mint

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// clock is a settable clock for tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// jwts is an identity source handing out a new JWT (new jti) per call.
type jwts struct {
	t     testing.TB
	calls atomic.Int32
}

func (j *jwts) Token() (*oauth2.Token, error) {
	n := j.calls.Add(1)
	claims := map[string]any{"aud": "pypi", "jti": fmt.Sprint("jti-", n)}
	return &oauth2.Token{AccessToken: makeJWT(j.t, claims)}, nil
}

// fakeIndex mints "pypi-N" tokens valid 900 s from clk's time, refusing a
// JWT it has seen before.
type fakeIndex struct {
	clk    *clock
	mu     sync.Mutex
	seen   map[string]bool
	minted int
}

func (f *fakeIndex) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct{ Token string }
	json.NewDecoder(r.Body).Decode(&body)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.seen[body.Token] {
		warehouse422("invalid-reuse-token", "invalid token: already used")(w, r)
		return
	}
	f.seen[body.Token] = true
	f.minted++
	json.NewEncoder(w).Encode(map[string]any{"success": true, "token": fmt.Sprint("pypi-", f.minted), "expires": f.clk.Now().Add(900 * time.Second).Unix()})
}

func (f *fakeIndex) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.minted
}

func newSource(t *testing.T) (oauth2.TokenSource, *fakeIndex, *clock, *jwts) {
	clk := &clock{now: time.Unix(1764072000, 0)}
	idx := &fakeIndex{clk: clk, seen: map[string]bool{}}
	c, _ := serve(t, idx.ServeHTTP)
	id := &jwts{t: t}
	c.Now = clk.Now
	return c.TokenSource(t.Context(), id), idx, clk, id
}

func TestTokenSourceReusesThenReMints(t *testing.T) {
	t.Parallel()
	ts, idx, clk, id := newSource(t)
	steps := []struct {
		advance time.Duration
		want    string
	}{
		{0, "pypi-1"},
		{9 * time.Minute, "pypi-1"},                // 6 min left: reused
		{59 * time.Second, "pypi-1"},               // 5 min 1 s left: reused
		{1 * time.Second, "pypi-2"},                // exactly 5 min left: re-minted
		{9*time.Minute + 59*time.Second, "pypi-2"}, // 5 min 1 s left of the new one
		{20 * time.Minute, "pypi-3"},               // long expired
	}
	for i, s := range steps {
		clk.Advance(s.advance)
		tok, err := ts.Token()
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if tok.AccessToken != s.want {
			t.Errorf("step %d (+%v): token %s; want %s", i, s.advance, tok.AccessToken, s.want)
		}
	}
	if idx.count() != 3 || id.calls.Load() != 3 {
		t.Errorf("minted %d tokens from %d JWTs; want 3 from 3", idx.count(), id.calls.Load())
	}
}

func TestTokenSourceSingleFlight(t *testing.T) {
	t.Parallel()
	ts, idx, _, id := newSource(t)
	var wg sync.WaitGroup
	tokens := make([]string, 16)
	for i := range tokens {
		wg.Go(func() {
			tok, err := ts.Token()
			if err != nil {
				t.Error(err)
				return
			}
			tokens[i] = tok.AccessToken
		})
	}
	wg.Wait()
	for i, tok := range tokens {
		if tok != "pypi-1" {
			t.Errorf("caller %d got %q; want pypi-1", i, tok)
		}
	}
	if idx.count() != 1 || id.calls.Load() != 1 {
		t.Errorf("16 concurrent callers minted %d tokens from %d JWTs; want 1 from 1", idx.count(), id.calls.Load())
	}
}

type failingIdentity struct{ err error }

func (f failingIdentity) Token() (*oauth2.Token, error) { return nil, f.err }

// sameJWT hands out the same JWT every time, as a caching source would.
type sameJWT struct{ jwt string }

func (s sameJWT) Token() (*oauth2.Token, error) { return &oauth2.Token{AccessToken: s.jwt}, nil }

func TestTokenSourceErrors(t *testing.T) {
	t.Parallel()
	t.Run("identity error returned as is", func(t *testing.T) {
		t.Parallel()
		want := errors.New("oidc: no OIDC token discovered")
		c, _ := serve(t, reply(500, "", ""))
		if _, err := c.TokenSource(t.Context(), failingIdentity{want}).Token(); err != want {
			t.Errorf("err = %v; want the identity error", err)
		}
	})
	t.Run("a cached JWT is refused on re-mint", func(t *testing.T) {
		t.Parallel()
		clk := &clock{now: time.Unix(1764072000, 0)}
		idx := &fakeIndex{clk: clk, seen: map[string]bool{}}
		c, _ := serve(t, idx.ServeHTTP)
		c.Now = clk.Now
		ts := c.TokenSource(t.Context(), sameJWT{makeJWT(t, githubClaims)})
		if _, err := ts.Token(); err != nil {
			t.Fatal(err)
		}
		clk.Advance(11 * time.Minute)
		_, err := ts.Token()
		var me *Error
		if !errors.As(err, &me) || len(me.Reasons) != 1 || me.Reasons[0].Code != "invalid-reuse-token" {
			t.Errorf("err = %v; want invalid-reuse-token", err)
		}
	})
}

// BenchmarkTokenSourceReuse measures the path every upload request takes:
// a valid token is handed out again.
func BenchmarkTokenSourceReuse(b *testing.B) {
	clk := &clock{now: time.Unix(1764072000, 0)}
	idx := &fakeIndex{clk: clk, seen: map[string]bool{}}
	srv := httptest.NewServer(idx)
	defer srv.Close()
	c := &Config{UploadURL: srv.URL + "/legacy/", HTTPClient: srv.Client(), Now: clk.Now}
	ts := c.TokenSource(b.Context(), &jwts{t: b})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := ts.Token(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	if idx.count() != 1 {
		b.Errorf("minted %d tokens; want 1", idx.count())
	}
}
