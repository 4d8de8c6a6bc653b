package attest

import (
	"crypto/x509"
	encasn1 "encoding/asn1"
	"fmt"
	"slices"
	"strings"
)

// Policy is a publisher identity policy over the signing certificate.
// Its errors are the reasons sigstore-python and pypi-attestations give.
type Policy interface {
	VerifyCertificate(cert *x509.Certificate) error
}

func fulcioOID(n int) encasn1.ObjectIdentifier {
	return encasn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, n}
}

// Fulcio certificate extensions (sigstore/fulcio docs/oid-info.md).
var (
	oidIssuer                 = fulcioOID(1)
	oidIssuerV2               = fulcioOID(8)
	oidSourceRepositoryURI    = fulcioOID(12)
	oidSourceRepositoryDigest = fulcioOID(13)
	oidSourceRepositoryRef    = fulcioOID(14)
	oidBuildConfigURI         = fulcioOID(18)
)

// extPolicy requires one Fulcio extension to equal a value; name is
// sigstore-python's policy class name, used in its messages.
type extPolicy struct {
	name  string
	oid   encasn1.ObjectIdentifier
	value string
}

func (p extPolicy) check(cert *x509.Certificate) string {
	got, ok := extensionString(cert, p.oid)
	if !ok {
		return fmt.Sprintf("Certificate does not contain %s (%s) extension", p.name, p.oid)
	}
	if got != p.value {
		return fmt.Sprintf("Certificate's %s does not match (got %s, expected %s)", p.name, got, p.value)
	}
	return ""
}

// allOf runs every policy and reports the failures as sigstore-python's
// AllOf does.
func allOf(cert *x509.Certificate, ps ...extPolicy) error {
	var failures []string
	for _, p := range ps {
		if f := p.check(cert); f != "" {
			failures = append(failures, f)
		}
	}
	if failures != nil {
		return verr(CheckPolicy, fmt.Sprintf("%d of %d policies failed: %s", len(failures), len(ps), strings.Join(failures, ", ")))
	}
	return nil
}

// buildConfigMatch checks pypi-attestations' Build Config URI rule: the
// URI equals prefix + "@" + one of the suffixes (the Source Repository
// Digest or Ref).
func buildConfigMatch(cert *x509.Certificate, prefix string, suffixes []string, workflow, repository string) error {
	uri, ok := extensionString(cert, oidBuildConfigURI)
	if ok && slices.Contains(suffixes, strings.TrimPrefix(uri, prefix+"@")) && strings.HasPrefix(uri, prefix+"@") {
		return nil
	}
	return verr(CheckPolicy, fmt.Sprintf("Certificate's Build Config URI (%s) does not match expected Trusted Publisher (%s @ %s)",
		uri, workflow, repository))
}

// refAndDigest returns the Source Repository Digest and Ref present.
func refAndDigest(cert *x509.Certificate) []string {
	var out []string
	for _, oid := range []encasn1.ObjectIdentifier{oidSourceRepositoryDigest, oidSourceRepositoryRef} {
		if v, ok := extensionString(cert, oid); ok {
			out = append(out, v)
		}
	}
	return out
}

// GitHubPublisher is a GitHub Actions Trusted Publisher, checked as
// pypi-attestations' GitHubPublisher policy does: the issuer, the Source
// Repository URI (exact, case-sensitive), and the Build Config URI
// "https://github.com/{Repository}/.github/workflows/{Workflow}@{ref or
// digest}". The SAN and the environment are not checked.
type GitHubPublisher struct {
	Repository string // "owner/name"
	Workflow   string // workflow file name, e.g. "release.yml"
}

// VerifyCertificate implements Policy.
func (p GitHubPublisher) VerifyCertificate(cert *x509.Certificate) error {
	repo := "https://github.com/" + p.Repository
	if err := allOf(cert,
		extPolicy{"OIDCIssuerV2", oidIssuerV2, "https://token.actions.githubusercontent.com"},
		extPolicy{"OIDCSourceRepositoryURI", oidSourceRepositoryURI, repo}); err != nil {
		return err
	}
	suffixes := refAndDigest(cert)
	if len(suffixes) == 0 {
		return verr(CheckPolicy, "Certificate must contain either Source Repository Digest or Source Repository Ref")
	}
	return buildConfigMatch(cert, repo+"/.github/workflows/"+p.Workflow, suffixes, p.Workflow, p.Repository)
}

// GitLabPublisher is a GitLab CI/CD Trusted Publisher, checked as
// pypi-attestations' GitLabPublisher policy does: the issuer, the Source
// Repository URI, and the Build Config URI
// "https://gitlab.com/{Repository}//{WorkflowFilepath}@{digest or ref}";
// both the digest and the ref extensions must be present.
type GitLabPublisher struct {
	Repository       string // "namespace/project"
	WorkflowFilepath string // e.g. ".gitlab-ci.yml"
}

// VerifyCertificate implements Policy.
func (p GitLabPublisher) VerifyCertificate(cert *x509.Certificate) error {
	repo := "https://gitlab.com/" + p.Repository
	if err := allOf(cert,
		extPolicy{"OIDCIssuerV2", oidIssuerV2, "https://gitlab.com"},
		extPolicy{"OIDCSourceRepositoryURI", oidSourceRepositoryURI, repo}); err != nil {
		return err
	}
	suffixes := refAndDigest(cert)
	if len(suffixes) != 2 {
		return verr(CheckPolicy, "Certificate must contain both Source Repository Digest and Source Repository Ref")
	}
	return buildConfigMatch(cert, repo+"//"+p.WorkflowFilepath, suffixes, p.WorkflowFilepath, p.Repository)
}

// GooglePublisher is a Google Cloud Trusted Publisher: the issuer
// extension (1.3.6.1.4.1.57264.1.1) is https://accounts.google.com and a
// SAN is the service account's email, as sigstore-python's Identity
// policy checks.
type GooglePublisher struct {
	Email string
}

// VerifyCertificate implements Policy.
func (p GooglePublisher) VerifyCertificate(cert *x509.Certificate) error {
	if f := (extPolicy{"OIDCIssuer", oidIssuer, "https://accounts.google.com"}).check(cert); f != "" {
		return verr(CheckPolicy, f)
	}
	sans := slices.Clone(cert.EmailAddresses)
	for _, u := range cert.URIs {
		sans = append(sans, u.String())
	}
	if !slices.Contains(sans, p.Email) {
		return verr(CheckPolicy, fmt.Sprintf("Certificate's SANs do not match %s; actual SANs: %v", p.Email, sans))
	}
	return nil
}
