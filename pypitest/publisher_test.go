package pypitest

import (
	"net/http"
	"slices"
	"testing"
)

func noPublisher(reason string) string {
	return mintError("invalid-publisher", "valid token, but no corresponding publisher ("+reason+")")
}

func TestPublisherMatching(t *testing.T) {
	t.Parallel()
	const notFound = "Publisher with matching claims was not found"
	sha := GitHubRun{}.withDefaults().SHA
	for _, tc := range []struct {
		name      string
		run       GitHubRun       // the job
		publisher GitHubPublisher // registered for "sampleproject"
		changes   map[string]any  // claims changed after the run shaped them
		want      string          // "" means minted
	}{
		{name: "exact match", publisher: GitHubRun{}.Publisher("sampleproject")},
		{name: "other workflow", publisher: GitHubPublisher{WorkflowFilename: "publish.yml"}, want: noPublisher(notFound)},
		{name: ".yaml is not .yml", run: GitHubRun{Workflow: "release.yaml"}, publisher: GitHubPublisher{WorkflowFilename: "release.yml"}, want: noPublisher(notFound)},
		{name: "workflow with @", run: GitHubRun{Workflow: "re@lease.yml"}, publisher: GitHubPublisher{WorkflowFilename: "re@lease.yml"}},
		{name: "other owner ID (resurrected account)", publisher: GitHubPublisher{RepositoryOwnerID: "999"}, want: noPublisher(notFound)},
		{name: "repository name case", publisher: GitHubPublisher{Repository: "SampleProject"}, want: noPublisher(notFound)},
		{name: "owner case", publisher: GitHubPublisher{RepositoryOwner: "Octo-Org"}, want: noPublisher(notFound)},
		{name: "job_workflow_ref at sha", changes: map[string]any{"job_workflow_ref": "octo-org/sampleproject/.github/workflows/release.yml@" + sha}},
		{name: "job_workflow_ref at another ref", changes: map[string]any{"job_workflow_ref": "octo-org/sampleproject/.github/workflows/release.yml@refs/heads/dev"},
			want: noPublisher("The job_workflow_ref claim does not match, expecting one of ['octo-org/sampleproject/.github/workflows/release.yml@" + sha +
				"', 'octo-org/sampleproject/.github/workflows/release.yml@refs/heads/main'], got 'octo-org/sampleproject/.github/workflows/release.yml@refs/heads/dev'")},
		{name: "empty ref, job_workflow_ref at sha", changes: map[string]any{"ref": "", "job_workflow_ref": "octo-org/sampleproject/.github/workflows/release.yml@" + sha}},
		{name: "ref and sha empty", changes: map[string]any{"ref": "", "sha": ""}, want: noPublisher("The ref and sha claims are empty")},
		{name: "reusable workflow of another repository", run: GitHubRun{JobWorkflowRef: "octo-org/shared/.github/workflows/release.yml@refs/heads/main"},
			want: noPublisher("The job_workflow_ref claim does not match, expecting one of ['octo-org/sampleproject/.github/workflows/release.yml@" + sha +
				"', 'octo-org/sampleproject/.github/workflows/release.yml@refs/heads/main'], got 'octo-org/shared/.github/workflows/release.yml@refs/heads/main'")},
		{name: "no workflow file in job_workflow_ref", changes: map[string]any{"job_workflow_ref": "octo-org/sampleproject/.github/workflows/release@refs/heads/main"},
			want: noPublisher("Could not job extract workflow filename from OIDC claims")},
		{name: "pull_request_target", run: GitHubRun{EventName: "pull_request_target"},
			want: noPublisher("Publishing from a workflow invoked via 'pull_request_target' is not supported.")},
		{name: "environment publisher, token without environment", publisher: GitHubPublisher{Environment: "pypi"}, want: noPublisher(notFound)},
		{name: "environment publisher, other environment", run: GitHubRun{Environment: "testpypi"}, publisher: GitHubPublisher{Environment: "pypi"}, want: noPublisher(notFound)},
		{name: "environment case-insensitive", run: GitHubRun{Environment: "PyPI"}, publisher: GitHubPublisher{Environment: "pYpI"}},
		{name: "any-environment publisher, token with environment", run: GitHubRun{Environment: "release"}},
		{name: "repository_owner differs from repository's owner", changes: map[string]any{"repository_owner": "octo"},
			want: noPublisher("Check failed for required claim 'repository_owner'")},
		{name: "missing sha", changes: map[string]any{"sha": absent}, want: noPublisher("Missing claim 'sha'")},
		{name: "null ref", changes: map[string]any{"ref": nil}, want: noPublisher("Missing claim 'ref'")},
		{name: "missing event_name", changes: map[string]any{"event_name": absent}, want: noPublisher("Missing claim 'event_name'")},
		{name: "missing jti", changes: map[string]any{"jti": absent}, want: noPublisher("Missing claim 'jti'")},
		{name: "missing repository_owner_id", changes: map[string]any{"repository_owner_id": absent}, want: noPublisher("Missing claim 'repository_owner_id'")},
		{name: "first missing claim named", changes: map[string]any{"sha": absent, "repository": absent}, want: noPublisher("Missing claim 'repository'")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tc.run)
			f.srv.publishers = nil // replace the fixture's publisher
			p := f.iss.Run().Publisher("sampleproject")
			for _, field := range []struct {
				dst *string
				src string
			}{
				{&p.RepositoryOwner, tc.publisher.RepositoryOwner}, {&p.RepositoryOwnerID, tc.publisher.RepositoryOwnerID}, {&p.Repository, tc.publisher.Repository},
				{&p.WorkflowFilename, tc.publisher.WorkflowFilename}, {&p.Environment, tc.publisher.Environment},
			} {
				if field.src != "" {
					*field.dst = field.src
				}
			}
			if tc.publisher.Environment == "" {
				p.Environment = ""
			}
			f.srv.AddPublisher(p)
			status, body := f.mint(t, f.iss.sign(f.claimsWith(tc.changes)))
			switch {
			case tc.want == "" && status != http.StatusOK:
				t.Errorf("got %d %s, want 200", status, body)
			case tc.want != "" && (status != 422 || body != tc.want):
				t.Errorf("got  %d %s\nwant 422 %s", status, body, tc.want)
			}
		})
	}
}

// Warehouse crashes (500) on claims of the wrong shape in the lookup.
func TestPublisherLookupCrash(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	for name, changes := range map[string]map[string]any{
		"repository without slash":   {"repository": "sampleproject"},
		"repository not a string":    {"repository": 5},
		"job_workflow_ref an object": {"job_workflow_ref": map[string]any{}},
		"environment a number":       {"environment": 5},
	} {
		if status, body := f.mint(t, f.iss.sign(f.claimsWith(changes))); status != http.StatusInternalServerError {
			t.Errorf("%s: got %d %s, want 500", name, status, body)
		}
	}
}

// A publisher bound to the token's environment is preferred to one that
// accepts any environment.
func TestPublisherSpecificEnvironmentPreferred(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{Environment: "Release"})
	f.srv.publishers = nil
	anyEnvironment := f.iss.Run().Publisher("sampleproject")
	anyEnvironment.Environment = ""
	f.srv.AddPublisher(anyEnvironment)
	f.srv.AddPublisher(f.iss.Run().Publisher("otherproject"))
	if status, body := f.mint(t, f.iss.Token("pypi")); status != 200 {
		t.Fatalf("got %d %s", status, body)
	}
	if got := f.srv.Minted()[0].Projects; !slices.Equal(got, []string{"otherproject"}) {
		t.Errorf("token for %v, want [otherproject]", got)
	}
	f.iss.SetRun(GitHubRun{Environment: "staging"})
	if status, body := f.mint(t, f.iss.Token("pypi")); status != 200 {
		t.Fatalf("got %d %s", status, body)
	}
	if got := f.srv.Minted()[1].Projects; !slices.Equal(got, []string{"sampleproject"}) {
		t.Errorf("token for %v, want [sampleproject]", got)
	}
}

// One publisher registered for two projects mints tokens for both.
func TestPublisherOfSeveralProjects(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	f.srv.AddPublisher(f.iss.Run().Publisher("sampleproject-extras"))
	f.srv.AddPublisher(f.iss.Run().Publisher("SampleProject")) // same project again
	if status, body := f.mint(t, f.iss.Token("pypi")); status != 200 {
		t.Fatalf("got %d %s", status, body)
	}
	m := f.srv.Minted()[0]
	if want := []string{"sampleproject", "sampleproject-extras"}; !slices.Equal(m.Projects, want) || m.Publisher.Project != "sampleproject" {
		t.Errorf("minted for %v (publisher project %q), want %v", m.Projects, m.Publisher.Project, want)
	}
}

func TestAddPublisherPanicsOnMissingFields(t *testing.T) {
	t.Parallel()
	srv := NewServer()
	t.Cleanup(srv.Close)
	defer func() {
		if recover() == nil {
			t.Error("AddPublisher without a workflow did not panic")
		}
	}()
	srv.AddPublisher(GitHubPublisher{Project: "p", RepositoryOwner: "o", RepositoryOwnerID: "1", Repository: "r"})
}
