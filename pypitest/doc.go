// Package pypitest provides fakes for testing code that publishes to PyPI
// by trusted publishing, in the manner of net/http/httptest: a fake PyPI
// ([Server]) and a fake GitHub Actions identity provider ([Issuer]), each an
// HTTP server on the loopback interface, and the distributions to publish
// to them ([Dist]).
//
//	func TestPublish(t *testing.T) {
//		t.Parallel()
//		iss := pypitest.NewIssuer()
//		t.Cleanup(iss.Close)
//		srv := pypitest.NewServer(pypitest.WithIssuer(iss))
//		t.Cleanup(srv.Close)
//		srv.AddPublisher(iss.Run().Publisher("sampleproject"))
//
//		// ... publish to srv.UploadURL() with iss.Getenv as the environment ...
//
//		if files := srv.Files(); len(files) != 1 {
//			t.Fatalf("stored %d files, want 1", len(files))
//		}
//	}
//
// The Server answers as Warehouse (PyPI's code, at the version UPSTREAM.md
// names) does, running its checks in its order and refusing in its words:
//
//	endpoint                        answers
//	GET  /_/oidc/audience           {"audience": "pypi"} (see WithAudience)
//	POST /_/oidc/mint-token         an upload token for 900 s, or 422 with
//	     (and /_/oidc/github/...)   Warehouse's error codes and descriptions
//	POST /legacy/                   the upload API: 200, or 400/403 with
//	                                Warehouse's message in the status line
//	GET  /simple/, /simple/<name>/  PEP 691 JSON or HTML, with PEP 658 metadata
//	GET  /pypi/<name>[/<ver>]/json  the JSON API
//	GET  /packages/...              the stored files and their metadata
//	GET  /integrity/<name>/<ver>/   the provenance of a file uploaded with
//	     <file>/provenance          PEP 740 attestations (the integrity API)
//
// Attestations (the upload's attestations field) are accepted only from a
// trusted publisher. With [WithSigstore] they are verified as Warehouse
// verifies them (package attest) against a fake Sigstore's trusted root
// ([NewSigstore]) and the policy of the publisher that minted the token;
// without it only their statements are checked (one subject, the file's
// name and sha256, a supported predicate type, each type once).
//
// Credentials are tokens the server minted, API tokens ([Server.AddAPIToken])
// and, unlike PyPI, passwords ([Server.AddUser]). Clocks are injectable
// ([WithClock], [Clock]), canned answers ([Reply]) replace an endpoint's
// ([Server.SetMintReply], [Server.FailUploads]), and fault knobs make
// uploads break off, lose their answer or go slowly.
//
// Not emulated: pending publishers, organization issuers, providers other
// than GitHub, Warehouse's 60-second cool-down between JWKS fetches,
// the DISABLE_PEP740 admin flag and yanking.
package pypitest
