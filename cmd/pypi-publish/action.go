package main

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/internal/gha"
	"github.com/trustpub/pypi/internal/redact"
	"github.com/trustpub/pypi/mint"
)

// gh-action-pypi-publish's messages (twine-upload.sh, oidc-exchange.py),
// reproduced word for word so that logs read the same after a switch.
const (
	passwordNudgeTitle = "Password-based uploads disabled"
	passwordNudge      = "As of 2024, PyPI requires all users to enable Two-Factor Authentication. " +
		"This consequently requires all users to switch to either Trusted Publishers (preferred) " +
		"or API tokens for package uploads. Read more: https://blog.pypi.org/posts/2023-05-25-securing-pypi-with-2fa/"
	trustedPublishingNudgeTitle = "Upgrade to Trusted Publishing"
	trustedPublishingNudge      = "Trusted Publishers allows publishing packages to PyPI from automated " +
		"environments like GitHub Actions without needing to use username/password combinations or API " +
		"tokens to authenticate with PyPI. Read more: https://docs.pypi.org/trusted-publishers"
	attestationsIgnoredTitle = "attestations input ignored"
	attestationsWithoutTP    = "The workflow was run with the 'attestations: true' input, but an explicit " +
		"password was also set, disabling Trusted Publishing. As a result, the attestations input is ignored."
	attestationsWrongIndex = "The workflow was run with 'attestations: true' input, but the specified " +
		"repository URL does not support PEP 740 attestations. As a result, the attestations input is ignored."
	attestationsNotice = "Generating and uploading digital attestations"
	// The texts of the action's attestations.py.
	attestationFailurePrefix  = "Attestation generation failure: "
	attestationFailureSummary = `
Attestation generation failure:

%s

You're seeing this because the action attempted to generated PEP 740
attestations for its inputs, but failed to do so.
`
	attestationTokenFailure = `
OpenID Connect token retrieval failed: %s

This failure occurred after a successful Trusted Publishing Flow,
suggesting a transient error.
`
	attestationsExist = "The following distributions already have publish attestations: %s"
	magicLinkTitle    = "Create a Trusted Publisher"
	magicLinkIntro    = "A new Trusted Publisher for the currently running publishing workflow can be created " +
		"by accessing the following link(s) while logged-in as an owner of the package(s):"
	invalidTokenFile = "# >> PyPA publish to PyPI GHA: POTENTIALLY INVALID TOKEN << "
	invalidToken     = "It looks like you are trying to use an API token to authenticate in the package " +
		"index and your token value does not start with \"pypi-\" as it typically should. This may cause " +
		"an authentication error. Please verify that you have copied your token properly if such an error occurs."
	missingDistsFile = "# >> PyPA publish to PyPI GHA: MISSING DISTS << "
	missingDists     = "It looks like there are no Python distribution packages to publish in the directory " +
		"%q. Please verify that they are in place should you face this problem."
	exchangeFailurePrefix  = "Trusted publishing exchange failure: "
	exchangeFailureSummary = `Trusted publishing exchange failure:

%s

You're seeing this because the action wasn't given the inputs needed to
perform password-based or token-based authentication. If you intended to
perform one of those authentication methods instead of trusted
publishing, then you should double-check your secret configuration and variable
names.

Read more about trusted publishers at https://docs.pypi.org/trusted-publishers/

Read more about how this action uses trusted publishers at
https://github.com/marketplace/actions/pypi-publish#trusted-publishing
`
)

// onPyPI reports whether the repository's upload URL is on pypi.org, as
// the action's test (=~ pypi\.org) has it.
func onPyPI(repository string) bool {
	return strings.Contains(pypi.UploadURL(repository), "pypi.org")
}

// action says what gh-action-pypi-publish says in the situations it
// knows, before and after the upload.
type action struct {
	r      *gha.Runner
	c      *config
	getenv func(string) string
}

// inputsOnly forgets the credentials and the index that TWINE_* and
// UV_PUBLISH_* variables gave: in action mode they come from the inputs
// alone, as in gh-action-pypi-publish, so a job-level TWINE_PASSWORD or
// UV_PUBLISH_TOKEN cannot displace Trusted Publishing nor another
// variable move the upload to another index. Flags on the command line
// still count.
func (c *config) inputsOnly(set map[string]bool) {
	unless := func(v *string, flags ...string) {
		for _, f := range flags {
			if set[f] {
				return
			}
		}
		*v = ""
	}
	unless(&c.username, "u", "username")
	unless(&c.password, "p", "password")
	unless(&c.token, "t", "token")
	repoFlags := []string{"r", "repository", "repository-url", "publish-url", "index"}
	unless(&c.repositoryURL, repoFlags...)
	unless(&c.repository, repoFlags...)
	unless(&c.index, repoFlags...)
	unless(&c.checkURL, "check-url")
}

// trustedPublishing reports whether the action would use Trusted
// Publishing: user __token__ (or none) and no password.
func (a *action) trustedPublishing() bool {
	return (a.c.username == "" || a.c.username == "__token__") && a.c.password == "" && a.c.trusted != "never"
}

// before prints the action's warnings and nudges about the inputs; false
// means the action would stop here (a password for PyPI).
func (a *action) before() bool {
	repo := a.c.repositoryArg()
	if a.c.attestationsInput {
		if !a.trustedPublishing() {
			a.r.Warning(gha.Annotation{Title: attestationsIgnoredTitle}, attestationsWithoutTP)
		}
		if !a.attestableIndex() {
			a.r.Warning(gha.Annotation{Title: attestationsIgnoredTitle}, attestationsWrongIndex)
		}
	}
	tokenUser := a.c.username == "" || a.c.username == "__token__"
	switch {
	case a.trustedPublishing():
		a.r.Debug("Authenticating to " + a.c.displayURL() + " via Trusted Publishing")
	case tokenUser:
		a.r.Debug("Using a user-provided API token for authentication against " + a.c.displayURL())
		if onPyPI(repo) {
			a.r.Warning(gha.Annotation{Title: trustedPublishingNudgeTitle}, trustedPublishingNudge)
			a.magicLink(nil)
		}
	default:
		a.r.Debug("Using a username + password pair for authentication against " + a.c.displayURL())
		if onPyPI(repo) {
			a.r.Error(gha.Annotation{Title: passwordNudgeTitle}, passwordNudge)
			a.r.Warning(gha.Annotation{Title: trustedPublishingNudgeTitle}, trustedPublishingNudge)
			a.magicLink(nil)
			return false
		}
	}
	if tokenUser && a.c.password != "" && !strings.HasPrefix(a.c.password, "pypi-") {
		a.r.Warning(gha.Annotation{File: invalidTokenFile}, invalidToken)
	}
	if names := a.packageNames(); len(names) == 0 {
		a.r.Warning(gha.Annotation{File: missingDistsFile}, fmt.Sprintf(missingDists, a.packagesDir()+"/"))
	}
	return true
}

// attestableIndex reports whether the index takes attestations: PyPI or
// TestPyPI, as the action's test (=~ pypi\.org) has it, or any index
// when another Sigstore is configured (a fake PyPI's test).
func (a *action) attestableIndex() bool {
	return onPyPI(a.c.repositoryArg()) || a.c.signer != nil
}

// attesting reports whether the action generates attestations.
func (a *action) attesting() bool {
	return a.c.attestationsInput && a.trustedPublishing() && a.attestableIndex()
}

// attestationsExist reports, as the action's attestations.py does before
// it signs anything, the distributions that already have a publish
// attestation, and says whether there were any.
func (a *action) attestationsExist() bool {
	paths, _ := pypi.FindFiles(a.c.paths...)
	var found []string
	for _, p := range paths {
		att := attest.Filename(p)
		if _, err := os.Lstat(att); err == nil {
			found = append(found, "* "+absPath(p)+" -> "+absPath(att))
		}
	}
	if len(found) == 0 {
		return false
	}
	a.attestationFailed(fmt.Sprintf(attestationsExist, strings.Join(found, "\n")))
	return true
}

// attestationFailed reports a failure to generate attestations as the
// action's die() does: the job summary, then an error annotation.
func (a *action) attestationFailed(msg string) {
	a.r.Summary(fmt.Sprintf(attestationFailureSummary, msg) + "\n")
	a.r.Error(gha.Annotation{}, attestationFailurePrefix+msg)
}

// attestationError reports Publish's *pypi.AttestationError in the
// action's words: a failure to get the identity token in its own.
func (a *action) attestationError(err *pypi.AttestationError) {
	var se *attest.SignError
	if errors.As(err, &se) && se.Op == attest.SignOpIdentity {
		a.attestationFailed(fmt.Sprintf(attestationTokenFailure, se.Reason))
		return
	}
	a.attestationFailed(err.Err.Error())
}

// absPath is p made absolute, as the action's resolve() makes it.
func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

func (a *action) packagesDir() string {
	if len(a.c.paths) == 1 {
		return a.c.paths[0]
	}
	return "dist"
}

// packageNames are the normalised project names of the wheels and sdists
// to publish, sorted, as the action's print-pkg-names.py lists them.
func (a *action) packageNames() []string {
	paths, _ := pypi.FindFiles(a.c.paths...)
	var names []string
	for _, p := range paths {
		if f, err := dist.ParseFilename(filepath.Base(p)); err == nil {
			names = append(names, dist.NormalizeName(f.Name))
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// magicLink prints the links that create a trusted publisher for this
// workflow, one per project (names, or the files' projects when nil), on
// PyPI and TestPyPI only.
func (a *action) magicLink(names []string) {
	if names == nil {
		names = a.packageNames()
	}
	pub := githubPublisherFromEnv(a.getenv)
	var links []string
	for _, n := range names {
		if link, ok := publisherFormURL(a.c.uploadURL(), n, pub); ok {
			links = append(links, "- "+link)
		}
	}
	if len(links) == 0 {
		return
	}
	msg := magicLinkIntro + "\n" + strings.Join(links, "\n")
	a.r.Warning(gha.Annotation{Title: magicLinkTitle}, msg)
	a.r.Summary(msg + "\n")
}

// trustedPublishingFailed reports a failed exchange as the action's die()
// does: the job summary, then an error annotation. A publisher that does
// not match also gets the links that create one.
func (a *action) trustedPublishingFailed(err error, results []pypi.Result) {
	msg := explain(err)
	a.r.Summary(fmt.Sprintf(exchangeFailureSummary, explainIn(err, markdown)))
	a.r.Error(gha.Annotation{}, exchangeFailurePrefix+msg)
	var me *mint.Error
	if errors.As(err, &me) && slices.ContainsFunc(me.Reasons, func(r mint.Reason) bool { return r.Code == "invalid-publisher" }) {
		var names []string
		for _, r := range results {
			names = append(names, dist.NormalizeName(r.Name))
		}
		slices.Sort(names)
		a.magicLink(slices.Compact(names))
	}
}

// warning reports a warning of Publish; the reusable-workflow one as the
// action's warn() does.
func (a *action) warning(e pypi.Event) {
	if e.Warning == pypi.WarningReusableWorkflow {
		msg := warningText(e)
		a.r.Summary(msg + "\n")
		a.r.Warning(gha.Annotation{}, e.Title+": "+msg)
		return
	}
	a.r.Warning(gha.Annotation{Title: e.Title}, e.Message)
}

// summaryTitle is the job summary's heading: "Published to" only when
// every file is on the index, and how many are not when some are not.
func summaryTitle(results []pypi.Result, repository string) string {
	failed := 0
	for _, r := range results {
		if !r.Outcome.OK() {
			failed++
		}
	}
	switch {
	case len(results) == 0:
		return "Nothing published to " + repository
	case failed > 0:
		return fmt.Sprintf("Publishing to %s failed: %d of %d files not published", repository, failed, len(results))
	}
	return "Published to " + repository
}

// response prints, when verbose (the action's default), the index's
// answer to a file's upload as twine --verbose does: "Response from URL:",
// the status and its reason, then the body (see responseText), with
// every known secret redacted. p.mu is held.
func (p *publisher) response(r *pypi.Result) {
	if !p.c.verbose || r.Status == 0 {
		return
	}
	fmt.Fprintf(p.out, "Response from %s:\n%d %s\n", p.c.displayURL(), r.Status, http.StatusText(r.Status))
	if text := responseText(r); text != "" {
		fmt.Fprintln(p.out, redact.String(text, slices.Collect(maps.Keys(p.masked))...))
	}
}
