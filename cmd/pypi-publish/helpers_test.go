package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustpub/pypi/examples/quickstart/sampledist"
	"github.com/trustpub/pypi/pypitest"
)

// binary is the pypi-publish program the end-to-end tests run, built by
// TestCLI.
var binary string

// fixture is a fake PyPI trusting a fake GitHub Actions issuer, with a
// trusted publisher for "sampleproject", and its wheel and sdist in dir.
type fixture struct {
	iss *pypitest.Issuer
	srv *pypitest.Server
	dir string
	sig *pypitest.Sigstore // with newSigstoreFixture: the fake PyPI verifies attestations against it
}

func newFixture(t *testing.T, run pypitest.GitHubRun) *fixture {
	t.Helper()
	iss := pypitest.NewIssuer(pypitest.WithRun(run))
	t.Cleanup(iss.Close)
	return newFixtureOf(t, iss, nil)
}

// newSigstoreFixture is newFixture with a fake Sigstore, whose
// attestations the fake PyPI verifies; sigstoreEnv points the program at it.
func newSigstoreFixture(t *testing.T) *fixture {
	t.Helper()
	iss := pypitest.NewIssuer()
	t.Cleanup(iss.Close)
	sig := pypitest.NewSigstore(pypitest.WithIssuer(iss))
	t.Cleanup(sig.Close)
	return newFixtureOf(t, iss, sig)
}

func newFixtureOf(t *testing.T, iss *pypitest.Issuer, sig *pypitest.Sigstore) *fixture {
	t.Helper()
	opts := []pypitest.Option{pypitest.WithIssuer(iss)}
	if sig != nil {
		opts = append(opts, pypitest.WithSigstore(sig))
	}
	srv := pypitest.NewServer(opts...)
	t.Cleanup(srv.Close)
	srv.AddPublisher(iss.Run().Publisher("sampleproject"))
	f := &fixture{iss: iss, srv: srv, dir: t.TempDir(), sig: sig}
	if _, err := (sampledist.Project{Name: "sampleproject", Version: "1.0.0"}).Build(f.dir); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) uploadURL() string { return f.srv.URL + "/legacy/" }

// sigstoreEnv adds to env the variables that point the program at the
// fixture's fake Sigstore, with its trusted root in a file.
func (f *fixture) sigstoreEnv(t *testing.T, env map[string]string) map[string]string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "trusted_root.json")
	if err := os.WriteFile(root, f.sig.TrustedRoot(), 0o644); err != nil {
		t.Fatal(err)
	}
	env["PYPI_PUBLISH_FULCIO_URL"] = f.sig.FulcioURL()
	env["PYPI_PUBLISH_REKOR_URL"] = f.sig.RekorURL()
	env["PYPI_PUBLISH_SIGSTORE_TRUSTED_ROOT"] = root
	return env
}

// actionsEnv is the environment of a GitHub Actions step running the
// action: the issuer's job, an outputs file, and the given inputs.
func (f *fixture) actionsEnv(t *testing.T, inputs map[string]string) map[string]string {
	env := f.iss.Env()
	env["GITHUB_OUTPUT"] = filepath.Join(t.TempDir(), "output")
	for k, v := range inputs {
		env["INPUT_"+k] = v
	}
	return env
}

// result is what one run of the program did.
type result struct {
	code           int
	stdout, stderr string
	summary        string // the job summary file, if any
	output         string // the step outputs file, if any
}

// runCLI runs the program with args in exactly env (plus PATH, and a
// HOME of its own unless env has one), so that the tests' own CI
// environment does not leak in.
func runCLI(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	return runCLIIn(t, "", env, args...)
}

// runCLIIn is runCLI in the working directory dir ("": the test's).
func runCLIIn(t *testing.T, dir string, env map[string]string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	if p := env["GITHUB_STEP_SUMMARY"]; p != "" {
		b, _ := os.ReadFile(p)
		r.summary = string(b)
	}
	if p := env["GITHUB_OUTPUT"]; p != "" {
		b, _ := os.ReadFile(p)
		r.output = string(b)
	}
	return r
}

// noSecrets fails t if a secret, or anything shaped like a JWT, shows in
// the output, the summary or the outputs, except in the ::add-mask::
// commands that hide them.
func noSecrets(t *testing.T, r result, secrets ...string) {
	t.Helper()
	for name, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr, "summary": r.summary, "outputs": r.output} {
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, "::add-mask::") {
				continue
			}
			for _, s := range secrets {
				if s != "" && strings.Contains(line, s) {
					t.Errorf("a secret leaked into %s: %q", name, line)
				}
			}
			if strings.Contains(line, "eyJ") {
				t.Errorf("something like a JWT leaked into %s: %q", name, line)
			}
		}
	}
}

// masked reports whether stdout hides secret with ::add-mask:: before the
// secret's first other use, and before any line that is not a mask.
func maskedFirst(stdout, secret string) bool {
	for _, line := range strings.Split(stdout, "\n") {
		if line == "::add-mask::"+secret {
			return true
		}
		if !strings.HasPrefix(line, "::add-mask::") {
			return false
		}
	}
	return false
}

// mintedTokens returns the upload tokens srv minted.
func mintedTokens(srv *pypitest.Server) []string {
	var out []string
	for _, m := range srv.Minted() {
		out = append(out, m.Token)
	}
	return out
}
