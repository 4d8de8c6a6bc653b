package pypi_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/examples/quickstart/sampledist"
	"github.com/trustpub/pypi/pypitest"
)

// exampleT is the testing.TB an Example function lacks, enough of one for
// pypitest's constructors. A test passes its *testing.T instead.
type exampleT struct {
	testing.TB // unset: only the methods below are called
	cleanups   []func()
	dir        string
}

func newExampleT() *exampleT {
	d, err := os.MkdirTemp("", "pypi-example")
	if err != nil {
		panic(err)
	}
	return &exampleT{dir: d}
}

func (*exampleT) Helper()            {}
func (e *exampleT) Cleanup(f func()) { e.cleanups = append(e.cleanups, f) }
func (e *exampleT) TempDir() string {
	d, err := os.MkdirTemp(e.dir, "")
	if err != nil {
		panic(err)
	}
	return d
}

func (e *exampleT) finish() {
	for i := len(e.cleanups) - 1; i >= 0; i-- {
		e.cleanups[i]()
	}
	os.RemoveAll(e.dir)
}

// Publish a wheel and an sdist by Trusted Publishing, here to a fake PyPI
// that trusts a fake GitHub Actions job. In a real job, Options{} alone
// publishes dist/ to PyPI.
func ExamplePublish() {
	t := newExampleT()
	defer t.finish()
	iss := pypitest.NewIssuer(t) // the CI's identity provider
	srv := pypitest.NewServer(t, pypitest.WithIssuer(iss))
	srv.AddPublisher(iss.Run().Publisher("sampleproject")) // the project's trusted publisher
	env := iss.Env()                                       // the job's environment

	dir := t.TempDir()
	if _, err := (sampledist.Project{Name: "sampleproject", Version: "1.0.0"}).Build(dir); err != nil {
		panic(err)
	}

	results, err := pypi.Publish(context.Background(), pypi.Options{
		Files:      []string{dir},
		Repository: srv.URL + "/legacy/",
		Checks:     pypi.ChecksPyPI, // a fake PyPI: judge the files as PyPI would
		Getenv:     func(k string) string { return env[k] },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		fmt.Println(r.File, r.Outcome)
	}
	// Output:
	// sampleproject-1.0.0-py3-none-any.whl uploaded
	// sampleproject-1.0.0.tar.gz uploaded
}
