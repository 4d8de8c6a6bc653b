package mint

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Upload URLs of the public indexes.
const (
	PyPIUploadURL     = "https://upload.pypi.org/legacy/"
	TestPyPIUploadURL = "https://test.pypi.org/legacy/"
)

// pypiHost is the host of the zero Index.
const pypiHost = "upload.pypi.org"

// Index is a package index that supports trusted publishing. The zero
// value is PyPI (upload.pypi.org).
type Index struct {
	// Host is the index's host, with its port if any ("upload.pypi.org",
	// "test.pypi.org", "pypi.example.com:8443").
	Host string

	// InsecureHTTP makes requests over plain http:// instead of https://.
	// It exists for fake indexes on the loopback interface in tests; a real
	// index must never be reached this way, since the identity token would
	// travel in the clear.
	InsecureHTTP bool
}

// IndexFromUploadURL returns the index behind an upload URL, as
// gh-action-pypi-publish derives it: the host and port are kept and the
// path is dropped, so https://test.pypi.org/legacy/ gives test.pypi.org.
// Unlike the action, user information in the URL is dropped too, instead
// of leaking into the host. An empty URL means [PyPIUploadURL].
func IndexFromUploadURL(uploadURL string) (Index, error) {
	if uploadURL == "" {
		uploadURL = PyPIUploadURL
	}
	u, err := url.Parse(uploadURL)
	if err != nil {
		// The parse error quotes the URL, which may carry a password.
		return Index{}, errors.New("mint: the upload URL is not a valid URL")
	}
	if u.Host == "" {
		return Index{}, fmt.Errorf("mint: the upload URL %q has no host", u.Redacted())
	}
	return Index{Host: u.Host}, nil
}

func (ix Index) host() string {
	if ix.Host == "" {
		return pypiHost
	}
	return ix.Host
}

// URL returns the index's base URL, e.g. "https://upload.pypi.org".
func (ix Index) URL() string {
	scheme := "https"
	if ix.InsecureHTTP {
		scheme = "http"
	}
	return scheme + "://" + ix.host()
}

// AudienceURL returns the URL of the index's audience endpoint.
func (ix Index) AudienceURL() string { return ix.URL() + "/_/oidc/audience" }

// MintURL returns the URL of the index's token-minting endpoint.
func (ix Index) MintURL() string { return ix.URL() + "/_/oidc/mint-token" }

// GitHubPublisher names the GitHub workflow a trusted publisher is for.
type GitHubPublisher struct {
	Owner            string // repository owner, e.g. "pypa"
	Repository       string // repository name without the owner, e.g. "sampleproject"
	WorkflowFilename string // e.g. "release.yml"
}

// GitHubPublisherFromEnv describes the running GitHub Actions workflow from
// GITHUB_REPOSITORY_OWNER, GITHUB_REPOSITORY and GITHUB_WORKFLOW_REF, read
// through getenv, as gh-action-pypi-publish does.
func GitHubPublisherFromEnv(getenv func(string) string) GitHubPublisher {
	_, repo, _ := strings.Cut(getenv("GITHUB_REPOSITORY"), "/")
	repo, _, _ = strings.Cut(repo, "/")
	// GITHUB_WORKFLOW_REF is owner/repo/.github/workflows/file.yml@ref.
	wf := getenv("GITHUB_WORKFLOW_REF")
	for range 4 {
		_, wf, _ = strings.Cut(wf, "/")
	}
	wf, _, _ = strings.Cut(wf, "@")
	return GitHubPublisher{Owner: getenv("GITHUB_REPOSITORY_OWNER"), Repository: repo, WorkflowFilename: wf}
}

// PublisherFormURL returns the link to the form that creates a trusted
// publisher for project and workflow p, prefilled, which an owner of the
// project can open while logged in. It reports false for indexes other
// than PyPI and TestPyPI, which have no such form.
func (ix Index) PublisherFormURL(project string, p GitHubPublisher) (string, bool) {
	var site string
	switch ix.host() {
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
		"&owner=" + url.QueryEscape(p.Owner) +
		"&repository=" + url.QueryEscape(p.Repository) +
		"&workflow_filename=" + url.QueryEscape(p.WorkflowFilename), true
}
