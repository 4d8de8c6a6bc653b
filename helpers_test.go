package pypi_test

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/examples/quickstart/sampledist"
	"github.com/trustpub/pypi/pypitest"
)

// fixture is a fake PyPI that trusts a fake GitHub Actions issuer, with a
// trusted publisher registered for "sampleproject", and a directory of
// files to publish.
type fixture struct {
	iss *pypitest.Issuer
	srv *pypitest.Server
	env map[string]string // the Actions job's environment
	dir string            // the "dist" directory
	// sig, in a fixture of newSigstoreFixture, is the fake Sigstore that
	// the options sign with and the fake PyPI verifies against.
	sig  *pypitest.Sigstore
	root *attest.TrustedRoot // sig's
}

func newFixture(t *testing.T, run pypitest.GitHubRun) *fixture {
	t.Helper()
	iss := pypitest.NewIssuer(pypitest.WithRun(run))
	t.Cleanup(iss.Close)
	return newFixtureOf(t, iss, nil)
}

// newSigstoreFixture is newFixture with a fake Sigstore trusting the
// issuer, whose attestations the fake PyPI verifies as PyPI does.
func newSigstoreFixture(t *testing.T, run pypitest.GitHubRun) *fixture {
	t.Helper()
	iss := pypitest.NewIssuer(pypitest.WithRun(run))
	t.Cleanup(iss.Close)
	sig := pypitest.NewSigstore(pypitest.WithIssuer(iss))
	t.Cleanup(sig.Close)
	return newFixtureOf(t, iss, sig)
}

func newFixtureOf(t *testing.T, iss *pypitest.Issuer, sig *pypitest.Sigstore) *fixture {
	t.Helper()
	opts := []pypitest.Option{pypitest.WithIssuer(iss)}
	f := &fixture{iss: iss, env: iss.Env(), dir: t.TempDir(), sig: sig}
	if sig != nil {
		opts = append(opts, pypitest.WithSigstore(sig))
		root, err := attest.ParseTrustedRoot(sig.TrustedRoot())
		if err != nil {
			t.Fatal(err)
		}
		f.root = root
	}
	f.srv = pypitest.NewServer(opts...)
	t.Cleanup(f.srv.Close)
	f.srv.AddPublisher(iss.Run().Publisher("sampleproject"))
	return f
}

// build writes the sample project's wheel and sdist at version into the
// fixture's directory.
func (f *fixture) build(t *testing.T, version string) []string {
	t.Helper()
	paths, err := sampledist.Project{Name: "sampleproject", Version: version}.Build(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// options publish the fixture's directory to its server by PyPI's rules,
// in the Actions job's environment; with a fake Sigstore, signing
// attestations there with the job's identity tokens.
func (f *fixture) options() pypi.Options {
	o := pypi.Options{
		Files:      []string{f.dir},
		Repository: f.srv.URL + "/legacy/",
		Checks:     pypi.ChecksPyPI,
		Getenv:     func(k string) string { return f.env[k] },
		HTTPClient: f.srv.Client(),
	}
	if f.sig != nil {
		o.Signer = &attest.Signer{FulcioURL: f.sig.FulcioURL(), RekorURL: f.sig.RekorURL(), HTTPClient: f.sig.Client(),
			Backoff: time.Millisecond, TrustedRoot: f.root}
	}
	return o
}

// writeFile writes data to dir/name.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// noNetwork returns an HTTP client that fails the test on any request.
func noNetwork(t *testing.T) *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request: %s %s", r.Method, r.URL)
		return nil, errors.New("no network in this test")
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
