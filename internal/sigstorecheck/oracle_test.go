package sigstorecheck

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"

	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/internal/testenv"
)

// repoRoot is the repository's root, seen from this module's directory.
const repoRoot = "../.."

// identity is one signer sigstore-go and @sigstore/verify accept: the
// certificate's SAN (exact), its Fulcio issuer, and the extensions PyPI's
// publisher policies read (only the Source Repository and Build Config
// ones are set).
type identity struct {
	san, issuer string
	ext         certificate.Extensions
}

// publisher is a Trusted Publisher as each verifier expresses it: PyPI's
// policy as identities for the Sigstore verifiers, which match all the
// extensions of one identity (so "ref or digest" takes two), and as
// package attest's Policy.
type publisher struct {
	identities []identity
	policy     attest.Policy
}

// ciIdentities returns the identities of a CI workflow run for ref and
// commit sha, as pypi-attestations' policies (_impl.py) accept them: the
// Source Repository URI, and a Build Config URI of the workflow at the
// Source Repository Ref or at the Source Repository Digest.
func ciIdentities(issuer, san, sourceRepo, buildConfig, ref, sha string) []identity {
	return []identity{
		{san: san, issuer: issuer, ext: certificate.Extensions{
			SourceRepositoryURI: sourceRepo, SourceRepositoryRef: ref, BuildConfigURI: buildConfig + "@" + ref}},
		{san: san, issuer: issuer, ext: certificate.Extensions{
			SourceRepositoryURI: sourceRepo, SourceRepositoryDigest: sha, BuildConfigURI: buildConfig + "@" + sha}},
	}
}

// gitHubPublisher returns a GitHub Actions workflow (Fulcio's
// github-workflow template) run for ref and commit sha.
func gitHubPublisher(issuer, repository, workflow, ref, sha string) publisher {
	repo := "https://github.com/" + repository
	wf := repo + "/.github/workflows/" + workflow
	return publisher{
		identities: ciIdentities(issuer, wf+"@"+ref, repo, wf, ref, sha),
		policy:     attest.GitHubPublisher{Repository: repository, Workflow: workflow, Issuer: issuer},
	}
}

// gitLabPublisher returns a GitLab.com CI/CD pipeline (Fulcio's
// gitlab-pipeline template) run for ref and commit sha, its ID tokens
// from issuer. PyPI's GitLab policy wants both the ref and the digest
// extensions.
func gitLabPublisher(issuer, project, ciFile, ref, sha string) publisher {
	repo := "https://gitlab.com/" + project
	config := repo + "//" + ciFile
	ids := ciIdentities(issuer, config+"@"+ref, repo, config, ref, sha)
	for i := range ids {
		ids[i].ext.SourceRepositoryRef, ids[i].ext.SourceRepositoryDigest = ref, sha
	}
	return publisher{identities: ids,
		policy: attest.GitLabPublisher{Repository: project, WorkflowFilepath: ciFile, Issuer: issuer}}
}

// check is one verification: a Sigstore bundle against a trusted root,
// signed by the publisher, over an in-toto statement naming the artifact
// filename with this sha256.
type check struct {
	root, bundle []byte
	publisher
	filename string
	sha256   [32]byte
}

// verifier verifies a check, returning nil if it holds or why not.
type verifier struct {
	name   string
	verify func(t *testing.T, c check) error
}

// verifiers are the two oracles, each at Sigstore's production thresholds
// (an embedded SCT, a transparency log entry, and its integrated time),
// and package attest, which must agree with them.
var verifiers = []verifier{{"sigstore-go", sigstoreGo}, {"sigstore-js", sigstoreJS}, {"attest", attestVerify}}

// sigstoreGo verifies with sigstore-go's verify.Verifier, the artifact
// given by its digest.
func sigstoreGo(t *testing.T, c check) error {
	t.Helper()
	tr, err := root.NewTrustedRootFromJSON(c.root)
	if err != nil {
		return fmt.Errorf("trusted root: %w", err)
	}
	var b bundle.Bundle
	if err := b.UnmarshalJSON(c.bundle); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	v, err := verify.NewVerifier(tr, verify.WithSignedCertificateTimestamps(1),
		verify.WithTransparencyLog(1), verify.WithIntegratedTimestamps(1))
	if err != nil {
		t.Fatal(err)
	}
	var opts []verify.PolicyOption
	for _, id := range c.identities {
		san, err := verify.NewSANMatcher(id.san, "")
		if err != nil {
			t.Fatal(err)
		}
		iss, err := verify.NewIssuerMatcher(id.issuer, "")
		if err != nil {
			t.Fatal(err)
		}
		ci, err := verify.NewCertificateIdentity(san, iss, id.ext)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, verify.WithCertificateIdentity(ci))
	}
	_, err = v.Verify(&b, verify.NewPolicy(verify.WithArtifactDigest("sha256", c.sha256[:]), opts...))
	return err
}

// sigstoreJS verifies with npm's @sigstore/verify (through
// testenv.SigstoreJS), which does not read the statement; its script
// compares the subject's sha256.
func sigstoreJS(t *testing.T, c check) error {
	t.Helper()
	in := testenv.SigstoreJSInput{Root: c.root, Bundle: c.bundle, SHA256: hex.EncodeToString(c.sha256[:])}
	for _, id := range c.identities {
		in.Identities = append(in.Identities, testenv.SigstoreJSIdentity{SAN: id.san, Issuer: id.issuer, Extensions: fulcioOIDs(id.ext)})
	}
	if v := testenv.SigstoreJS(t, repoRoot, in); !v.Verified {
		return fmt.Errorf("%s: %s", v.Code, v.Message)
	}
	return nil
}

// attestVerify converts the bundle back to an attestation and verifies it
// with package attest, as PyPI would.
func attestVerify(t *testing.T, c check) error {
	t.Helper()
	root, err := attest.ParseTrustedRoot(c.root)
	if err != nil {
		return err
	}
	a, err := attest.FromBundle(c.bundle)
	if err != nil {
		return err
	}
	_, err = a.Verify(root, c.policy, attest.Subject{Filename: c.filename, SHA256: c.sha256})
	return err
}

// fulcioOIDs returns the extensions identity sets, by Fulcio OID.
func fulcioOIDs(e certificate.Extensions) map[string]string {
	m := map[string]string{}
	for oid, v := range map[string]string{
		"1.3.6.1.4.1.57264.1.12": e.SourceRepositoryURI,
		"1.3.6.1.4.1.57264.1.13": e.SourceRepositoryDigest,
		"1.3.6.1.4.1.57264.1.14": e.SourceRepositoryRef,
		"1.3.6.1.4.1.57264.1.18": e.BuildConfigURI,
	} {
		if v != "" {
			m[oid] = v
		}
	}
	return m
}

// mustVerify runs every verifier on c and fails t unless each verifies it.
func mustVerify(t *testing.T, what string, c check) {
	t.Helper()
	for _, o := range verifiers {
		if err := o.verify(t, c); err != nil {
			t.Errorf("%s: %s refused it: %v", what, o.name, err)
		} else {
			t.Logf("%s: verified by %s", what, o.name)
		}
	}
}

// mustRefuse runs every verifier on c and fails t unless each refuses it
// with an error containing the words expected from it.
func mustRefuse(t *testing.T, what string, c check, want map[string]string) {
	t.Helper()
	for _, o := range verifiers {
		if want[o.name] == "" {
			t.Fatalf("%s: no words expected from %s", what, o.name)
		}
		err := o.verify(t, c)
		switch {
		case err == nil:
			t.Errorf("%s: %s verified it", what, o.name)
		case !strings.Contains(err.Error(), want[o.name]):
			t.Errorf("%s: %s refused it with %q, want %q", what, o.name, err, want[o.name])
		default:
			t.Logf("%s: refused by %s: %v", what, o.name, err)
		}
	}
}

// otherDigest is a sha256 no test artifact has.
var otherDigest = sha256.Sum256([]byte("another file"))
