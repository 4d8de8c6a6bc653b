package upload

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/internal/endpoint"
)

// parseEndpoint checks an upload or index URL: absolute, http(s), https
// unless to loopback or insecure. User info is returned apart and
// removed from the URL.
func parseEndpoint(raw string, insecure bool) (*url.URL, *url.Userinfo, error) {
	u, user, err := parseURL(raw)
	if err == nil && !insecure && endpoint.PlainHTTP(u) {
		err = fmt.Errorf("%w: %s: %s", errInsecureURL, u, endpoint.UseHTTPS)
	}
	return u, user, err
}

// parseURL checks that raw is an absolute http(s) URL and returns it
// without its user info, which is returned apart.
func parseURL(raw string) (*url.URL, *url.Userinfo, error) {
	u, user, err := endpoint.Parse(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("upload: %w", err)
	}
	return u, user, nil
}

// ReadAPIURL returns the root of the read APIs (the PEP 691 simple API and
// the JSON API) of the index whose legacy upload endpoint is uploadURL,
// as a Client finds it when its ReadAPIURL is "": https://pypi.org/ for
// PyPI, https://test.pypi.org/ for TestPyPI, else uploadURL without a
// final "legacy/" segment, user info, query or fragment. "" means
// PyPIURL. The root ends in "/"; the error says why uploadURL is not an
// absolute http(s) URL.
func ReadAPIURL(uploadURL string) (string, error) {
	if uploadURL == "" {
		uploadURL = PyPIURL
	}
	u, _, err := parseURL(uploadURL)
	if err != nil {
		return "", err
	}
	return readAPIRoot(u).String(), nil
}

// readAPIRoot is ReadAPIURL for a parsed upload URL without user info.
func readAPIRoot(upload *url.URL) *url.URL {
	root := *upload
	root.RawQuery, root.ForceQuery, root.Fragment, root.RawFragment, root.RawPath = "", false, "", "", ""
	if host := root.Hostname(); strings.EqualFold(host, "upload.pypi.org") {
		// TestPyPI serves both from test.pypi.org.
		root.Host = "pypi.org" + strings.TrimPrefix(root.Host, host)
	}
	root.Path = strings.TrimSuffix(strings.TrimSuffix(root.Path, "/"), "/legacy") + "/"
	return &root
}

// baseName is the file name errors and results use.
func baseName(d *dist.Distribution) string {
	return filepath.Base(d.Path)
}
