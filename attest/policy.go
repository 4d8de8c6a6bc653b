package attest

import (
	"bytes"
	"cmp"
	"crypto/x509"
	"crypto/x509/pkix"
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

func (p extPolicy) check(cert *x509.Certificate) error {
	got, ok := extensionString(cert, p.oid)
	if !ok {
		return verr(CheckPolicy, fmt.Sprintf("Certificate does not contain %s (%s) extension", p.name, p.oid))
	}
	if got == p.value {
		return nil
	}
	// sigstore-python quotes the values of the raw-string extensions
	// (.1.1 to .1.6) only.
	if p.oid[len(p.oid)-1] < 8 {
		return verr(CheckPolicy, fmt.Sprintf("Certificate's %s does not match (got '%s', expected '%s')", p.name, got, p.value))
	}
	return verr(CheckPolicy, fmt.Sprintf("Certificate's %s does not match (got %s, expected %s)", p.name, got, p.value))
}

// allOf returns the first failure of the policies, as sigstore-python's
// AllOf does.
func allOf(cert *x509.Certificate, ps ...extPolicy) error {
	for _, p := range ps {
		if err := p.check(cert); err != nil {
			return err
		}
	}
	return nil
}

// buildConfigMatch checks pypi-attestations' Build Config URI rule: the
// URI equals prefix + "@" + one of the suffixes (the Source Repository
// Digest or Ref).
func buildConfigMatch(cert *x509.Certificate, prefix string, suffixes []string, workflow, repository string) error {
	var ext *pkix.Extension
	for i := range cert.Extensions {
		if cert.Extensions[i].Id.Equal(oidBuildConfigURI) {
			ext = &cert.Extensions[i]
		}
	}
	if ext == nil {
		return verr(CheckPolicy, "Certificate does not contain OIDCBuildConfigURI ("+oidBuildConfigURI.String()+") extension")
	}
	uri, _ := extensionString(cert, oidBuildConfigURI)
	for _, s := range suffixes {
		if uri == prefix+"@"+s {
			return nil
		}
	}
	// pypi-attestations formats the extension object itself, so PyPI shows
	// the repr of Python cryptography's Extension.
	return verr(CheckPolicy, fmt.Sprintf("Certificate's Build Config URI (%s) does not match expected Trusted Publisher (%s @ %s)",
		pyExtensionRepr(ext), workflow, repository))
}

// pyExtensionRepr returns Python cryptography's repr of an extension it
// does not know, e.g. "<Extension(oid=<ObjectIdentifier(oid=1.2.3,
// name=Unknown OID)>, critical=False, value=<UnrecognizedExtension(oid=…,
// value=b'…')>)>".
func pyExtensionRepr(e *pkix.Extension) string {
	oid := "<ObjectIdentifier(oid=" + e.Id.String() + ", name=Unknown OID)>"
	critical := "False"
	if e.Critical {
		critical = "True"
	}
	return "<Extension(oid=" + oid + ", critical=" + critical + ", value=<UnrecognizedExtension(oid=" + oid +
		", value=" + pyBytesRepr(e.Value) + ")>)>"
}

// pyBytesRepr returns Python's repr of a bytes value.
func pyBytesRepr(b []byte) string {
	quote := byte('\'')
	if bytes.IndexByte(b, '\'') >= 0 && bytes.IndexByte(b, '"') < 0 {
		quote = '"'
	}
	var s strings.Builder
	s.WriteString("b")
	s.WriteByte(quote)
	for _, c := range b {
		switch {
		case c == quote || c == '\\':
			s.WriteByte('\\')
			s.WriteByte(c)
		case c == '\t':
			s.WriteString(`\t`)
		case c == '\n':
			s.WriteString(`\n`)
		case c == '\r':
			s.WriteString(`\r`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&s, `\x%02x`, c)
		default:
			s.WriteByte(c)
		}
	}
	s.WriteByte(quote)
	return s.String()
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
	// Issuer is the identity token issuer the certificate must name;
	// "" means GitHub Actions' (GitHubIssuer). Tests set it to a fake
	// issuer's URL.
	Issuer string
}

// GitHubIssuer is the issuer of GitHub Actions' identity tokens.
const GitHubIssuer = "https://token.actions.githubusercontent.com"

// VerifyCertificate implements Policy.
func (p GitHubPublisher) VerifyCertificate(cert *x509.Certificate) error {
	repo := "https://github.com/" + p.Repository
	issuer := p.Issuer
	if issuer == "" {
		issuer = GitHubIssuer
	}
	if err := allOf(cert,
		extPolicy{"OIDCIssuerV2", oidIssuerV2, issuer},
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
	// Issuer is the identity token issuer the certificate must name;
	// "" means GitLab.com's (GitLabIssuer). Tests set it to a fake
	// issuer's URL.
	Issuer string
}

// GitLabIssuer is the issuer of GitLab.com's CI/CD identity tokens.
const GitLabIssuer = "https://gitlab.com"

// VerifyCertificate implements Policy.
func (p GitLabPublisher) VerifyCertificate(cert *x509.Certificate) error {
	repo := "https://gitlab.com/" + p.Repository
	if err := allOf(cert,
		extPolicy{"OIDCIssuerV2", oidIssuerV2, cmp.Or(p.Issuer, GitLabIssuer)},
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
	if err := (extPolicy{"OIDCIssuer", oidIssuer, "https://accounts.google.com"}).check(cert); err != nil {
		return err
	}
	sans := slices.Clone(cert.EmailAddresses)
	for _, u := range cert.URIs {
		sans = append(sans, u.String())
	}
	if slices.Contains(sans, p.Email) {
		return nil
	}
	// The SANs are shown as sigstore-python shows its Python set.
	shown := "set()"
	if len(sans) > 0 {
		shown = "{'" + strings.Join(sans, "', '") + "'}"
	}
	return verr(CheckPolicy, fmt.Sprintf("Certificate's SANs do not match %s; actual SANs: %s", p.Email, shown))
}
