package oidc

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// Claims are the payload of a JWT, decoded without verifying its
// signature. They are for diagnostics only: never trust them.
// Numbers are kept as [json.Number].
type Claims map[string]any

// ParseUnverified decodes the claims of a compact JWT without checking its
// signature. The error wraps [ErrMalformedToken] and never contains the
// token.
func ParseUnverified(jwt string) (Claims, error) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: not three dot-separated parts", ErrMalformedToken)
	}
	// JWTs use unpadded base64url; tolerate padding as the Python tools do.
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, fmt.Errorf("%w: payload is not base64url", ErrMalformedToken)
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, fmt.Errorf("%w: payload is not JSON", ErrMalformedToken)
	}
	c, ok := v.(map[string]any)
	if !ok {
		return nil, errNotObject
	}
	return Claims(c), nil
}

// errNotObject is the ParseUnverified error for a payload that is JSON but
// not an object, which the PyPI package id reports with its own message.
var errNotObject = fmt.Errorf("%w: payload is not a JSON object", ErrMalformedToken)

// Get returns the named claim rendered as Python's str() renders it (so a
// boolean is "True", null is "None", a list is "['a', 'b']"), and whether
// the claim is present.
func (c Claims) Get(name string) (string, bool) {
	v, ok := c[name]
	if !ok {
		return "", false
	}
	return pyfmt.Str(v), true
}

// Expiry returns the time of the exp claim, or the zero time when it is
// missing or not a number.
func (c Claims) Expiry() time.Time {
	n, ok := c["exp"].(json.Number)
	if !ok {
		return time.Time{}
	}
	f, err := n.Float64()
	if err != nil {
		return time.Time{}
	}
	return time.Unix(int64(f), 0)
}

// ReusableWorkflow reports whether the claims show a GitHub reusable
// workflow (job_workflow_ref differs from workflow_ref), which PyPI's
// Trusted Publishing does not officially support, with the workflow the
// job runs (called) and the one that called it (caller), rendered as
// [Claims.Get] does ("None" when missing).
func (c Claims) ReusableWorkflow() (called, caller string, ok bool) {
	caller, callerOK := c.Get("workflow_ref")
	called, calledOK := c.Get("job_workflow_ref")
	if callerOK == calledOK && caller == called {
		return "", "", false
	}
	if !callerOK {
		caller = "None"
	}
	if !calledOK {
		called = "None"
	}
	return called, caller, true
}
