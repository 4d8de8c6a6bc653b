package upload

import (
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
	u, err := url.Parse(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("upload: invalid URL: %w", err)
	}
	user := u.User
	u.User = nil
	switch {
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		return nil, nil, fmt.Errorf("upload: invalid URL %q: want http(s)://host/path", u.Redacted())
	case u.Scheme == "http" && !insecure && !isLoopback(u.Hostname()):
		return nil, nil, fmt.Errorf("%w: %s: use https (plain http is allowed only to loopback addresses)", ErrInsecureURL, u)
	}
	return u, user, nil
}

func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// indexRoot derives the read APIs' root from the upload URL (see
// Client.IndexURL).
func indexRoot(upload *url.URL) *url.URL {
	root := *upload
	root.RawQuery, root.Fragment, root.RawPath = "", "", ""
	if upload.Host == "upload.pypi.org" {
		root.Host = "pypi.org" // TestPyPI serves both from test.pypi.org
	}
	p := strings.TrimSuffix(root.Path, "/")
	p = strings.TrimSuffix(p, "/legacy")
	root.Path = p + "/"
	return &root
}

// sameOrigin reports whether a and b have the same scheme, host and port.
func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && strings.EqualFold(a.Host, b.Host)
}

// baseName is the file name errors and results use.
func baseName(d *dist.Distribution) string {
	return filepath.Base(d.Path)
}
