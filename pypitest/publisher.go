package pypitest

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// A GitHubPublisher is a trusted publisher for GitHub Actions, as registered
// on a project's publishing settings page at PyPI. Register one with
// [Server.AddPublisher]; [GitHubRun.Publisher] gives the one that matches a
// run.
type GitHubPublisher struct {
	// Project is the PyPI project the publisher may upload to.
	Project string
	// Repository is the repository's name, without the owner.
	Repository string
	// RepositoryOwner is the repository's owner, as GitHub spells it.
	RepositoryOwner string
	// RepositoryOwnerID is the owner's numeric GitHub ID, as a string.
	// PyPI checks it so that a deleted and re-created account of the same
	// name does not inherit the publisher.
	RepositoryOwnerID string
	// WorkflowFilename is the workflow's file name, e.g. "release.yml".
	WorkflowFilename string
	// Environment is the GitHub deployment environment the job must run in;
	// "" accepts any environment, or none. PyPI compares environments
	// case-insensitively and stores them in lower case.
	Environment string
}

// publisher is a registered GitHubPublisher with every project it serves; a
// token it mints may upload to all of them, as at PyPI.
type publisher struct {
	GitHubPublisher
	projects []string // display names, in registration order
}

// invalidPublisher is a reason a verified token matches no publisher, in
// Warehouse's words (InvalidPublisherError).
type invalidPublisher string

// errReusedToken means the token's jti was already used (ReusedTokenError).
var errReusedToken = errors.New("pypitest: jti already used")

// AddPublisher registers p. Registering the same publisher (owner,
// repository, workflow, environment) for another project lets its tokens
// upload to both projects, as at PyPI. It panics if a field other than
// Environment is empty.
func (s *Server) AddPublisher(p GitHubPublisher) {
	if p.Project == "" || p.RepositoryOwner == "" || p.RepositoryOwnerID == "" || p.Repository == "" || p.WorkflowFilename == "" {
		panic("pypitest: AddPublisher needs Project, Repository, RepositoryOwner, RepositoryOwnerID and WorkflowFilename")
	}
	p.Environment = strings.ToLower(p.Environment)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, q := range s.publishers {
		if q.RepositoryOwner == p.RepositoryOwner && q.Repository == p.Repository && q.WorkflowFilename == p.WorkflowFilename && q.Environment == p.Environment {
			if !slices.ContainsFunc(q.projects, func(name string) bool { return normalizeProject(name) == normalizeProject(p.Project) }) {
				q.projects = append(q.projects, p.Project)
			}
			return
		}
	}
	s.publishers = append(s.publishers, &publisher{GitHubPublisher: p, projects: []string{p.Project}})
}

// requiredGitHubClaims are the claims a GitHub token must carry, in the
// order Warehouse lists them (verifiable ones, then ref and sha).
var requiredGitHubClaims = []string{
	"repository", "repository_owner", "repository_owner_id", "job_workflow_ref", "jti", "event_name", "ref", "sha",
}

// workflowFilename finds the workflow file name in a job_workflow_ref as
// Warehouse's regexp does: the leftmost, longest run of characters other
// than "/" that ends in .yml or .yaml and is followed by "@" (which may
// occur inside it). The "@" is part of the match because RE2 has no
// lookahead.
var workflowFilename = regexp.MustCompile(`([^/]+\.(?:yml|yaml))@`)

// findPublisher returns the publisher that verified claims match, checking
// them as Warehouse's GitHub publisher does (warehouse/oidc/models/github.py),
// or the reason none does. A claim of a type Warehouse would crash on gives
// an errInternal. The caller holds s.mu.
func (s *Server) findPublisher(claims map[string]any) (*publisher, error) {
	for _, name := range requiredGitHubClaims {
		if claims[name] == nil {
			return nil, invalidPublisher("Missing claim " + pyfmt.Repr(name))
		}
	}
	repository, ok1 := claims["repository"].(string)
	jobWorkflowRef, ok2 := claims["job_workflow_ref"].(string)
	environment, ok3 := claims["environment"].(string)
	owner, name, found := strings.Cut(repository, "/")
	if !ok1 || !ok2 || !found || (!ok3 && truthy(claims["environment"])) {
		return nil, errInternal
	}
	m := workflowFilename.FindStringSubmatch(jobWorkflowRef)
	if m == nil {
		return nil, invalidPublisher("Could not job extract workflow filename from OIDC claims")
	}
	var candidates []*publisher
	for _, p := range s.publishers {
		if p.Repository == name && p.RepositoryOwner == owner && claims["repository_owner_id"] == p.RepositoryOwnerID && p.WorkflowFilename == m[1] {
			candidates = append(candidates, p)
		}
	}
	p := pickForEnvironment(candidates, environment)
	if p == nil {
		return nil, invalidPublisher("Publisher with matching claims was not found")
	}
	if err := s.verifyClaims(p, claims); err != nil {
		return nil, err
	}
	return p, nil
}

// pickForEnvironment prefers the publisher bound to the token's environment,
// then one that accepts any environment.
func pickForEnvironment(candidates []*publisher, environment string) *publisher {
	if environment != "" {
		for _, p := range candidates {
			if p.Environment == strings.ToLower(environment) {
				return p
			}
		}
	}
	for _, p := range candidates {
		if p.Environment == "" {
			return p
		}
	}
	return nil
}

// verifyClaims runs, in Warehouse's order, those of its claim checks for p
// that can fail once the lookup has chosen p: the lookup already compared
// the repository, the owner ID and the environment. The caller holds s.mu.
func (s *Server) verifyClaims(p *publisher, claims map[string]any) error {
	if claims["repository_owner"] != p.RepositoryOwner {
		return invalidPublisher("Check failed for required claim 'repository_owner'")
	}
	if err := checkJobWorkflowRef(p, claims); err != nil {
		return err
	}
	if jti, _ := claims["jti"].(string); s.jtis[jti] {
		return errReusedToken
	}
	if claims["event_name"] == "pull_request_target" {
		return invalidPublisher("Publishing from a workflow invoked via 'pull_request_target' is not supported.")
	}
	return nil
}

// checkJobWorkflowRef requires job_workflow_ref (a string, as the lookup
// found a file name in it) to name p's workflow at the token's ref or sha.
func checkJobWorkflowRef(p *publisher, claims map[string]any) error {
	got := claims["job_workflow_ref"].(string)
	base := p.RepositoryOwner + "/" + p.Repository + "/.github/workflows/" + p.WorkflowFilename
	var expected []string
	for _, claim := range []string{"ref", "sha"} {
		if v := claims[claim]; truthy(v) {
			if e := base + "@" + pyfmt.Str(v); !slices.Contains(expected, e) {
				expected = append(expected, e)
			}
		}
	}
	if len(expected) == 0 {
		return invalidPublisher("The ref and sha claims are empty")
	}
	if slices.Contains(expected, got) {
		return nil
	}
	slices.Sort(expected)
	return invalidPublisher("The job_workflow_ref claim does not match, expecting one of " +
		pyfmt.ReprValue(expected) + ", got " + pyfmt.Repr(got))
}

// truthy reports whether a value decoded from JSON (numbers as
// json.Number) is true in Python's sense.
func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		return v != ""
	case json.Number:
		f, err := v.Float64()
		return err != nil || f != 0
	case []any:
		return len(v) > 0
	case map[string]any:
		return len(v) > 0
	}
	return true
}

func (e invalidPublisher) Error() string { return string(e) }
