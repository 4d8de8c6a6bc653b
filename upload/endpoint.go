package upload

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/trustpub/pypi/dist"
)

// parseEndpoint checks an upload or index URL: absolute, http(s), https
// unless to loopback or insecure. User info is returned apart and
// removed from the URL.
func parseEndpoint(raw string, insecure bool) (*url.URL, *url.Userinfo, error) {
	u, user, err := parseURL(raw)
	if err == nil && u.Scheme == "http" && !insecure && !isLoopback(u.Hostname()) {
		err = fmt.Errorf("%w: %s: use https (plain http is allowed only to loopback addresses)", errInsecureURL, u)
	}
	return u, user, err
}

// parseURL checks that raw is an absolute http(s) URL and returns it
// without its user info, which is returned apart.
func parseURL(raw string) (*url.URL, *url.Userinfo, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// Not the *url.Error itself: it quotes the URL, password and all.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, nil, fmt.Errorf("upload: invalid URL: %w", err)
	}
	user := u.User
	u.User = nil
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, nil, fmt.Errorf("upload: invalid URL %q: want http(s)://host/path", u.Redacted())
	}
	return u, user, nil
}

// IsLoopbackHTTP reports whether rawURL is a plain-http URL to this
// machine: a literal loopback address (127.0.0.0/8, ::1) or the exact
// name localhost, which the Client dials as 127.0.0.1 or ::1 without
// asking DNS. Fake indexes in tests are there, and these are the only
// plain-http URLs a Client takes without InsecureAllowHTTP. Other names,
// those under .localhost included, are resolved by DNS, which may send
// them anywhere.
func IsLoopbackHTTP(rawURL string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && u.Scheme == "http" && isLoopback(u.Hostname())
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
