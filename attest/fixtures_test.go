package attest

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/trustpub/pypi/internal/testenv"
)

// fixtureDir holds real attestations from pypi-attestations' test assets
// and Sigstore's public-good trusted root, outside the repository.
const fixtureDir = "../../shared/fixtures/attestations"

// readFixture returns a fixture file, skipping the test (failing it under
// CI=true) when the fixtures are absent.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if os.IsNotExist(err) {
		testenv.Missing(t, "fixture "+filepath.Join(fixtureDir, name))
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fixtureAttestation(t testing.TB, name string) *Attestation {
	t.Helper()
	a, err := Parse(readFixture(t, name))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return a
}

func publicGood(t testing.TB) *TrustedRoot {
	t.Helper()
	r, err := ParseTrustedRoot(readFixture(t, "trusted_root.public-good.json"))
	if err != nil {
		t.Fatalf("ParseTrustedRoot: %v", err)
	}
	return r
}

func fixtureSubject(t testing.TB, dist string) Subject {
	t.Helper()
	return Subject{Filename: dist, SHA256: sha256.Sum256(readFixture(t, dist))}
}

const (
	sdist0019  = "pypi_attestations-0.0.19.tar.gz"
	gitlabDist = "gitlab_oidc_project-0.0.3.tar.gz"
)

var (
	tobPolicy    = GitHubPublisher{Repository: "trailofbits/pypi-attestations", Workflow: "release.yml"}
	gitlabPolicy = GitLabPublisher{Repository: "facutuesca/gitlab-oidc-project", WorkflowFilepath: ".gitlab-ci.yml"}
)

func TestVerifyRealAttestations(t *testing.T) {
	t.Parallel()
	root := publicGood(t)
	for _, tc := range []struct {
		file, dist string
		policy     Policy
		want       string
	}{
		{Filename(sdist0019), sdist0019, tobPolicy, PublishV1},
		{sdist0019 + ".slsa.attestation", sdist0019, tobPolicy, SLSAProvenanceV1},
		{Filename(gitlabDist), gitlabDist, gitlabPolicy, PublishV1},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			a := fixtureAttestation(t, tc.file)
			got, err := a.Verify(root, tc.policy, fixtureSubject(t, tc.dist))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got != tc.want {
				t.Errorf("predicate type %q, want %q", got, tc.want)
			}
		})
	}
}
