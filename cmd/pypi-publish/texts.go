package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/internal/gha"
	"github.com/trustpub/pypi/mint"
	"github.com/trustpub/pypi/oidc"
)

// This file renders gh-action-pypi-publish's Trusted Publishing texts
// (oidc-exchange.py) word for word from the structured errors and claims
// of the oidc and mint packages.

// escaper puts the index's words (reasons, claims) into a text: code for
// a code span, text for running text.
type escaper struct{ code, text func(string) string }

func same(s string) string { return s }

var (
	// plain leaves them as they are, for the log and annotations.
	plain = escaper{code: same, text: same}
	// markdown keeps them from breaking out of the job summary's Markdown.
	markdown = escaper{
		code: func(s string) string { return strings.ReplaceAll(gha.Line(s), "`", "'") },
		text: gha.MarkdownText,
	}
)

// explain returns the message that explains a Trusted Publishing failure,
// in gh-action-pypi-publish's words.
func explain(err error) string { return explainIn(err, plain) }

// explainIn is explain with the index's words escaped by esc.
func explainIn(err error, esc escaper) string {
	var ae *oidc.AmbientError
	var me *mint.Error
	switch {
	case errors.As(err, &ae):
		return ambientMessage(ae)
	case errors.As(err, &me):
		return mintMessage(me, esc)
	case errors.Is(err, oidc.ErrNoAmbientCredential):
		return "OpenID Connect token retrieval failed: Attempted to discover OIDC in broken environment"
	}
	return err.Error()
}

// ambientMessage is the action's explanation of a CI that gave no token.
// Under GitHub Actions it says how to fix the workflow: a pull request
// from a fork gets the fork explanation, anything else the
// `id-token: write` permission fix. Other providers get the one-line
// detail.
func ambientMessage(e *oidc.AmbientError) string {
	head := "OpenID Connect token retrieval failed: " + e.Detail
	switch {
	case e.Provider != oidc.ProviderGitHub:
		return head
	case errors.Is(e, oidc.ErrForkPR):
		return head + "\n\n" + forkPRHelp
	default:
		return head + "\n\n" + permissionHelp
	}
}

// mintMessage is the action's explanation of a failed audience or
// mint-token call (for the cases where the action crashes instead, a
// message in its style).
func mintMessage(e *mint.Error, esc escaper) string {
	switch {
	case errors.Is(e, mint.ErrMintRejected):
		return fmt.Sprintf(rejectedMessage, renderReasons(e.Reasons, esc), renderClaims(e.Claims, esc))
	case e.Endpoint == mint.EndpointMintToken && errors.Is(e, mint.ErrBadResponse):
		switch {
		case e.Err != nil: // the answer is not JSON
			return fmt.Sprintf(malformedJSONMessage, e.Status)
		case e.Status < 200 || e.Status > 299:
			return fmt.Sprintf(noReasonsMessage, e.Status, statusPhrase(e.Status))
		}
		return noTokenMessage
	}
	// mint's one-line audience and transport messages are the action's.
	return strings.TrimPrefix(e.Error(), "mint: ")
}

func renderReasons(reasons []mint.Reason, esc escaper) string {
	lines := make([]string, len(reasons))
	for i, r := range reasons {
		lines[i] = fmt.Sprintf("* `%s`: %s", esc.code(r.Code), esc.text(r.Description))
	}
	return strings.Join(lines, "\n")
}

// renderClaims renders the claims gh-action-pypi-publish shows on a refusal.
func renderClaims(c oidc.Claims, esc escaper) string {
	var b strings.Builder
	b.WriteString(claimsHeader)
	for _, name := range []string{"sub", "repository", "repository_owner", "repository_owner_id", "workflow_ref", "job_workflow_ref", "ref", "environment"} {
		v, ok := c.Get(name)
		if !ok {
			v = "MISSING"
		}
		v = esc.code(v)
		fmt.Fprintf(&b, "* `%s`: `%s`\n", name, v)
	}
	b.WriteString(claimsFooter)
	return b.String()
}

// statusPhrase is Python's HTTPStatus phrase, for the statuses it knows.
func statusPhrase(code int) string {
	if s := http.StatusText(code); s != "" {
		return s
	}
	return "Unknown Status"
}

// warningText is the message of a warning of Publish: the action's words
// for a reusable workflow, else the event's own.
func warningText(e pypi.Event) string {
	if called, caller, ok := e.Claims.ReusableWorkflow(); ok && e.Warning == pypi.WarningReusableWorkflow {
		return fmt.Sprintf(reusableWorkflowWarning, called, caller)
	}
	return e.Message
}

// githubPublisher describes the running GitHub Actions workflow as a
// trusted publisher, with the field names of Warehouse's GitHubPublisher.
type githubPublisher struct {
	RepositoryOwner  string // e.g. "pypa"
	Repository       string // the name without the owner, e.g. "sampleproject"
	WorkflowFilename string // e.g. "release.yml"
}

// githubPublisherFromEnv describes the running workflow from
// GITHUB_REPOSITORY_OWNER, GITHUB_REPOSITORY and GITHUB_WORKFLOW_REF, read
// through getenv, as gh-action-pypi-publish does.
func githubPublisherFromEnv(getenv func(string) string) githubPublisher {
	_, repo, _ := strings.Cut(getenv("GITHUB_REPOSITORY"), "/")
	repo, _, _ = strings.Cut(repo, "/")
	// GITHUB_WORKFLOW_REF is owner/repo/.github/workflows/file.yml@ref.
	wf := getenv("GITHUB_WORKFLOW_REF")
	for range 4 {
		_, wf, _ = strings.Cut(wf, "/")
	}
	wf, _, _ = strings.Cut(wf, "@")
	return githubPublisher{RepositoryOwner: getenv("GITHUB_REPOSITORY_OWNER"), Repository: repo, WorkflowFilename: wf}
}

// publisherFormURL returns the link to the form that creates a trusted
// publisher for project and workflow p on the index of uploadURL,
// prefilled, which an owner of the project can open while logged in. It
// reports false for indexes other than PyPI and TestPyPI, which have no
// such form.
func publisherFormURL(uploadURL, project string, p githubPublisher) (string, bool) {
	u, err := url.Parse(uploadURL)
	if err != nil {
		return "", false
	}
	var site string
	switch u.Host {
	case "upload.pypi.org", "pypi.org":
		site = "https://pypi.org"
	case "test.pypi.org":
		site = "https://test.pypi.org"
	default:
		return "", false
	}
	// The action's parameter order, which url.Values.Encode would sort.
	return site + "/manage/project/" + url.PathEscape(project) + "/settings/publishing/" +
		"?provider=github" +
		"&owner=" + url.QueryEscape(p.RepositoryOwner) +
		"&repository=" + url.QueryEscape(p.Repository) +
		"&workflow_filename=" + url.QueryEscape(p.WorkflowFilename), true
}

const (
	permissionHelp = `This generally indicates a workflow configuration error, such as insufficient
permissions. Make sure that your workflow has ` + "`id-token: write`" + ` configured
at the job level, e.g.:

` + "```yaml" + `
permissions:
  id-token: write
` + "```" + `

Learn more at https://docs.github.com/en/actions/deployment/security-hardening-your-deployments/about-security-hardening-with-openid-connect#adding-permissions-settings.`

	forkPRHelp = `The workflow context indicates that this action was called from a
pull request on a fork. GitHub doesn't give these workflows OIDC permissions,
even if ` + "`id-token: write`" + ` is explicitly configured.

To fix this, change your publishing workflow to use an event that
forks of your repository cannot trigger (such as tag or release
creation, or a manually triggered workflow dispatch).`

	malformedJSONMessage = `Token request failed: the index produced an unexpected
%d response.

This strongly suggests a server configuration or downtime issue; wait
a few minutes and try again.

You can monitor PyPI's status here: https://status.python.org/`

	// The blank line before the claims is doubled, as in the action, whose
	// claims template starts with a newline.
	rejectedMessage = `Token request failed: the server refused the request for the following reasons:

%s

This generally indicates a trusted publisher configuration error, but could
also indicate an internal error on GitHub or PyPI's part.

%s`

	claimsHeader = "\nThe claims rendered below are **for debugging purposes only**. You should **not**\n" +
		"use them to configure a trusted publisher unless they already match your expectations.\n\n" +
		"If a claim is not present in the claim set, then it is rendered as `MISSING`.\n\n"

	claimsFooter = "\nSee https://docs.pypi.org/trusted-publishers/troubleshooting/ for more help."

	noReasonsMessage = `Token request failed: the index responded with %d %s
and gave no reasons.

This strongly suggests a server configuration or downtime issue; wait
a few minutes and try again.`

	noTokenMessage = `Token response error: the index gave us an invalid response.

This strongly suggests a server configuration or downtime issue; wait
a few minutes and try again.`

	reusableWorkflowWarning = `The claims in this token suggest that the calling workflow is a reusable workflow.

In particular, this action was initiated by:

    %s

Whereas its parent workflow is:

    %s

Reusable workflows are **not currently supported** by PyPI's Trusted Publishing
functionality, and are subject to breakage. Users are **strongly encouraged**
to avoid using reusable workflows for Trusted Publishing until support
becomes official. Please, do not report bugs if this breaks.

For more information, see:

* https://docs.pypi.org/trusted-publishers/troubleshooting/#reusable-workflows-on-github
* https://github.com/pypa/gh-action-pypi-publish/issues/166 — subscribe to
  this issue to watch the progress and learn when reusable workflows become
  supported officially`
)
