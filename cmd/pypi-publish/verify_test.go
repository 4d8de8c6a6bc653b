package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/internal/testenv"
	"github.com/trustpub/pypi/pypitest"
)

// attestationFixtures holds real attestations from pypi-attestations'
// test assets and Sigstore's public-good trusted root, outside the
// repository.
const attestationFixtures = "../../../shared/fixtures/attestations"

// Real distributions with attestations, and Sigstore's public-good root.
const (
	tobSdist    = "pypi_attestations-0.0.19.tar.gz"
	gitlabSdist = "gitlab_oidc_project-0.0.3.tar.gz"
	stagingWhl  = "rfc8785-0.1.2-py3-none-any.whl"
	publicGood  = "trusted_root.public-good.json"
)

// fixturePath returns the path of a fixture, skipping the test (failing
// it under CI=true) when the fixtures are absent.
func fixturePath(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(attestationFixtures, name)
	if _, err := os.Stat(p); os.IsNotExist(err) {
		testenv.Missing(t, "fixture "+p)
	}
	return p
}

// copyFixtures copies fixtures into a new temporary directory, to be
// tampered with there, and returns it.
func copyFixtures(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		b, err := os.ReadFile(fixturePath(t, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// tamperAttestation rewrites the attestation JSON at path with change.
func tamperAttestation(t *testing.T, path string, change func(a *attest.Attestation)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := attest.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	change(a)
	if b, err = json.Marshal(a); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// verifyRun is what one run of "pypi-publish verify" did.
type verifyRun struct {
	code           int
	stdout, stderr string
}

// runVerifyCmd runs "pypi-publish verify args..." in process, through
// the command's dispatch, outside GitHub Actions.
func runVerifyCmd(args ...string) verifyRun {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"verify"}, args...), &stdout, &stderr,
		func(string) string { return "" }, false)
	return verifyRun{code, stdout.String(), stderr.String()}
}

func TestVerifyRealAttestations(t *testing.T) {
	t.Parallel()
	root := fixturePath(t, publicGood)
	tob := []string{"--trusted-root", root, "--repository", "trailofbits/pypi-attestations"}
	for _, tc := range []struct {
		name string
		args []string
		ok   []string // attestation files that must be reported verified
	}{
		{"GitHub with the workflow", append(tob, "--workflow", "release.yml", fixturePath(t, tobSdist)),
			[]string{attest.Filename(tobSdist), tobSdist + ".slsa.attestation"}},
		{"GitHub with the workflow's path", append(tob, fixturePath(t, tobSdist), "--workflow", ".github/workflows/release.yml"),
			[]string{attest.Filename(tobSdist), tobSdist + ".slsa.attestation"}},
		{"GitHub, any workflow", append(tob, fixturePath(t, tobSdist)),
			[]string{attest.Filename(tobSdist), tobSdist + ".slsa.attestation"}},
		{"GitLab", []string{"--gitlab", "--trusted-root", root, "--repository", "facutuesca/gitlab-oidc-project", fixturePath(t, gitlabSdist)},
			[]string{attest.Filename(gitlabSdist)}},
		{"GitLab with the CI file", []string{"--gitlab", "--trusted-root", root, "--repository", "facutuesca/gitlab-oidc-project",
			"--workflow", ".gitlab-ci.yml", fixturePath(t, gitlabSdist)}, []string{attest.Filename(gitlabSdist)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runVerifyCmd(tc.args...)
			if r.code != 0 {
				t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			for _, f := range tc.ok {
				if !strings.Contains(r.stdout, "OK     "+filepath.Join(attestationFixtures, f)+": ") {
					t.Errorf("%s is not reported verified:\n%s", f, r.stdout)
				}
			}
			if want := "verified, 0 failed.\n"; !strings.HasSuffix(r.stdout, want) {
				t.Errorf("stdout does not end with %q:\n%s", want, r.stdout)
			}
		})
	}
}

// failedLine returns the FAILED line of stdout about file, or "".
func failedLine(stdout, file string) string {
	for line := range strings.Lines(stdout) {
		if strings.HasPrefix(line, "FAILED "+file+": ") {
			return line
		}
	}
	return ""
}

func TestVerifyFailures(t *testing.T) {
	t.Parallel()
	root := fixturePath(t, publicGood)
	tobFiles := []string{tobSdist, attest.Filename(tobSdist)}
	tob := func(dir string) []string {
		return []string{"--trusted-root", root, "--repository", "trailofbits/pypi-attestations", "--workflow", "release.yml",
			filepath.Join(dir, tobSdist)}
	}
	for _, tc := range []struct {
		name   string
		files  []string                       // fixtures copied to the test's directory
		tamper func(t *testing.T, dir string) // changes them there
		args   func(dir string) []string
		file   string // the file(s) named as failed; DIR is their directory
		want   string // the failure's text: the check, then the reason
	}{
		{"signed by staging Sigstore", []string{stagingWhl, attest.Filename(stagingWhl)}, nil,
			func(dir string) []string {
				return []string{"--trusted-root", root, "--repository", "trailofbits/pypi-attestations", filepath.Join(dir, stagingWhl)}
			},
			"DIR/" + attest.Filename(stagingWhl), "transparency log entry: no transparency log with key ID"},
		{"wrong repository", tobFiles, nil, func(dir string) []string {
			return []string{"--trusted-root", root, "--repository", "trailofbits/pypi-attestation", "--workflow", "release.yml",
				filepath.Join(dir, tobSdist)}
		}, "DIR/" + attest.Filename(tobSdist), "publisher policy: Certificate's OIDCSourceRepositoryURI does not match " +
			"(got https://github.com/trailofbits/pypi-attestations, expected https://github.com/trailofbits/pypi-attestation)"},
		{"wrong workflow", tobFiles, nil, func(dir string) []string {
			return []string{"--trusted-root", root, "--repository", "trailofbits/pypi-attestations", "--workflow", "publish.yml",
				filepath.Join(dir, tobSdist)}
		}, "DIR/" + attest.Filename(tobSdist), "publisher policy: Certificate's Build Config URI ("},
		{"GitHub attestation under the GitLab policy", tobFiles, nil, func(dir string) []string {
			return []string{"--gitlab", "--trusted-root", root, "--repository", "trailofbits/pypi-attestations", filepath.Join(dir, tobSdist)}
		}, "DIR/" + attest.Filename(tobSdist), "publisher policy: Certificate's OIDCIssuerV2 does not match " +
			"(got https://token.actions.githubusercontent.com, expected https://gitlab.com)"},
		{"flipped signature byte", tobFiles, func(t *testing.T, dir string) {
			tamperAttestation(t, filepath.Join(dir, attest.Filename(tobSdist)), func(a *attest.Attestation) { a.Envelope.Signature[20] ^= 1 })
		}, tob, "DIR/" + attest.Filename(tobSdist), "transparency log body: log entry signatures do not match bundle"},
		{"changed subject digest", tobFiles, func(t *testing.T, dir string) {
			tamperAttestation(t, filepath.Join(dir, attest.Filename(tobSdist)), func(a *attest.Attestation) {
				a.Envelope.Statement = bytes.Replace(a.Envelope.Statement, []byte("9bb1add0"), []byte("9bb1add1"), 1)
			})
		}, tob, "DIR/" + attest.Filename(tobSdist), "transparency log body: log entry payload hash does not match bundle"},
		{"changed distribution", tobFiles, func(t *testing.T, dir string) {
			f, err := os.OpenFile(filepath.Join(dir, tobSdist), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write([]byte{0})
			f.Close()
		}, tob, "DIR/" + attest.Filename(tobSdist), "statement: subject does not match distribution digest"},
		{"attestation paired with another file", []string{gitlabSdist}, func(t *testing.T, dir string) {
			b, err := os.ReadFile(fixturePath(t, attest.Filename(tobSdist)))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, attest.Filename(gitlabSdist)), b, 0o644)
		}, func(dir string) []string {
			return []string{"--trusted-root", root, "--repository", "trailofbits/pypi-attestations", filepath.Join(dir, gitlabSdist)}
		}, "DIR/" + attest.Filename(gitlabSdist), "statement: subject does not match distribution name: " +
			"pypi_attestations-0.0.19.tar.gz != gitlab_oidc_project-0.0.3.tar.gz"},
		{"no publish attestation", []string{tobSdist, tobSdist + ".slsa.attestation"}, nil, tob,
			"DIR/" + attest.Filename(tobSdist), "missing: " + tobSdist + " has no publish attestation"},
		{"two of one predicate type", tobFiles, func(t *testing.T, dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, attest.Filename(tobSdist)))
			os.WriteFile(filepath.Join(dir, tobSdist+".copy.attestation"), b, 0o644)
		}, tob, "DIR/" + attest.Filename(tobSdist) + ", DIR/" + tobSdist + ".copy.attestation",
			"attestation set: Multiple attestations for the same file with the same predicate type " +
				"(https://docs.pypi.org/attestations/publish/v1) are not supported"},
		{"three attestations", append(tobFiles, tobSdist+".slsa.attestation"), func(t *testing.T, dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, tobSdist+".slsa.attestation"))
			os.WriteFile(filepath.Join(dir, tobSdist+".third.attestation"), b, 0o644)
		}, tob, "DIR/" + attest.Filename(tobSdist) + ", DIR/" + tobSdist + ".slsa.attestation, DIR/" + tobSdist + ".third.attestation",
			"attestation set: A maximum of 2 attestations per file are supported"},
		{"not an attestation", tobFiles, func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, attest.Filename(tobSdist)), []byte(`{"version": 2}`), 0o644)
		}, tob, "DIR/" + attest.Filename(tobSdist), "malformed attestation: version: must be 1, not 2"},
		{"missing distribution", nil, nil, tob, "DIR/" + tobSdist, "open DIR/" + tobSdist + ": no such file or directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := copyFixtures(t, tc.files...)
			if tc.tamper != nil {
				tc.tamper(t, dir)
			}
			r := runVerifyCmd(tc.args(dir)...)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			file := strings.ReplaceAll(tc.file, "DIR", dir)
			line := failedLine(r.stdout, file)
			if !strings.Contains(line, ": "+strings.ReplaceAll(tc.want, "DIR", dir)) {
				t.Errorf("stdout has no failure of %s with %q:\n%s", file, tc.want, r.stdout)
			}
			if !strings.Contains(r.stdout, " failed.\n") || strings.HasSuffix(r.stdout, " 0 failed.\n") {
				t.Errorf("the count of failures is missing or 0:\n%s", r.stdout)
			}
		})
	}
}

// signedDist writes a distribution and the publish attestation signer
// makes of it into a new directory, and the trusted root of sig; it
// returns the distribution's path and the root's.
func signedDist(t *testing.T, sig *pypitest.Sigstore, token string) (dist, root string) {
	t.Helper()
	dir := t.TempDir()
	dist = filepath.Join(dir, "sampleproject-1.0.0.tar.gz")
	root = filepath.Join(dir, "trusted_root.json")
	if err := os.WriteFile(dist, []byte("the sdist's bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(root, sig.TrustedRoot(), 0o644); err != nil {
		t.Fatal(err)
	}
	signer := &attest.Signer{IDToken: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}),
		FulcioURL: sig.FulcioURL(), RekorURL: sig.RekorURL(), HTTPClient: sig.Client()}
	if _, err := signer.SignFile(context.Background(), dist); err != nil {
		t.Fatal(err)
	}
	return dist, root
}

func TestVerifyFakeSigstore(t *testing.T) {
	t.Parallel()
	iss := pypitest.NewIssuer()
	t.Cleanup(iss.Close)
	sig := pypitest.NewSigstore(pypitest.WithIssuer(iss))
	t.Cleanup(sig.Close)
	dist, root := signedDist(t, sig, iss.Token(attest.IdentityAudience))
	args := []string{"--trusted-root", root, "--repository", "octo-org/sampleproject", "--workflow", "release.yml", dist}

	r := runVerifyCmd(append(args, "--issuer", iss.URL, "--json")...)
	if r.code != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	var doc struct {
		OK           bool
		Attestations []verifyOutcome
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("--json: %v\n%s", err, r.stdout)
	}
	want := "https://github.com/octo-org/sampleproject/.github/workflows/release.yml@refs/heads/main"
	if !doc.OK || len(doc.Attestations) != 1 || doc.Attestations[0].Attestation != attest.Filename(dist) ||
		doc.Attestations[0].PredicateType != attest.PublishV1 || doc.Attestations[0].Identity != want {
		t.Errorf("--json document:\n%s\nwant one verified publish attestation by %s", r.stdout, want)
	}

	// The certificate names the fake issuer, not GitHub's.
	r = runVerifyCmd(args...)
	if want := "publisher policy: Certificate's OIDCIssuerV2 does not match (got " + iss.URL + ", expected " + attest.GitHubIssuer + ")"; r.code != 1 ||
		!strings.Contains(failedLine(r.stdout, attest.Filename(dist)), want) {
		t.Errorf("without --issuer: exit %d\n%s\nwant 1 and %q", r.code, r.stdout, want)
	}
	// Another instance's root does not vouch for it.
	other := pypitest.NewSigstore(pypitest.WithIssuer(iss))
	t.Cleanup(other.Close)
	otherRoot := filepath.Join(t.TempDir(), "other.json")
	os.WriteFile(otherRoot, other.TrustedRoot(), 0o644)
	r = runVerifyCmd(append(args, "--issuer", iss.URL, "--trusted-root", otherRoot)...)
	if r.code != 1 || !strings.Contains(failedLine(r.stdout, attest.Filename(dist)), ": transparency log entry: ") {
		t.Errorf("against another root: exit %d\n%s\nwant 1 and a transparency log entry failure", r.code, r.stdout)
	}
}

// A GitLab identity from the fake verifies with --gitlab, for its
// project and CI configuration only.
func TestVerifyFakeSigstoreGitLab(t *testing.T) {
	t.Parallel()
	iss := pypitest.NewIssuer()
	t.Cleanup(iss.Close)
	sig := pypitest.NewSigstore(pypitest.WithIssuer(iss))
	t.Cleanup(sig.Close)
	run := pypitest.GitLabRun{Namespace: "group/sub", Project: "sampleproject"}
	dist, root := signedDist(t, sig, iss.GitLabToken(attest.IdentityAudience, run))
	args := []string{"--gitlab", "--trusted-root", root, "--issuer", iss.URL, dist}
	for _, tc := range []struct {
		args []string
		want string // "" for success
	}{
		{[]string{"--repository", run.ProjectPath()}, ""},
		{[]string{"--repository", run.ProjectPath(), "--workflow", ".gitlab-ci.yml"}, ""},
		{[]string{"--repository", run.ProjectPath(), "--workflow", "ci/release.yml"},
			"publisher policy: Certificate's Build Config URI ("},
		{[]string{"--repository", "group/sampleproject"}, "publisher policy: Certificate's OIDCSourceRepositoryURI does not match " +
			"(got https://gitlab.com/group/sub/sampleproject, expected https://gitlab.com/group/sampleproject)"},
	} {
		r := runVerifyCmd(append(args, tc.args...)...)
		switch {
		case tc.want == "" && r.code != 0:
			t.Errorf("verify %q: exit %d, want 0\n%s%s", tc.args, r.code, r.stdout, r.stderr)
		case tc.want != "" && (r.code != 1 || !strings.Contains(failedLine(r.stdout, attest.Filename(dist)), tc.want)):
			t.Errorf("verify %q: exit %d\n%s\nwant 1 and %q", tc.args, r.code, r.stdout, tc.want)
		}
	}
}

func TestVerifyUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--repository", "o/r", "x.tar.gz"}, "--trusted-root is required"},
		{[]string{"--trusted-root", "root.json", "x.tar.gz"}, "--repository is required"},
		{[]string{"--trusted-root", "root.json", "--repository", "o/r/x", "x.tar.gz"}, `--repository "o/r/x": want OWNER/REPO`},
		{[]string{"--trusted-root", "root.json", "--repository", "o r/x", "x.tar.gz"}, `--repository "o r/x": want OWNER/REPO`},
		{[]string{"--gitlab", "--trusted-root", "root.json", "--repository", "group", "x.tar.gz"}, `--repository "group": want`},
		{[]string{"--trusted-root", "root.json", "--repository", "o/r", "--workflow", "ci/release.yml", "x.tar.gz"},
			`--workflow "ci/release.yml": want the workflow's file name`},
		{[]string{"--trusted-root", "root.json", "--repository", "o/r"}, "no distribution given"},
		{[]string{"--no-such-flag"}, "flag provided but not defined: -no-such-flag"},
	} {
		r := runVerifyCmd(tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
			t.Errorf("verify %q: exit %d, stderr:\n%s\nwant 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	r := runVerifyCmd("-h")
	if r.code != 0 || !strings.Contains(r.stderr, "Usage: pypi-publish verify --trusted-root FILE --repository OWNER/REPO") ||
		!strings.Contains(r.stderr, "--gitlab") {
		t.Errorf("verify -h: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	// A trusted root that cannot be read is a failure, not a usage error.
	r = runVerifyCmd("--trusted-root", filepath.Join(t.TempDir(), "absent.json"), "--repository", "o/r", "x.tar.gz")
	if r.code != 1 || !strings.Contains(r.stderr, "--trusted-root ") || !strings.Contains(r.stderr, "absent.json: no such file") {
		t.Errorf("absent trusted root: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// Text from the files (their names, here) cannot run workflow commands
// or drive a terminal.
func TestVerifyHostileNames(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dist := filepath.Join(dir, "evil\n::error::pwned\x1b[2J-1.0.tar.gz")
	if err := os.WriteFile(dist, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := fixturePath(t, publicGood)
	for _, asJSON := range []bool{false, true} {
		args := []string{"--trusted-root", root, "--repository", "o/r", dist}
		if asJSON {
			args = append(args, "--json")
		}
		r := runVerifyCmd(args...)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1\n%s", r.code, r.stdout)
		}
		for line := range strings.Lines(r.stdout) {
			if strings.HasPrefix(strings.TrimSpace(line), "::") || strings.ContainsRune(line, '\x1b') {
				t.Errorf("unsafe line in stdout (json %v): %q", asJSON, line)
			}
		}
		if !strings.Contains(r.stdout, "has no publish attestation") {
			t.Errorf("the failure is not reported:\n%s", r.stdout)
		}
	}
}
