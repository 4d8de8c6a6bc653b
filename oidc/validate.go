package oidc

import (
	"errors"
	"fmt"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// checkToken makes the local sanity checks of the PyPI package id on a
// token the CI returned: a JWT whose payload is an object with an aud claim
// equal to audience. The returned error is an id-style detail, never the
// token.
func checkToken(jwt, audience string) (Claims, error) {
	claims, err := ParseUnverified(jwt)
	switch {
	case errors.Is(err, errNotObject):
		//lint:ignore ST1005 the PyPI package id's words, reproduced exactly
		return nil, errors.New("Malformed token payload (JWT is not a JSON object)")
	case err != nil:
		//lint:ignore ST1005 the PyPI package id's words, reproduced exactly
		return nil, errors.New("Malformed token")
	}
	aud, ok := claims["aud"]
	if !ok {
		//lint:ignore ST1005 the PyPI package id's words, reproduced exactly
		return nil, errors.New("Malformed token payload (audience claim is missing)")
	}
	if s, ok := aud.(string); !ok || s != audience {
		return nil, fmt.Errorf("Token audience claim mismatch (expected %s, got %s)", audience, pyfmt.Str(aud))
	}
	return claims, nil
}
