package pypitest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/trustpub/pypi/internal/pyfmt"
)

// Limits of Warehouse's mint view (warehouse/oidc/views.py, services.py).
const (
	mintedTokenLifetime = 900 * time.Second // macaroon Expiration caveat
	jwtLeeway           = 30                // seconds of clock skew PyJWT allows
	maxMintBody         = 1 << 20
)

// errInternal marks input on which Warehouse raises an unhandled exception:
// the fake answers 500, as PyPI would.
var errInternal = errors.New("pypitest: Warehouse would crash on these claims")

// disallowedOIDCBody is the audience endpoint's answer under the admin flag
// disallow-oidc (WebOb's compact JSON).
const disallowedOIDCBody = `{"message":"Trusted publishing functionality not enabled"}`

func (s *Server) serveAudience(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	reply, disabled := s.audienceReply, s.disabled
	s.mu.Unlock()
	switch {
	case reply != nil:
		reply.serve(w, r)
	case r.Method != http.MethodGet:
		methodNotAllowed(w, http.MethodGet)
	case disabled:
		writeBody(w, http.StatusForbidden, "application/json", []byte(disallowedOIDCBody))
	default:
		writeBody(w, http.StatusOK, "application/json", pyfmt.JSON(pyfmt.Object{{Key: "audience", Value: s.audience}}))
	}
}

// serveMintToken exchanges an identity token for an upload token, running
// Warehouse's checks in its order (mint_token_from_oidc, mint_token).
func (s *Server) serveMintToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	reply, disabled := s.mintReply, s.disabled
	s.mu.Unlock()
	if reply != nil {
		reply.serve(w, r)
		return
	}
	if r.Method != http.MethodPost {
		methodNotAllowed(w, http.MethodPost)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxMintBody))
	if err != nil {
		return // the client went away
	}
	token, problem := parseTokenPayload(body)
	if problem != "" {
		writeMintError(w, "invalid-payload", problem)
		return
	}
	header, claims, ok := decodeUnverified(token)
	if !ok || !hasKey(claims, "iss") {
		writeMintError(w, "invalid-payload", "malformed JWT")
		return
	}
	if s.issuer == nil || claims["iss"] != s.issuer.URL {
		writeMintError(w, "invalid-payload", "unknown trusted publishing issuer")
		return
	}
	if disabled {
		writeMintError(w, "not-enabled", "github trusted publishing functionality not enabled")
		return
	}
	verified, ok := s.verifyJWT(r.Context(), token, header)
	if !ok {
		writeMintError(w, "invalid-token", "malformed or invalid token")
		return
	}
	minted, err := s.mint(verified)
	var invalid invalidPublisher
	switch {
	case errors.As(err, &invalid):
		writeMintError(w, "invalid-publisher", "valid token, but no corresponding publisher ("+string(invalid)+")")
	case errors.Is(err, errReusedToken):
		writeMintError(w, "invalid-reuse-token", "invalid token: already used")
	case err != nil:
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
	default:
		writeBody(w, http.StatusOK, "application/json", pyfmt.JSON(pyfmt.Object{
			{Key: "success", Value: true}, {Key: "token", Value: minted.Token}, {Key: "expires", Value: minted.Expires.Unix()},
		}))
	}
}

// mint finds the publisher for verified claims, records their jti and
// mints an upload token. One lock covers it all, so the jti check in
// findPublisher also stands for Warehouse's second, atomic one.
func (s *Server) mint(claims map[string]any) (MintedToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.findPublisher(claims)
	if err != nil {
		return MintedToken{}, err
	}
	jti := claims["jti"].(string) // required by findPublisher, a string by verifyJWT
	if jti != "" {                // Warehouse records only a non-empty jti
		s.jtis[jti] = true
	}
	notBefore := time.Unix(s.now().Unix(), 0)
	pub := p.GitHubPublisher
	pub.Project = p.projects[0]
	id := Identity{Publisher: &pub, Projects: slices.Clone(p.projects), NotBefore: notBefore, Expires: notBefore.Add(mintedTokenLifetime)}
	m := MintedToken{Token: "pypi-" + randomString(64), JTI: jti, Identity: id}
	s.minted = append(s.minted, m)
	s.tokens[m.Token] = &id
	return m, nil
}

// methodNotAllowed refuses a request whose method the view does not take,
// as Warehouse's require_methods does.
func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	http.Error(w, "405 Method Not Allowed", http.StatusMethodNotAllowed)
}

// writeMintError answers 422 with Warehouse's error document, which always
// holds exactly one error.
func writeMintError(w http.ResponseWriter, code, description string) {
	writeBody(w, http.StatusUnprocessableEntity, "application/json", pyfmt.JSON(pyfmt.Object{
		{Key: "message", Value: "Token request failed"},
		{Key: "errors", Value: []pyfmt.Object{{{Key: "code", Value: code}, {Key: "description", Value: description}}}},
	}))
}

// decodeUnverified splits a compact JWT and decodes its header and claims
// without checking the signature, as jwt.decode(verify_signature=False)
// does: three base64url segments, the first two JSON objects.
func decodeUnverified(token string) (header, claims map[string]any, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, nil, false
	}
	if _, err := decodeSegment(parts[2]); err != nil {
		return nil, nil, false
	}
	if header, ok = decodeObjectSegment(parts[0]); !ok {
		return nil, nil, false
	}
	if claims, ok = decodeObjectSegment(parts[1]); !ok {
		return nil, nil, false
	}
	return header, claims, true
}

// decodeSegment decodes base64url with or without padding.
func decodeSegment(seg string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
}

func decodeObjectSegment(seg string) (map[string]any, bool) {
	b, err := decodeSegment(seg)
	if err != nil {
		return nil, false
	}
	return decodeObject(b)
}

// decodeObject decodes a JSON object, keeping numbers as json.Number.
func decodeObject(b []byte) (map[string]any, bool) {
	var v any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if d.Decode(&v) != nil || d.InputOffset() != int64(len(bytes.TrimRight(b, " \t\r\n"))) {
		return nil, false
	}
	m, ok := v.(map[string]any)
	return m, ok
}

func hasKey(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

// verifyJWT checks the token as Warehouse's verify_jwt_signature does: a
// kid known to the issuer's JWKS, RS256 only, a valid signature, then the
// claims (iss, iat, exp and aud required; exp, iat and nbf judged with 30
// seconds of leeway; aud exactly the server's audience; sub and jti strings
// if present). It returns the verified claims.
func (s *Server) verifyJWT(ctx context.Context, token string, header map[string]any) (map[string]any, bool) {
	kid, ok := header["kid"].(string)
	if !ok {
		return nil, false
	}
	key, ok := s.issuerKey(ctx, kid)
	if !ok {
		return nil, false
	}
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, false
	}
	payload, err := jws.Verify(key.Key)
	if err != nil {
		return nil, false
	}
	claims, ok := decodeObject(payload)
	if !ok || !s.validClaims(claims) {
		return nil, false
	}
	return claims, true
}

// validClaims applies PyJWT's claim checks with Warehouse's options.
func (s *Server) validClaims(c map[string]any) bool {
	for _, name := range []string{"iss", "iat", "exp", "aud"} {
		if c[name] == nil {
			return false
		}
	}
	now := float64(s.now().UnixNano()) / 1e9
	iat, ok := claimInt(c["iat"])
	if !ok || iat > now+jwtLeeway {
		return false
	}
	if hasKey(c, "nbf") {
		if nbf, ok := claimInt(c["nbf"]); !ok || nbf > now+jwtLeeway {
			return false
		}
	}
	if exp, ok := claimInt(c["exp"]); !ok || exp <= now-jwtLeeway {
		return false
	}
	if c["iss"] != s.issuer.URL || c["aud"] != s.audience {
		return false
	}
	for _, name := range []string{"sub", "jti"} {
		if _, isString := c[name].(string); hasKey(c, name) && !isString {
			return false
		}
	}
	return true
}

// claimInt returns a numeric date claim truncated to whole seconds, as
// Python's int() does.
func claimInt(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	if err != nil {
		return 0, false
	}
	return math.Trunc(f), true
}

// issuerKey returns the issuer's key kid, fetching the issuer's JWKS again
// when kid is not among the keys last fetched. A failed fetch keeps the old
// keys, as Warehouse's cache does.
func (s *Server) issuerKey(ctx context.Context, kid string) (jose.JSONWebKey, bool) {
	s.mu.Lock()
	key, ok := s.jwks[kid]
	s.mu.Unlock()
	if ok {
		return key, true
	}
	keys, err := s.fetchJWKS(ctx)
	if err != nil || len(keys) == 0 {
		return jose.JSONWebKey{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jwks = keys
	key, ok = keys[kid]
	return key, ok
}

// fetchJWKS reads the issuer's discovery document and then its JWKS,
// returning the keys by kid. Keys that do not parse are left out.
func (s *Server) fetchJWKS(ctx context.Context) (map[string]jose.JSONWebKey, error) {
	var conf struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := s.getIssuerJSON(ctx, s.issuer.URL+discoveryPath, &conf); err != nil {
		return nil, err
	}
	if conf.JWKSURI == "" {
		return nil, errors.New("pypitest: discovery document without jwks_uri")
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := s.getIssuerJSON(ctx, conf.JWKSURI, &set); err != nil {
		return nil, err
	}
	keys := map[string]jose.JSONWebKey{}
	for _, raw := range set.Keys {
		var k jose.JSONWebKey
		if json.Unmarshal(raw, &k) == nil {
			keys[k.KeyID] = k
		}
	}
	return keys, nil
}

// getIssuerJSON GETs url with the issuer's client (5 s timeout, as
// Warehouse) and decodes its JSON answer into v.
func (s *Server) getIssuerJSON(ctx context.Context, url string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := s.issuer.Client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		return errors.New("pypitest: issuer answered " + resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v)
}
