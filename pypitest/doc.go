// Package pypitest provides fakes for testing code that publishes to PyPI
// by trusted publishing, in the manner of net/http/httptest: a fake PyPI
// ([Server]) and a fake GitHub Actions identity provider ([Issuer]), each an
// HTTP server on the loopback interface that a test starts with one call
// and that stops when the test ends.
//
//	iss := pypitest.NewIssuer(t)
//	srv := pypitest.NewServer(t, pypitest.WithIssuer(iss))
//	srv.AddPublisher(iss.Run().Publisher("sampleproject"))
//	env := iss.Env() // ACTIONS_ID_TOKEN_REQUEST_URL and friends
//	// ... run the code under test against srv.URL with env ...
//
// # The issuer
//
// An [Issuer] serves OIDC discovery, a JWKS and GitHub's token endpoint (the
// URL in ACTIONS_ID_TOKEN_REQUEST_URL). Its tokens are RS256 JWTs carrying
// GitHub's claims for the job its [GitHubRun] describes; [Issuer.Env] and
// [Issuer.Setenv] give a test the environment of such a job, and
// [Issuer.Sign] signs arbitrary claims for tests of bad tokens.
//
// # The index
//
// A [Server] answers GET /_/oidc/audience and POST /_/oidc/mint-token (and
// the legacy /_/oidc/github/mint-token) as Warehouse does (spec/oidc-mint.md
// §2). Minting runs Warehouse's checks in its order, answering each failure
// with 422 and {"message": "Token request failed", "errors": [{"code": ...,
// "description": ...}]}, in Warehouse's exact words:
//
//  1. the body must be the JSON object {"token": "<string>"}
//     (invalid-payload, with pydantic's message);
//  2. the token must decode as a JWT with an iss claim (invalid-payload,
//     "malformed JWT");
//  3. iss must be the URL of the server's Issuer (invalid-payload, "unknown
//     trusted publishing issuer");
//  4. trusted publishing must not be disabled (not-enabled);
//  5. the token must be signed with RS256 by a key of the issuer's JWKS,
//     fetched over HTTP by kid, and carry iss, iat, exp and a single aud equal
//     to the server's audience, with exp, iat and nbf judged with 30 seconds
//     of leeway (invalid-token, "malformed or invalid token");
//  6. the claims must match a registered [GitHubPublisher] exactly as
//     Warehouse's GitHub publisher matches them (invalid-publisher, with
//     Warehouse's inner reason): the claims it requires must be present;
//     owner, repository name, owner ID and workflow file name (taken from
//     job_workflow_ref) select the publisher, compared exactly, preferring
//     one bound to the token's environment (compared case-insensitively)
//     over one that accepts any; job_workflow_ref must name that workflow
//     at the token's ref or sha; then the jti must not have been used
//     before (invalid-reuse-token); pull_request_target is refused.
//
// Success is 200 {"success": true, "token": "pypi-...", "expires": N}, a
// token valid for 900 seconds for uploads to the publisher's projects.
// [Server.Minted] and [Server.JTIs] show what was exchanged.
//
// # Uploads
//
// The same Server also serves PyPI's upload API and its simple and JSON
// APIs. Uploads authenticate as at PyPI: HTTP Basic with the username
// __token__ and a token the server minted (refused once expired, or for a
// project not of its publisher) or one registered with
// [Server.AddAPIToken]. [Server.AddUser] makes the server also accept a
// username and password, as indexes other than PyPI do.
//
// # Testing failures
//
// Clocks are injectable ([WithClock], [WithIssuerClock], [Clock]), so
// expiry is tested without waiting. Canned answers ([Reply]) replace an
// endpoint's ([Server.SetAudienceReply], [Server.SetMintReply],
// [Issuer.SetTokenReply]) to test clients' error paths: 403, 404, 5xx,
// HTML error pages, bodies that are not JSON, slow answers.
// [Server.DisableTrustedPublishing] and [WithoutTrustedPublishing] make an
// index that refuses trusted publishing or knows nothing of it;
// [GitHubRun] NoIDToken and Fork make a job without a token.
//
// Deviations from PyPI: pending publishers, organization issuers and
// providers other than GitHub are not emulated; the JWKS is fetched again
// on every unknown kid, without Warehouse's 60-second cool-down.
package pypitest
