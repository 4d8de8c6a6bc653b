package pypi

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/dist/pep440"
	"github.com/trustpub/pypi/internal/redact"
	"github.com/trustpub/pypi/upload"
)

// target is the index Publish uploads to.
type target struct {
	upload *url.URL // the legacy upload endpoint
	index  *url.URL // the root of the read APIs
	public bool     // PyPI or TestPyPI
}

// UploadURL returns the upload URL that an Options.Repository stands
// for: upload.PyPIURL for "" and PyPI, upload.TestPyPIURL for TestPyPI
// (names in any case), else repository itself.
func UploadURL(repository string) string {
	switch strings.ToLower(repository) {
	case "", PyPI:
		return upload.PyPIURL
	case TestPyPI:
		return upload.TestPyPIURL
	}
	return repository
}

// resolveTarget turns Options.Repository and Options.ReadAPIURL into a target.
func resolveTarget(repository, indexURL string) (*target, error) {
	raw := UploadURL(repository)
	root, err := upload.ReadAPIURL(raw) // which also checks raw
	if err != nil {
		return nil, fmt.Errorf("pypi: repository %q: want %q, %q or an upload URL such as %s", withoutUserinfo(repository), PyPI, TestPyPI, upload.PyPIURL)
	}
	u, _ := url.Parse(raw) // parsed by ReadAPIURL already
	t := &target{upload: u}
	switch u.Hostname() {
	case "upload.pypi.org", "test.pypi.org", "pypi.org":
		t.public = u.Scheme == "https"
	}
	if indexURL != "" {
		root = indexURL
	}
	if t.index, err = url.Parse(root); err != nil || t.index.Host == "" {
		return nil, fmt.Errorf("pypi: index URL %q is not an absolute URL", indexURL)
	}
	t.index.User = nil
	return t, nil
}

// withoutUserinfo is raw with the user info of its authority, if any,
// replaced: a URL that does not parse may still carry a password.
func withoutUserinfo(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if !ok || at < 0 {
		return raw
	}
	return scheme + "://" + redact.Placeholder + rest[at:]
}

// profile returns the rules to check files by, and false for no checks.
func (t *target) profile(c Checks) (dist.Profile, bool) {
	switch c {
	case ChecksPyPI:
		return dist.PyPI, true
	case ChecksLenient:
		return dist.Lenient, true
	case ChecksNone:
		return dist.Lenient, false
	}
	if t.public {
		return dist.PyPI, true
	}
	return dist.Lenient, true
}

// viewURL is where a release can be seen: its project page on PyPI and
// TestPyPI (https://pypi.org/project/<name>/<version>/), else the
// project's simple index page (PEP 503), which every index serves.
func (t *target) viewURL(name, version string) string {
	if t.public {
		if v, err := pep440.Parse(version); err == nil {
			version = v.String()
		}
		return t.index.JoinPath("project", dist.NormalizeName(name), version).String() + "/"
	}
	return t.index.JoinPath("simple", dist.NormalizeName(name)).String() + "/"
}
