package pypitest

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/internal/testenv"
)

// gitLabFixture is a real attestation made by GitLab.com CI/CD with
// production Sigstore, outside the repository.
const gitLabFixture = "../../shared/fixtures/attestations/gitlab_oidc_project-0.0.3.tar.gz.publish.attestation"

func TestIssuerGitLabToken(t *testing.T) {
	t.Parallel()
	clock := NewClock(testEpoch)
	iss := NewIssuer(WithClock(clock.Now))
	t.Cleanup(iss.Close)
	run := GitLabRun{Namespace: "group/sub", Project: "proj", Ref: "v1.0", RefType: "tag", Environment: "pypi"}
	_, claims, ok := decodeUnverified(iss.GitLabToken("sigstore", run))
	if !ok {
		t.Fatal("undecodable token")
	}
	want := map[string]any{
		"iss":               iss.URL,
		"aud":               "sigstore",
		"sub":               "project_path:group/sub/proj:ref_type:tag:ref:v1.0",
		"project_path":      "group/sub/proj",
		"namespace_path":    "group/sub",
		"ref":               "v1.0",
		"ref_type":          "tag",
		"ref_path":          "refs/tags/v1.0",
		"ci_config_ref_uri": "gitlab.com/group/sub/proj//.gitlab-ci.yml@refs/tags/v1.0",
		"environment":       "pypi",
		"iat":               testEpoch.Unix(),
		"nbf":               testEpoch.Unix() - 5,
		"exp":               testEpoch.Unix() + 3600,
	}
	for k, v := range want {
		if fmt.Sprint(claims[k]) != fmt.Sprint(v) { // numbers are json.Number
			t.Errorf("claim %s = %v, want %v", k, claims[k], v)
		}
	}
	// The claims GitLab documents for every ID token.
	for _, k := range strings.Fields(`namespace_id namespace_path project_id project_path user_id user_login user_email
		user_access_level pipeline_id pipeline_source job_id ref ref_type ref_path ref_protected runner_id
		runner_environment sha ci_config_ref_uri ci_config_sha project_visibility jti iss iat nbf exp sub aud`) {
		if _, ok := claims[k]; !ok {
			t.Errorf("claim %s is missing", k)
		}
	}
	if _, claims, _ := decodeUnverified(iss.GitLabToken("sigstore", GitLabRun{})); claims["environment"] != nil ||
		claims["ref_path"] != "refs/heads/main" || claims["sub"] != "project_path:octo-group/sampleproject:ref_type:branch:ref:main" {
		t.Errorf("default run's claims: %v", claims)
	}
}

// gitLabLeaf gets a certificate from the fake Fulcio for a GitLab token
// of run.
func gitLabLeaf(t *testing.T, run GitLabRun) (*signer, *x509.Certificate) {
	t.Helper()
	s := newSigner(t, GitHubRun{})
	token := s.iss.GitLabToken("sigstore", run)
	status, body := s.requestCert(token, s.proof(token))
	if status != http.StatusOK {
		t.Fatalf("signingCert: %d %s", status, body)
	}
	return s, parseChain(t, body)[0]
}

func TestSigstoreRendersGitLabClaims(t *testing.T) {
	t.Parallel()
	s, leaf := gitLabLeaf(t, GitLabRun{Namespace: "facutuesca", Project: "gitlab-oidc-project"})
	sha := GitLabRun{}.withDefaults().SHA
	config := "https://gitlab.com/facutuesca/gitlab-oidc-project//.gitlab-ci.yml@refs/heads/main"
	want := map[int]string{
		1:  s.iss.URL,
		8:  s.iss.URL,
		9:  config,
		10: sha,
		11: "gitlab-hosted",
		12: "https://gitlab.com/facutuesca/gitlab-oidc-project",
		13: sha,
		14: "refs/heads/main",
		15: "55235664",
		16: "https://gitlab.com/facutuesca",
		17: "12885801",
		18: config,
		19: sha,
		20: "push",
		21: "https://gitlab.com/facutuesca/gitlab-oidc-project/-/jobs/8415754949",
		22: "public",
	}
	got := wantExactExtensions(t, leaf, want)

	// A real GitLab.com certificate has the same extensions.
	b, err := os.ReadFile(gitLabFixture)
	if errors.Is(err, os.ErrNotExist) {
		testenv.Missing(t, "fixture "+gitLabFixture)
	}
	if err != nil {
		t.Fatal(err)
	}
	a, err := attest.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	real, err := x509.ParseCertificate(a.VerificationMaterial.Certificate)
	if err != nil {
		t.Fatal(err)
	}
	if r, f := slices.Sorted(maps.Keys(extensionValues(t, real))), slices.Sorted(maps.Keys(got)); !slices.Equal(r, f) {
		t.Errorf("the fake's Sigstore extensions are %v, GitLab.com's %v", f, r)
	}
}

func TestSigstoreRendersGitLabTagAndEnvironment(t *testing.T) {
	t.Parallel()
	_, leaf := gitLabLeaf(t, GitLabRun{Ref: "v2.0", RefType: "tag", Environment: "release", CIConfigPath: "ci/publish.yml"})
	config := "https://gitlab.com/octo-group/sampleproject//ci/publish.yml@refs/tags/v2.0"
	wantExtensions(t, extensionValues(t, leaf), map[int]string{9: config, 14: "refs/tags/v2.0", 18: config, 23: "release"})
}

// An attestation signed with a GitLab identity verifies under attest's
// GitLab policy, and only for its project and CI configuration.
func TestSigstoreGitLabAttestationVerifies(t *testing.T) {
	t.Parallel()
	s := newSigner(t, GitHubRun{})
	run := GitLabRun{Namespace: "group/sub", Project: "proj"}
	signer := &attest.Signer{IDToken: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: s.iss.GitLabToken("sigstore", run)}),
		FulcioURL: s.sig.FulcioURL(), RekorURL: s.sig.RekorURL(), HTTPClient: s.sig.Client(), Now: s.clock.Now}
	subject := attest.Subject{Filename: "proj-1.0.tar.gz", SHA256: sha256.Sum256([]byte("sdist"))}
	a, err := signer.Sign(context.Background(), subject.Filename, subject.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	root, err := attest.ParseTrustedRoot(s.sig.TrustedRoot())
	if err != nil {
		t.Fatal(err)
	}
	policy := attest.GitLabPublisher{Repository: "group/sub/proj", WorkflowFilepath: ".gitlab-ci.yml", Issuer: s.iss.URL}
	if pt, err := a.Verify(root, policy, subject); err != nil || pt != attest.PublishV1 {
		t.Fatalf("Verify = %q, %v; want %s", pt, err, attest.PublishV1)
	}
	for _, tc := range []struct {
		policy attest.Policy
		want   string
	}{
		{attest.GitLabPublisher{Repository: "group/sub/proj", WorkflowFilepath: "ci.yml", Issuer: s.iss.URL},
			"does not match expected Trusted Publisher (ci.yml @ group/sub/proj)"},
		{attest.GitLabPublisher{Repository: "group/proj", WorkflowFilepath: ".gitlab-ci.yml", Issuer: s.iss.URL},
			"Certificate's OIDCSourceRepositoryURI does not match (got https://gitlab.com/group/sub/proj, expected https://gitlab.com/group/proj)"},
		{attest.GitLabPublisher{Repository: "group/sub/proj", WorkflowFilepath: ".gitlab-ci.yml"},
			"Certificate's OIDCIssuerV2 does not match (got " + s.iss.URL + ", expected https://gitlab.com)"},
		{attest.GitHubPublisher{Repository: "group/proj", Workflow: ".gitlab-ci.yml", Issuer: s.iss.URL},
			"Certificate's OIDCSourceRepositoryURI does not match"},
	} {
		_, err := a.Verify(root, tc.policy, subject)
		var ve *attest.VerificationError
		if !errors.As(err, &ve) || ve.Check != attest.CheckPolicy || !strings.Contains(ve.Reason, tc.want) {
			t.Errorf("Verify under %+v: %v\nwant a publisher policy failure with %q", tc.policy, err, tc.want)
		}
	}
}
