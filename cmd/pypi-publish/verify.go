package main

import (
	"cmp"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/internal/gha"
)

const verifyUsageText = `Usage: pypi-publish verify --trusted-root FILE --repository OWNER/REPO [flags] DIST ...

Verifies offline, as PyPI does when a file is uploaded with them, the PEP
740 attestations of each distribution DIST: DIST.publish.attestation,
which must exist, and any other DIST.KIND.attestation beside it (such as
DIST.slsa.attestation). Each must chain to a Fulcio CA of the trusted root
(Sigstore's public-good trusted_root.json for PyPI), carry an SCT of its
CT log, be logged in its Rekor log with a valid signed entry timestamp,
inclusion proof and checkpoint, be signed by the Trusted Publisher (the
GitHub repository and workflow, or with --gitlab the GitLab project and CI
configuration file) and name DIST's file name and sha256. A file may have
at most two attestations, of distinct predicate types.

The exit status is 0 if every attestation verifies, 1 if any does not
(each failure names the file and the check that failed) or an input
cannot be read, and 2 for a bad command line.

Flags:
`

// gitLabCIConfig is GitLab CI/CD's default configuration path.
const gitLabCIConfig = ".gitlab-ci.yml"

// verifyConfig is what the command line of "pypi-publish verify" asks for.
type verifyConfig struct {
	trustedRoot string
	repository  string
	workflow    string
	issuer      string
	gitlab      bool
	json        bool
	dists       []string
}

// parseVerifyConfig reads the command line of "pypi-publish verify";
// flags may come before, between and after the distributions.
func parseVerifyConfig(args []string, stderr io.Writer) (*verifyConfig, error) {
	c := &verifyConfig{}
	fs := newFlagSet("pypi-publish verify", verifyUsageText, stderr)
	fs.StringVar(&c.trustedRoot, "trusted-root", "", "the Sigstore trusted_root.json `file` to verify against (required)")
	fs.StringVar(&c.repository, "repository", "", "the Trusted Publisher's repository: `OWNER/REPO` on GitHub, "+
		"NAMESPACE/PROJECT on GitLab (required)")
	fs.StringVar(&c.workflow, "workflow", "", "the workflow `file` under .github/workflows, e.g. release.yml "+
		"(default: any workflow of the repository); with --gitlab the CI configuration path (default "+gitLabCIConfig+")")
	fs.BoolVar(&c.gitlab, "gitlab", false, "the Trusted Publisher is a GitLab CI/CD project")
	fs.StringVar(&c.issuer, "issuer", "", "the identity token issuer `URL` the certificates must name (default "+
		attest.GitHubIssuer+", or "+attest.GitLabIssuer+" with --gitlab), for a private Sigstore instance")
	fs.BoolVar(&c.json, "json", false, "print one JSON document describing each attestation on stdout")
	var err error
	if c.dists, err = parseInterspersed(fs, args); err != nil {
		return nil, err
	}
	if err := c.validate(); err != nil {
		fmt.Fprintf(stderr, "pypi-publish verify: %v\nRun pypi-publish verify -h for help.\n", err)
		return nil, errUsage
	}
	return c, nil
}

// validate checks the command line's values; a workflow given as its
// path under .github/workflows becomes its file name.
func (c *verifyConfig) validate() error {
	c.workflow = strings.TrimPrefix(c.workflow, ".github/workflows/")
	parts := strings.Split(c.repository, "/")
	switch {
	case c.trustedRoot == "":
		return errors.New("--trusted-root is required")
	case c.repository == "":
		return errors.New("--repository is required")
	case slices.Contains(parts, "") || strings.ContainsFunc(c.repository, isSpace) ||
		len(parts) < 2 || !c.gitlab && len(parts) != 2:
		return fmt.Errorf("--repository %q: want OWNER/REPO (GitHub) or NAMESPACE/PROJECT (--gitlab)", c.repository)
	case !c.gitlab && strings.Contains(c.workflow, "/"):
		return fmt.Errorf("--workflow %q: want the workflow's file name, e.g. release.yml", c.workflow)
	case len(c.dists) == 0:
		return errors.New("no distribution given")
	}
	return nil
}

func isSpace(r rune) bool { return r <= ' ' || r == 0x7f }

// policy returns the Trusted Publisher policy the command line describes.
func (c *verifyConfig) policy() attest.Policy {
	if c.gitlab {
		return attest.GitLabPublisher{Repository: c.repository, WorkflowFilepath: cmp.Or(c.workflow, gitLabCIConfig),
			Issuer: c.issuer}
	}
	p := attest.GitHubPublisher{Repository: c.repository, Workflow: c.workflow, Issuer: c.issuer}
	if c.workflow == "" {
		return anyWorkflow(p)
	}
	return p
}

// anyWorkflow is the GitHub policy for any workflow of a repository: it
// takes the workflow's file name from the certificate's Build Config URI
// and judges the certificate by it, as PyPI would for a publisher with
// that workflow.
type anyWorkflow attest.GitHubPublisher

// oidBuildConfigURI is Fulcio's Build Config URI extension.
var oidBuildConfigURI = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 18}

// VerifyCertificate implements attest.Policy.
func (p anyWorkflow) VerifyCertificate(cert *x509.Certificate) error {
	pub := attest.GitHubPublisher(p)
	prefix := "https://github.com/" + pub.Repository + "/.github/workflows/"
	for _, ext := range cert.Extensions {
		var uri string
		if ext.Id.Equal(oidBuildConfigURI) && unmarshalUTF8(ext.Value, &uri) {
			if rest, ok := strings.CutPrefix(uri, prefix); ok {
				pub.Workflow, _, _ = strings.Cut(rest, "@")
			}
		}
	}
	return pub.VerifyCertificate(cert)
}

// unmarshalUTF8 decodes a DER UTF8String, the encoding of Fulcio's
// extensions from .8 on.
func unmarshalUTF8(der []byte, s *string) bool {
	rest, err := asn1.UnmarshalWithParams(der, s, "utf8")
	return err == nil && len(rest) == 0
}

// verifyOutcome is the verdict on one attestation file, or on a
// distribution that could not be judged by its attestations.
type verifyOutcome struct {
	Distribution  string `json:"distribution"`
	Attestation   string `json:"attestation,omitempty"`
	OK            bool   `json:"ok"`
	PredicateType string `json:"predicate_type,omitempty"`
	Identity      string `json:"identity,omitempty"`     // the certificate's SAN
	LogIndex      *int64 `json:"log_index,omitempty"`    // of the Rekor entry
	Check         string `json:"check,omitempty"`        // the check that failed
	Error         string `json:"error,omitempty"`        // why it failed
	PyPIMessage   string `json:"pypi_message,omitempty"` // what PyPI would answer an upload with it
}

// runVerify is "pypi-publish verify"; it returns the exit status.
func runVerify(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	c, err := parseVerifyConfig(args, gha.New(stderr, getenv, false).Writer())
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		return 2
	}
	out := gha.New(stdout, getenv, false).Writer()
	b, err := readConfigFile(c.trustedRoot)
	var root *attest.TrustedRoot
	if err == nil {
		root, err = attest.ParseTrustedRoot(b)
	}
	if err != nil {
		fmt.Fprintf(gha.New(stderr, getenv, false).Writer(), "pypi-publish verify: --trusted-root %s: %v\n", c.trustedRoot, err)
		return 1
	}
	policy := c.policy()
	var outcomes []verifyOutcome
	for _, d := range c.dists {
		outcomes = append(outcomes, verifyDist(d, root, policy)...)
	}
	failed := 0
	for _, o := range outcomes {
		if !o.OK {
			failed++
		}
	}
	if c.json {
		doc, err := json.MarshalIndent(struct {
			OK           bool            `json:"ok"`
			Attestations []verifyOutcome `json:"attestations"`
		}{failed == 0, outcomes}, "", "  ")
		if err != nil {
			panic(err) // cannot happen: every field marshals
		}
		stdout.Write(append(gha.JSON(doc), '\n'))
	} else {
		for _, o := range outcomes {
			printOutcome(out, o)
		}
		fmt.Fprintf(out, "%d verified, %d failed.\n", len(outcomes)-failed, failed)
	}
	if failed > 0 {
		return 1
	}
	return 0
}

// printOutcome prints one verdict on a line.
func printOutcome(w io.Writer, o verifyOutcome) {
	name := cmp.Or(o.Attestation, o.Distribution)
	if !o.OK {
		fmt.Fprintf(w, "FAILED %s: %s\n", gha.Line(name), gha.Line(o.Error))
		return
	}
	fmt.Fprintf(w, "OK     %s: %s, signed by %s, Rekor log index %d\n", gha.Line(name), gha.Line(o.PredicateType),
		gha.Line(o.Identity), *o.LogIndex)
}

// verifyDist verifies the attestations of the distribution at path: the
// publish one and any other beside it, then the set as PyPI judges it.
func verifyDist(path string, root *attest.TrustedRoot, policy attest.Policy) []verifyOutcome {
	fail := func(att string, err error) []verifyOutcome {
		return []verifyOutcome{failure(path, att, err)}
	}
	subject, err := distSubject(path)
	if err != nil {
		return fail("", err)
	}
	files, err := attestationFiles(path)
	if err != nil {
		return fail("", err)
	}
	if publish := attest.Filename(path); len(files) == 0 || files[0] != publish {
		return fail(publish, fmt.Errorf("missing: %s has no publish attestation", filepath.Base(path)))
	}
	var outcomes []verifyOutcome
	var set []*attest.Attestation
	for _, f := range files {
		a, o := verifyFile(path, f, root, policy, subject)
		outcomes = append(outcomes, o)
		set = append(set, a)
	}
	if slices.Contains(set, nil) {
		return outcomes
	}
	// Then the rules on the set: at most two, of distinct predicate types.
	if _, err := attest.VerifySet(set, root, policy, subject); err != nil {
		return append(outcomes, failure(path, strings.Join(files, ", "), err))
	}
	return outcomes
}

// verifyFile verifies the attestation file att of the distribution at
// path; the attestation is nil unless it verified.
func verifyFile(path, att string, root *attest.TrustedRoot, policy attest.Policy, s attest.Subject) (*attest.Attestation, verifyOutcome) {
	b, err := readAtMost(att, attest.MaxAttestationSize)
	if err != nil {
		return nil, failure(path, att, err)
	}
	a, err := attest.Parse(b)
	if err != nil {
		return nil, failure(path, att, err)
	}
	pt, err := a.Verify(root, policy, s)
	if err != nil {
		return nil, failure(path, att, err)
	}
	o := verifyOutcome{Distribution: path, Attestation: att, OK: true, PredicateType: pt,
		LogIndex: (*int64)(&a.VerificationMaterial.TransparencyEntries[0].LogIndex)}
	// Verify has parsed the certificate already.
	if cert, err := x509.ParseCertificate(a.VerificationMaterial.Certificate); err == nil && len(cert.URIs) > 0 {
		o.Identity = cert.URIs[0].String()
	}
	return a, o
}

// failure is the verdict of err on att (or on the distribution when att
// is ""), with the check and PyPI's message when attest gives them.
func failure(path, att string, err error) verifyOutcome {
	o := verifyOutcome{Distribution: path, Attestation: att, Error: strings.TrimPrefix(err.Error(), "attest: ")}
	var ve *attest.VerificationError
	var se *attest.SetError
	switch {
	case errors.As(err, &ve):
		o.Check = ve.Check.String()
		o.PyPIMessage = "Could not verify the uploaded artifact using the included attestation: " + ve.PyPIMessage()
	case errors.As(err, &se):
		o.Check = "attestation set"
		o.Error = "attestation set: " + se.Reason
	}
	return o
}

// distSubject returns the subject attestations of the distribution at
// path must name: its base name and sha256.
func distSubject(path string) (attest.Subject, error) {
	// The type is checked before opening, and the open does not block:
	// opening a FIFO would wait for a writer forever.
	// A path that cannot be stat'ed fails at the open, with its error.
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return attest.Subject{}, fmt.Errorf("%s: not a regular file", path)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return attest.Subject{}, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return attest.Subject{}, fmt.Errorf("%s: not a regular file", path)
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return attest.Subject{}, fmt.Errorf("%s: %w", path, err)
	}
	return attest.Subject{Filename: filepath.Base(path), SHA256: [32]byte(h.Sum(nil))}, nil
}

// attestationFiles returns the paths of the attestation files beside the
// distribution at path, "{path}.{kind}.attestation", the publish one
// first.
func attestationFiles(path string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	base := filepath.Base(path)
	var files []string
	for _, e := range entries {
		kind, ok := strings.CutPrefix(e.Name(), base+".")
		kind, ok2 := strings.CutSuffix(kind, ".attestation")
		if ok && ok2 && kind != "" && !strings.Contains(kind, ".") {
			files = append(files, path+"."+kind+".attestation")
		}
	}
	publish := attest.Filename(path)
	slices.SortStableFunc(files, func(a, b string) int {
		switch {
		case a == publish:
			return -1
		case b == publish:
			return 1
		}
		return 0
	})
	return files, nil
}
