package pypi_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/examples/quickstart/sampledist"
	"github.com/trustpub/pypi/pypitest"
)

// buildSampleDist builds sampleproject 1.0.0's wheel and sdist in a new
// temporary directory, which the caller removes.
func buildSampleDist() (string, error) {
	dir, err := os.MkdirTemp("", "dist")
	if err != nil {
		return "", err
	}
	if _, err := (sampledist.Project{Name: "sampleproject", Version: "1.0.0"}).Build(dir); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// Publish a wheel and an sdist by Trusted Publishing, here to a fake PyPI
// that trusts a fake GitHub Actions job. In a real job, Options{} alone
// publishes dist/ to PyPI.
func ExamplePublish() {
	iss := pypitest.NewIssuer() // the CI's identity provider
	defer iss.Close()
	srv := pypitest.NewServer(pypitest.WithIssuer(iss))
	defer srv.Close()
	srv.AddPublisher(iss.Run().Publisher("sampleproject")) // the project's trusted publisher
	env := iss.Env()                                       // the job's environment

	dir, err := buildSampleDist()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

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

// Publish with PEP 740 attestations, here signed by a fake Sigstore and
// verified by a fake PyPI. In a real job against PyPI, Options{} alone
// signs them with Sigstore's public-good instance.
func ExamplePublish_attestations() {
	iss := pypitest.NewIssuer()
	defer iss.Close()
	sig := pypitest.NewSigstore(pypitest.WithIssuer(iss)) // trusts the job's identity tokens
	defer sig.Close()
	srv := pypitest.NewServer(pypitest.WithIssuer(iss), pypitest.WithSigstore(sig))
	defer srv.Close()
	srv.AddPublisher(iss.Run().Publisher("sampleproject"))

	dir, err := buildSampleDist()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	results, err := pypi.Publish(context.Background(), pypi.Options{
		Files:      []string{dir},
		Repository: srv.UploadURL(),
		Checks:     pypi.ChecksPyPI,
		Getenv:     iss.Getenv,
		// A Signer without IDToken signs with the job's "sigstore" tokens.
		Signer: &attest.Signer{FulcioURL: sig.FulcioURL(), RekorURL: sig.RekorURL()},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		file, _ := srv.File(r.File)
		fmt.Println(r.File, r.Outcome, filepath.Base(r.Attestations[0].Path), file.Provenance != nil)
	}
	// Output:
	// sampleproject-1.0.0-py3-none-any.whl uploaded sampleproject-1.0.0-py3-none-any.whl.publish.attestation true
	// sampleproject-1.0.0.tar.gz uploaded sampleproject-1.0.0.tar.gz.publish.attestation true
}
