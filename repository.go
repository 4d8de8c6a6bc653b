package pypi

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/dist/pep440"
	"github.com/trustpub/pypi/upload"
)

// target is the index Publish uploads to.
type target struct {
	upload *url.URL // the legacy upload endpoint
	index  *url.URL // the root of the read APIs, ending in "/"
	public bool     // PyPI or TestPyPI
}

// resolveTarget turns Options.Repository and Options.IndexURL into a target.
func resolveTarget(repository, indexURL string) (*target, error) {
	raw := repository
	switch strings.ToLower(repository) {
	case "", PyPI:
		raw = upload.PyPIURL
	case TestPyPI:
		raw = upload.TestPyPIURL
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("pypi: repository %q: want %q, %q or an upload URL such as %s", repository, PyPI, TestPyPI, upload.PyPIURL)
	}
	t := &target{upload: u}
	switch u.Hostname() {
	case "upload.pypi.org", "test.pypi.org", "pypi.org":
		t.public = u.Scheme == "https"
	}
	if indexURL == "" {
		t.index = indexRoot(u)
	} else if t.index, err = url.Parse(indexURL); err != nil || t.index.Host == "" {
		return nil, fmt.Errorf("pypi: index URL %q is not an absolute URL", indexURL)
	}
	if !strings.HasSuffix(t.index.Path, "/") {
		t.index.Path += "/"
	}
	t.index.User = nil
	return t, nil
}

// indexRoot derives the read APIs' root from the upload URL: pypi.org for
// upload.pypi.org, else the URL without a final "legacy/".
func indexRoot(u *url.URL) *url.URL {
	root := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	if u.Hostname() == "upload.pypi.org" {
		root.Host = "pypi.org"
	}
	root.Path = strings.TrimSuffix(strings.TrimSuffix(root.Path, "/"), "/legacy") + "/"
	return root
}

// loopback reports whether the upload URL is plain http to this machine,
// as fake indexes in tests are.
func (t *target) loopback() bool {
	if t.upload.Scheme != "http" {
		return false
	}
	host := t.upload.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
