// Package mint exchanges a CI identity token for a short-lived PyPI upload
// token, by PyPI's trusted publishing protocol:
//
//	GET  https://{index}/_/oidc/audience     -> {"audience": "pypi"}
//	POST https://{index}/_/oidc/mint-token   {"token": "<JWT>"}
//	                                          -> {"success": true, "token": "pypi-...", "expires": 1700000900}
//
// The index is derived from the upload URL as gh-action-pypi-publish does
// ([IndexFromUploadURL]). [Config.Audience] and [Config.Mint] make the two
// calls; [TokenSource] returns a [golang.org/x/oauth2.TokenSource] that
// reuses a PyPI token and mints a new one, from a new identity token, when
// less than five minutes of its fifteen remain.
//
// Failures are [*Error] values whose messages are those of
// gh-action-pypi-publish, with PyPI's reasons and the identity token's
// claims. No token ever appears in an error or a log line; a
// [Config.Masker] sees every token before it is returned.
package mint
