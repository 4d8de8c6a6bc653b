// Package mint exchanges a CI identity token for a short-lived PyPI upload
// token, by PyPI's Trusted Publishing protocol:
//
//	GET  {origin}/_/oidc/audience     -> {"audience": "pypi"}
//	POST {origin}/_/oidc/mint-token   {"token": "<JWT>"}
//	                                   -> {"success": true, "token": "pypi-...", "expires": 1700000900}
//
// The origin is that of the index's upload URL ([Config.UploadURL]), as
// gh-action-pypi-publish derives it. [Config.TrustedPublishing] runs the
// whole sequence with an [oidc.Config]; [Config.Audience] and
// [Config.Mint] make the two calls one by one, and [Config.TokenSource]
// returns a [golang.org/x/oauth2.TokenSource] that reuses a PyPI token and
// mints a new one, from a new identity token, when less than five minutes
// of its fifteen remain.
//
// Failures at the index are [*Error] values: one line, with the index's
// reasons and the identity token's claims as fields for a caller to
// render; one from an index without Trusted Publishing matches
// [ErrAudienceNotFound]. [Config.TrustedPublishing] also fails outside any
// known CI, with [oidc.ErrNoAmbientCredential] before any request, and
// with an [*oidc.AmbientError] when the CI does not hand out tokens. No token
// ever appears in an error or a log line; a [Config.Masker] sees every
// token before it is returned.
package mint
