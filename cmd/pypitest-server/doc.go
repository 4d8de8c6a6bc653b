// Command pypitest-server runs the fake PyPI of package pypitest and its
// fake GitHub Actions identity provider as a standalone server on the
// loopback interface, so that any publisher (twine, uv, a shell script, a
// program in any language) can be tested against an index that judges
// uploads as PyPI does.
//
// Usage:
//
//	pypitest-server [flags]
//
// It prints the URLs a client needs, one KEY=value line each (or one JSON
// object with -json), then serves until interrupted (SIGINT or SIGTERM):
//
//	PYPITEST_URL=http://127.0.0.1:40123
//	PYPITEST_UPLOAD_URL=http://127.0.0.1:40123/legacy/
//	PYPITEST_ISSUER_URL=http://127.0.0.1:40125
//	ACTIONS_ID_TOKEN_REQUEST_URL=http://127.0.0.1:40125/_apis/idtoken?api-version=2.0
//	ACTIONS_ID_TOKEN_REQUEST_TOKEN=ghs_...
//	GITHUB_REPOSITORY=octo-org/sampleproject
//	...
//	PYPITEST_READY=1
//
// The lines after the URLs are the environment of the GitHub Actions job
// the issuer pretends to run: export them to make a trusted-publishing
// client believe it runs in that job. PYPITEST_READY comes last.
//
// Credentials: -token registers an API token (uploads as
// "__token__:<token>"), -user a username and password (which PyPI itself
// refuses), -publisher a trusted publisher whose tokens the index mints
// in exchange for the issuer's identity tokens. Faults: -latency delays
// every answer of the upload, simple and JSON APIs, -bandwidth caps how
// fast upload bodies are read, and -fail-uploads, -reset-uploads and
// -lose-responses make the next uploads fail, be cut or lose their
// answer.
//
// With -tls-cert and -tls-key the index serves HTTPS with that
// certificate, offering HTTP/2 and HTTP/1.1 by ALPN as PyPI does (the
// issuer stays on plain HTTP); clients trust it by their CA option, such
// as twine's --cert.
//
// With -sigstore it also runs the fake Sigstore of package pypitest
// (Fulcio and Rekor on one server, trusting the issuer's tokens for
// audience "sigstore"), for signing PEP 740 attestations, and announces
// PYPITEST_SIGSTORE_URL and PYPITEST_SIGSTORE_TRUSTED_ROOT, the path of a
// trusted_root.json for it, which is removed when the server stops. The
// index then verifies uploaded attestations against that root, as PyPI
// verifies them against Sigstore's, and serves their provenance at
// /integrity/<project>/<version>/<file>/provenance.
//
// Example, in a shell script testing twine:
//
//	coproc pypitest-server -token pypi-test-token
//	while read -r line <&"${COPROC[0]}" && [ "$line" != PYPITEST_READY=1 ]; do
//		export "$line"
//	done
//	twine upload --repository-url "$PYPITEST_UPLOAD_URL" \
//		-u __token__ -p pypi-test-token dist/*
//	kill "$COPROC_PID"
//
// Run pypitest-server -h for every flag.
package main
