package pypitest

import (
	"strings"
	"time"
)

// GitHub's token lifetime as seen in real tokens: valid for five minutes,
// with nbf five minutes before iat.
const (
	gitHubTokenLifetime = 5 * time.Minute
	gitHubNotBeforeSkew = 5 * time.Minute
)

// Values of the run that no test needs to choose.
const (
	gitHubActor = "octocat"
	gitHubRunID = "9876543210"
)

// A GitHubRun describes the GitHub Actions job an [Issuer] pretends to run.
// It shapes the claims of the tokens the issuer hands out and the
// environment [Issuer.Env] describes. Each empty field takes the default
// documented on it.
type GitHubRun struct {
	// Owner is the repository's owner (claim repository_owner).
	// Default "octo-org".
	Owner string
	// OwnerID is the owner's numeric ID as a string (repository_owner_id).
	// Default "131804563".
	OwnerID string
	// Repository is the repository's name, without the owner.
	// Default "sampleproject".
	Repository string
	// Workflow is the workflow's file name under .github/workflows.
	// Default "release.yml".
	Workflow string
	// Ref is the git ref the run is for (claim ref). Default "refs/heads/main".
	Ref string
	// SHA is the commit the run is for (claim sha).
	// Default "8f3d1a2b4c5e6f708192a3b4c5d6e7f801234567".
	SHA string
	// Environment is the job's deployment environment (claim environment).
	// Default none: the claim is absent.
	Environment string
	// EventName is the event that triggered the run (claim event_name).
	// Default "push".
	EventName string
	// JobWorkflowRef is the job_workflow_ref claim of a job that runs in a
	// reusable workflow, e.g.
	// "octo-org/shared/.github/workflows/publish.yml@refs/heads/main".
	// Default: the run's own workflow at Ref, the same as workflow_ref.
	JobWorkflowRef string
	// Fork marks a run for a pull request from a fork: its event payload
	// says so (pull_request.head.repo.fork), and for the pull_request event,
	// whose runs GitHub gives no OIDC token, [Issuer.Env] leaves out the
	// token request variables.
	Fork bool
	// NoIDToken marks a job without "permissions: id-token: write": [Issuer.Env]
	// leaves out ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN.
	NoIDToken bool
}

// defaultSHA is the commit of a GitHubRun or a GitLabRun that names none.
const defaultSHA = "8f3d1a2b4c5e6f708192a3b4c5d6e7f801234567"

// setDefault sets *s to v if *s is empty.
func setDefault(s *string, v string) {
	if *s == "" {
		*s = v
	}
}

// withDefaults returns r with every empty field set to its default.
func (r GitHubRun) withDefaults() GitHubRun {
	setDefault(&r.Owner, "octo-org")
	setDefault(&r.OwnerID, "131804563")
	setDefault(&r.Repository, "sampleproject")
	setDefault(&r.Workflow, "release.yml")
	setDefault(&r.Ref, "refs/heads/main")
	setDefault(&r.SHA, defaultSHA)
	setDefault(&r.EventName, "push")
	return r
}

// slug returns the repository as "owner/name" (claim repository).
func (r GitHubRun) slug() string {
	r = r.withDefaults()
	return r.Owner + "/" + r.Repository
}

// workflowRef returns the workflow_ref claim: "owner/name/.github/workflows/FILE@REF".
func (r GitHubRun) workflowRef() string {
	r = r.withDefaults()
	return r.slug() + "/.github/workflows/" + r.Workflow + "@" + r.Ref
}

// forkPullRequest reports whether GitHub withholds the OIDC token from the
// run because it is for a pull request from a fork.
func (r GitHubRun) forkPullRequest() bool { return r.Fork && r.EventName == "pull_request" }

// Publisher returns the trusted publisher that a token of this run matches,
// registered for project.
func (r GitHubRun) Publisher(project string) GitHubPublisher {
	r = r.withDefaults()
	return GitHubPublisher{
		Project:           project,
		RepositoryOwner:   r.Owner,
		RepositoryOwnerID: r.OwnerID,
		Repository:        r.Repository,
		WorkflowFilename:  r.Workflow,
		Environment:       r.Environment,
	}
}

// claims returns the claims GitHub would sign for this run, without iss
// (the issuer adds its own URL).
func (r GitHubRun) claims(audience, jti string, now time.Time) map[string]any {
	r = r.withDefaults()
	iat := now.Unix()
	jobWorkflowRef := r.JobWorkflowRef
	if jobWorkflowRef == "" {
		jobWorkflowRef = r.workflowRef()
	}
	sub := "repo:" + r.slug() + ":ref:" + r.Ref
	switch {
	case r.Environment != "":
		sub = "repo:" + r.slug() + ":environment:" + r.Environment
	case r.EventName == "pull_request":
		sub = "repo:" + r.slug() + ":pull_request"
	}
	refType := ""
	switch {
	case strings.HasPrefix(r.Ref, "refs/heads/"):
		refType = "branch"
	case strings.HasPrefix(r.Ref, "refs/tags/"):
		refType = "tag"
	}
	headRef, baseRef := "", ""
	if strings.HasPrefix(r.EventName, "pull_request") {
		headRef, baseRef = "feature", "main"
	}
	c := map[string]any{
		"actor":                 gitHubActor,
		"actor_id":              "583231",
		"aud":                   audience,
		"base_ref":              baseRef,
		"check_run_id":          "27004281853",
		"event_name":            r.EventName,
		"exp":                   iat + int64(gitHubTokenLifetime/time.Second),
		"head_ref":              headRef,
		"iat":                   iat,
		"job_workflow_ref":      jobWorkflowRef,
		"job_workflow_sha":      r.SHA,
		"jti":                   jti,
		"nbf":                   iat - int64(gitHubNotBeforeSkew/time.Second),
		"ref":                   r.Ref,
		"ref_protected":         "false",
		"ref_type":              refType,
		"repository":            r.slug(),
		"repository_id":         "694526351",
		"repository_owner":      r.Owner,
		"repository_owner_id":   r.OwnerID,
		"repository_visibility": "public",
		"run_attempt":           "1",
		"run_id":                gitHubRunID,
		"run_number":            "42",
		"runner_environment":    "github-hosted",
		"sha":                   r.SHA,
		"sub":                   sub,
		"workflow":              strings.TrimSuffix(strings.TrimSuffix(r.Workflow, ".yml"), ".yaml"),
		"workflow_ref":          r.workflowRef(),
		"workflow_sha":          r.SHA,
	}
	if r.Environment != "" {
		c["environment"] = r.Environment
		c["environment_node_id"] = "EN_kwDOKWWOb84Bz5y1"
	}
	return c
}
