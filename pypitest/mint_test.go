package pypitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

func TestMintSuccess(t *testing.T) {
	t.Parallel()
	for _, path := range []string{mintTokenPath, legacyMintTokenPath} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, GitHubRun{})
			claims := f.iss.freshClaims("pypi")
			status, body := postBody(t, f.srv, path, `{"token": "`+f.iss.sign(claims)+`"}`)
			if status != http.StatusOK {
				t.Fatalf("status %d, body %s", status, body)
			}
			expires := testEpoch.Add(900 * time.Second)
			re := regexp.MustCompile(`^\{"success": true, "token": "(pypi-[A-Za-z0-9_-]{20,})", "expires": ` + fmt.Sprint(expires.Unix()) + `\}$`)
			m := re.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("body %s does not match %s", body, re)
			}
			minted := f.srv.Minted()
			pub := f.iss.Run().Publisher("sampleproject")
			want := MintedToken{Token: m[1], JTI: claims["jti"].(string),
				Identity: Identity{Publisher: &pub, Projects: []string{"sampleproject"}, NotBefore: testEpoch, Expires: expires}}
			if len(minted) != 1 || !mintedEqual(minted[0], want) {
				t.Errorf("Minted() = %+v, want [%+v]", minted, want)
			}
		})
	}
}

func mintedEqual(a, b MintedToken) bool {
	return a.Token == b.Token && *a.Publisher == *b.Publisher && slices.Equal(a.Projects, b.Projects) &&
		a.JTI == b.JTI && a.NotBefore.Equal(b.NotBefore) && a.Expires.Equal(b.Expires)
}

func TestMintErrorBodyIsWarehouses(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	resp, err := f.srv.Client().Post(f.srv.URL+mintTokenPath, "application/json", strings.NewReader(`{"token": "x"}`))
	if err != nil {
		t.Fatal(err)
	}
	status, body := readResponse(t, resp)
	const want = `{"message": "Token request failed", "errors": [{"code": "invalid-payload", "description": "malformed JWT"}]}`
	if status != http.StatusUnprocessableEntity || body != want {
		t.Errorf("got %d %s, want 422 %s", status, body, want)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
}

func TestMintReplay(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	jwt := f.iss.Token("pypi")
	if status, body := f.mint(t, jwt); status != http.StatusOK {
		t.Fatalf("first mint: %d %s", status, body)
	}
	want := mintError("invalid-reuse-token", "invalid token: already used")
	for _, path := range []string{mintTokenPath, legacyMintTokenPath} {
		if status, body := postBody(t, f.srv, path, `{"token": "`+jwt+`"}`); status != 422 || body != want {
			t.Errorf("replay on %s: got %d %s, want 422 %s", path, status, body, want)
		}
	}
	if n := len(f.srv.Minted()); n != 1 {
		t.Errorf("%d tokens minted, want 1", n)
	}
	// A fresh token of the same run is welcome.
	if status, body := f.mint(t, f.iss.Token("pypi")); status != http.StatusOK {
		t.Errorf("fresh token: %d %s", status, body)
	}
}

func TestMintConcurrentReplayMintsOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	jwt := f.iss.Token("pypi")
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Go(func() { statuses[i], _ = f.mint(t, jwt) })
	}
	wg.Wait()
	slices.Sort(statuses)
	if want := []int{200, 422, 422, 422, 422, 422, 422, 422}; !slices.Equal(statuses, want) {
		t.Errorf("statuses %v, want %v", statuses, want)
	}
}

// An empty jti is never recorded by Warehouse (it stores only a truthy
// jti), so such a token can be exchanged again.
func TestMintEmptyJTIIsNotRecorded(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	jwt := f.iss.sign(f.claimsWith(map[string]any{"jti": ""}))
	for range 2 {
		if status, body := f.mint(t, jwt); status != http.StatusOK {
			t.Fatalf("got %d %s, want 200", status, body)
		}
	}
	if minted := f.srv.Minted(); len(minted) != 2 || minted[0].JTI != "" || minted[1].JTI != "" {
		t.Errorf("Minted() = %+v, want two tokens for the empty jti", minted)
	}
}

func TestMintPayloadErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	const head = "1 validation error for TokenPayload\n"
	const more = "\n    For further information visit https://errors.pydantic.dev/2.13/v/"
	for _, tc := range []struct{ body, want string }{
		{"", head + "  Invalid JSON: EOF while parsing a value at line 1 column 0 [type=json_invalid, input_value=b'', input_type=bytes]" + more + "json_invalid"},
		{"not json at all", head + "  Invalid JSON: expected ident at line 1 column 2 [type=json_invalid, input_value=b'not json at all', input_type=bytes]" + more + "json_invalid"},
		{"<html>", head + "  Invalid JSON: expected value at line 1 column 1 [type=json_invalid, input_value=b'<html>', input_type=bytes]" + more + "json_invalid"},
		{`{"preset":"monogram",`, head + `  Invalid JSON: EOF while parsing a value at line 1 column 21 [type=json_invalid, input_value=b'{"preset":"monogram",', input_type=bytes]` + more + "json_invalid"},
		{`{"token": "x"} x`, head + `  Invalid JSON: trailing characters at line 1 column 16 [type=json_invalid, input_value=b'{"token": "x"} x', input_type=bytes]` + more + "json_invalid"},
		{`[]`, head + "  Input should be an object [type=model_type, input_value=[], input_type=list]" + more + "model_type"},
		{`"eyJ"`, head + "  Input should be an object [type=model_type, input_value='eyJ', input_type=str]" + more + "model_type"},
		{`{}`, head + "token\n  Field required [type=missing, input_value={}, input_type=dict]" + more + "missing"},
		{`{"jwt": "` + strings.Repeat("a", 60) + `"}`, head + "token\n  Field required [type=missing, input_value={'jwt': '" +
			strings.Repeat("a", 16) + "..." + strings.Repeat("a", 22) + "'}, input_type=dict]" + more + "missing"},
		{`{"token": 5}`, head + "token\n  Input should be a valid string [type=string_type, input_value=5, input_type=int]" + more + "string_type"},
		{`{"token": null}`, head + "token\n  Input should be a valid string [type=string_type, input_value=None, input_type=NoneType]" + more + "string_type"},
		{`{"token": ["a"]}`, head + "token\n  Input should be a valid string [type=string_type, input_value=['a'], input_type=list]" + more + "string_type"},
	} {
		want := mintError("invalid-payload", tc.want)
		if status, body := postBody(t, f.srv, mintTokenPath, tc.body); status != 422 || body != want {
			t.Errorf("body %q:\ngot  %d %s\nwant 422 %s", tc.body, status, body, want)
		}
	}
}

func TestMintMalformedJWT(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	noIss := f.iss.sign(f.claimsWith(map[string]any{"iss": absent}))
	valid := f.iss.Token("pypi")
	parts := strings.Split(valid, ".")
	for name, jwt := range map[string]string{
		"one part":          "abc",
		"two parts":         parts[0] + "." + parts[1],
		"four parts":        valid + ".x",
		"bad base64":        parts[0] + ".!!!." + parts[2],
		"payload not JSON":  parts[0] + "." + b64("not json") + "." + parts[2],
		"payload an array":  parts[0] + "." + b64(`["iss"]`) + "." + parts[2],
		"header not object": b64(`"RS256"`) + "." + parts[1] + "." + parts[2],
		"no iss":            noIss,
	} {
		want := mintError("invalid-payload", "malformed JWT")
		if status, body := f.mint(t, jwt); status != 422 || body != want {
			t.Errorf("%s: got %d %s, want 422 %s", name, status, body, want)
		}
	}
}

func TestMintUnknownIssuer(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	want := mintError("invalid-payload", "unknown trusted publishing issuer")
	for _, iss := range []any{"https://token.actions.githubusercontent.com", f.iss.URL + "/", nil, 7} {
		jwt := f.iss.sign(f.claimsWith(map[string]any{"iss": iss}))
		if status, body := f.mint(t, jwt); status != 422 || body != want {
			t.Errorf("iss %v: got %d %s, want 422 %s", iss, status, body, want)
		}
	}
	// A server without an issuer knows none.
	lonely := NewServer()
	t.Cleanup(lonely.Close)
	if status, body := postBody(t, lonely, mintTokenPath, `{"token": "`+f.iss.Token("pypi")+`"}`); status != 422 || body != want {
		t.Errorf("server without issuer: got %d %s, want 422 %s", status, body, want)
	}
}

func TestDisableTrustedPublishing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	f.srv.DisableTrustedPublishing()
	resp, err := f.srv.Client().Get(f.srv.URL + audiencePath)
	if err != nil {
		t.Fatal(err)
	}
	status, body := readResponse(t, resp)
	if want := `{"message":"Trusted publishing functionality not enabled"}`; status != 403 || body != want {
		t.Errorf("audience: got %d %s, want 403 %s", status, body, want)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("audience Content-Type %q", ct)
	}
	want := mintError("not-enabled", "github trusted publishing functionality not enabled")
	if status, body := f.mint(t, f.iss.Token("pypi")); status != 422 || body != want {
		t.Errorf("mint: got %d %s, want 422 %s", status, body, want)
	}
	// The payload and issuer checks come first.
	if _, body := f.mint(t, "x"); body != mintError("invalid-payload", "malformed JWT") {
		t.Errorf("malformed token on a disabled server: %s", body)
	}
}

func TestAudience(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		opts []Option
		want string
	}{
		{nil, `{"audience": "pypi"}`},
		{[]Option{WithAudience("testpypi")}, `{"audience": "testpypi"}`},
	} {
		srv := NewServer(tc.opts...)
		t.Cleanup(srv.Close)
		resp, err := srv.Client().Get(srv.URL + audiencePath)
		if err != nil {
			t.Fatal(err)
		}
		status, body := readResponse(t, resp)
		if status != 200 || body != tc.want || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("got %d %s (%s), want 200 %s", status, body, resp.Header.Get("Content-Type"), tc.want)
		}
		resp, err = srv.Client().Post(srv.URL+audiencePath, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if status, _ := readResponse(t, resp); status != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET" {
			t.Errorf("POST audience: %d, Allow %q; want 405, GET", status, resp.Header.Get("Allow"))
		}
		resp, err = srv.Client().Get(srv.URL + mintTokenPath)
		if err != nil {
			t.Fatal(err)
		}
		if status, _ := readResponse(t, resp); status != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
			t.Errorf("GET mint-token: %d, Allow %q; want 405, POST", status, resp.Header.Get("Allow"))
		}
	}
}

func TestWithoutTrustedPublishing(t *testing.T) {
	t.Parallel()
	srv := NewServer(WithoutTrustedPublishing())
	t.Cleanup(srv.Close)
	for _, path := range []string{audiencePath, mintTokenPath, legacyMintTokenPath} {
		if status, _ := getBody(t, srv.Client(), srv.URL+path); status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, status)
		}
	}
}

func TestMintInvalidToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	now := testEpoch.Unix()
	cases := map[string]string{
		"audience testpypi":  f.iss.Token("testpypi"),
		"audience list":      f.iss.sign(f.claimsWith(map[string]any{"aud": []string{"pypi"}})),
		"audience missing":   f.iss.sign(f.claimsWith(map[string]any{"aud": absent})),
		"iat missing":        f.iss.sign(f.claimsWith(map[string]any{"iat": absent})),
		"exp missing":        f.iss.sign(f.claimsWith(map[string]any{"exp": absent})),
		"exp null":           f.iss.sign(f.claimsWith(map[string]any{"exp": nil})),
		"exp a string":       f.iss.sign(f.claimsWith(map[string]any{"exp": "soon"})),
		"expired 30s ago":    f.iss.sign(f.claimsWith(map[string]any{"exp": now - 30})),
		"expired 29.5s ago":  f.iss.sign(f.claimsWith(map[string]any{"exp": float64(now) - 29.5})), // int() truncates
		"iat 31s ahead":      f.iss.sign(f.claimsWith(map[string]any{"iat": now + 31})),
		"nbf 31s ahead":      f.iss.sign(f.claimsWith(map[string]any{"nbf": now + 31})),
		"nbf null":           f.iss.sign(f.claimsWith(map[string]any{"nbf": nil})),
		"jti a number":       f.iss.sign(f.claimsWith(map[string]any{"jti": 5})),
		"sub a number":       f.iss.sign(f.claimsWith(map[string]any{"sub": 5})),
		"HS256":              signWith(t, jose.HS256, []byte("0123456789abcdef0123456789abcdef"), f.iss.keyID(), f.claimsWith(nil)),
		"unknown kid":        signWith(t, jose.RS256, newSigningKey().Key, "not-a-kid", f.claimsWith(nil)),
		"no kid":             signWith(t, jose.RS256, f.iss.keys[0].Key, "", f.claimsWith(nil)),
		"another key":        signWith(t, jose.RS256, newSigningKey().Key, f.iss.keyID(), f.claimsWith(nil)),
		"alg none":           b64(`{"alg":"none","typ":"JWT","kid":"`+f.iss.keyID()+`"}`) + "." + b64(mustJSON(t, f.claimsWith(nil))) + ".",
		"signature tampered": tamper(f.iss.Token("pypi")),
	}
	want := mintError("invalid-token", "malformed or invalid token")
	for name, jwt := range cases {
		if status, body := f.mint(t, jwt); status != 422 || body != want {
			t.Errorf("%s: got %d %s, want 422 %s", name, status, body, want)
		}
	}
	if n := len(f.srv.Minted()); n != 0 {
		t.Errorf("%d tokens minted", n)
	}
}

// Warehouse allows 30 seconds of clock skew on exp, iat and nbf.
func TestMintLeeway(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	now := testEpoch.Unix()
	for name, changes := range map[string]map[string]any{
		"expired 29s ago":      {"exp": now - 29},
		"issued 30s ahead":     {"iat": now + 30},
		"not before 30s ahead": {"nbf": now + 30},
		"exp 28.5s ago":        {"exp": float64(now) - 28.5},
	} {
		if status, body := f.mint(t, f.iss.sign(f.claimsWith(changes))); status != http.StatusOK {
			t.Errorf("%s: got %d %s, want 200", name, status, body)
		}
	}
	// A token the issuer gave is good for its 5 minutes and the leeway.
	jwt := f.iss.Token("pypi")
	f.clock.Advance(5*time.Minute + 30*time.Second)
	want := mintError("invalid-token", "malformed or invalid token")
	if status, body := f.mint(t, jwt); status != 422 || body != want {
		t.Errorf("after 5m30s: got %d %s, want 422 %s", status, body, want)
	}
	jwt = f.iss.Token("pypi")
	f.clock.Advance(5*time.Minute + 29*time.Second)
	if status, body := f.mint(t, jwt); status != http.StatusOK {
		t.Errorf("after 5m29s: got %d %s, want 200", status, body)
	}
}

func TestMintAfterKeyRotation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	old := f.iss.Token("pypi")
	if status, body := f.mint(t, f.iss.Token("pypi")); status != 200 {
		t.Fatalf("before rotation: %d %s", status, body)
	}
	f.iss.rotateKey()
	if status, body := f.mint(t, f.iss.Token("pypi")); status != 200 {
		t.Errorf("new key: %d %s (the server must fetch the JWKS again)", status, body)
	}
	if status, body := f.mint(t, old); status != 200 {
		t.Errorf("old key, still published: %d %s", status, body)
	}
}

func TestMintOverTLS(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{}, WithTLS())
	if !strings.HasPrefix(f.srv.URL, "https://") {
		t.Fatalf("URL %s is not https", f.srv.URL)
	}
	if status, body := f.mint(t, f.iss.Token("pypi")); status != 200 {
		t.Errorf("got %d %s", status, body)
	}
}

func TestMintedTokenLifetime(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	f.clock.Advance(1500 * time.Millisecond) // minting truncates to seconds
	if status, body := f.mint(t, f.iss.Token("pypi")); status != 200 {
		t.Fatalf("got %d %s", status, body)
	}
	m := f.srv.Minted()[0]
	if want := testEpoch.Add(time.Second); !m.NotBefore.Equal(want) || !m.Expires.Equal(want.Add(900*time.Second)) {
		t.Errorf("token lives %v to %v, want %v plus 900s", m.NotBefore, m.Expires, want)
	}
}

// b64 encodes s as a JWT segment.
func b64(s string) string { return strings.TrimRight(jsonBase64(s), "=") }

func jsonBase64(s string) string {
	return base64RawURL([]byte(s))
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// signWith signs claims as a compact JWS with the given algorithm, key and
// kid ("" for none).
func signWith(t *testing.T, alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: key, KeyID: kid}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign([]byte(mustJSON(t, claims)))
	if err != nil {
		t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tamper changes one character of the token's signature.
func tamper(jwt string) string {
	b := []byte(jwt)
	i := len(b) - 5
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// The server keeps the keys it fetched: with the issuer down, tokens signed
// by a known key are still accepted, and others are not.
func TestMintIssuerDown(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	second := f.iss.Token("pypi")
	if status, body := f.mint(t, f.iss.Token("pypi")); status != 200 {
		t.Fatalf("got %d %s", status, body)
	}
	f.iss.rotateKey()
	f.iss.Close()
	if status, body := f.mint(t, second); status != 200 {
		t.Errorf("known key, issuer down: %d %s", status, body)
	}
	want := mintError("invalid-token", "malformed or invalid token")
	if _, body := f.mint(t, f.iss.Token("pypi")); body != want {
		t.Errorf("new key, issuer down: %s, want %s", body, want)
	}
}
