// Package pypitest provides fakes for testing code that publishes to PyPI
// by trusted publishing, in the manner of net/http/httptest: a fake PyPI
// ([Server]) and a fake GitHub Actions identity provider ([Issuer]), each an
// HTTP server on the loopback interface. A test starts one with one call
// and it stops when the test ends:
//
//	func TestPublish(t *testing.T) {
//		t.Parallel()
//		iss := pypitest.NewIssuer(t)
//		srv := pypitest.NewServer(t, pypitest.WithIssuer(iss))
//		srv.AddPublisher(iss.Run().Publisher("sampleproject"))
//		env := iss.Env() // ACTIONS_ID_TOKEN_REQUEST_URL and friends
//
//		// ... publish a wheel to srv.URL+"/legacy/" with env ...
//
//		if files := srv.Files(); len(files) != 1 {
//			t.Fatalf("stored %d files, want 1", len(files))
//		}
//	}
//
// A program (a command serving the fakes to other processes, an example)
// starts them with [StartServer] and [StartIssuer] instead, and calls
// Close when done.
//
// # The issuer
//
// An [Issuer] serves OIDC discovery, a JWKS and GitHub's token endpoint (the
// URL in ACTIONS_ID_TOKEN_REQUEST_URL). Its tokens are RS256 JWTs carrying
// GitHub's claims for the job its [GitHubRun] describes; [Issuer.Env] and
// [Issuer.Setenv] give a test the environment of such a job, and
// [Issuer.Sign] signs arbitrary claims for tests of bad tokens.
//
// # Trusted publishing
//
// A [Server] answers GET /_/oidc/audience with {"audience": "pypi"} (see
// [WithAudience]), and POST /_/oidc/mint-token and its legacy alias
// /_/oidc/github/mint-token as Warehouse does (spec/oidc-mint.md §2).
// Minting runs Warehouse's checks in its order, answering each failure
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
//  6. the claims must match a [GitHubPublisher] registered with
//     [Server.AddPublisher] exactly as Warehouse's GitHub publisher matches
//     them (invalid-publisher, with
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
// POST /legacy/ is PyPI's upload API (spec/upload.md); POST /legacy is
// redirected there with 308, a GET or a POST without :action shows the
// upload page, and retired actions get 410. Credentials are judged next,
// as at PyPI: HTTP Basic with the username __token__ (or the "token" and
// "bearer" schemes) and an upload token, either one the server minted,
// refused once expired or for a project not of its publisher, or one
// registered with [Server.AddAPIToken], account-wide or scoped to
// projects. A username and password is refused with PyPI's message unless
// registered with [Server.AddUser], as indexes other than PyPI accept
// them. Then the upload is judged in Warehouse's order, each refusal a
// 400 (403 for credentials and permissions) with Warehouse's message in
// the status line and a body in the type Accept asks for: the
// protocol_version; the name, filetype, pyversion and digest fields; the
// metadata the form describes, under PyPI's rules; whether a trusted
// publisher is creating a project (it may not); the upload permission; the
// file name and extension; the size limit ([Server.SetMaxFileSize],
// default 100 MiB); the digests against the file; reuse of a file name
// (also of a deleted file, see [Server.DeleteFile]) or of a file's hash;
// the 14-day window for adding files to a release; one sdist per release;
// the distribution file itself; and PEP 740 attestations, whose statement
// (not signature) is checked. An exact re-upload of a stored file succeeds
// and stores nothing. [Server.Uploads] records every request with its
// answer; [Server.Files] and [Server.File] give what was stored.
//
// # Simple and JSON APIs
//
// The stored files are served as PyPI serves them: GET /simple/ lists the
// projects and /simple/<name>/ lists a project's files (non-normalized
// names are redirected), as PEP 691 JSON
// (application/vnd.pypi.simple.v1+json) or HTML as the Accept header
// prefers, HTML by default, with hashes, requires-python and PEP 658 core
// metadata. GET /pypi/<name>/json and /pypi/<name>/<version>/json are the
// JSON API. Files and their metadata are served under /packages/, at the
// URLs those pages give.
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
// Fault knobs make uploads misbehave as networks and overloaded indexes
// do: [Server.FailUploads] answers the next uploads with a canned
// [Reply] (a 503 page, a 429), [Server.ResetUploads] cuts their
// connection after some bytes of the body, [Server.LoseUploadResponses]
// stores them but closes the connection without an answer,
// [Server.SetLatency] delays every answer of the upload, simple and JSON
// APIs, [Server.SetBandwidth] throttles reading upload bodies, and
// [Server.SetMaxFileSize] lowers the size limit.
//
// Deviations from PyPI: pending publishers, organization issuers and
// providers other than GitHub are not emulated; the JWKS is fetched again
// on every unknown kid, without Warehouse's 60-second cool-down;
// attestation signatures are not verified; yanking is not emulated.
package pypitest
