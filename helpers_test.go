package pypi_test

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/trustpub/pypi"
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
}

func newFixture(t *testing.T, run pypitest.GitHubRun) *fixture {
	t.Helper()
	iss := pypitest.NewIssuer(pypitest.WithRun(run))
	t.Cleanup(iss.Close)
	srv := pypitest.NewServer(pypitest.WithIssuer(iss))
	t.Cleanup(srv.Close)
	srv.AddPublisher(iss.Run().Publisher("sampleproject"))
	return &fixture{iss: iss, srv: srv, env: iss.Env(), dir: t.TempDir()}
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
// in the Actions job's environment.
func (f *fixture) options() pypi.Options {
	return pypi.Options{
		Files:      []string{f.dir},
		Repository: f.srv.URL + "/legacy/",
		Checks:     pypi.ChecksPyPI,
		Getenv:     func(k string) string { return f.env[k] },
		HTTPClient: f.srv.Client(),
	}
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
