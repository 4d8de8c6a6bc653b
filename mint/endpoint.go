package mint

import (
	"fmt"
	"net/url"

	"github.com/trustpub/pypi/internal/endpoint"
)

// base returns the origin of the index behind uploadURL, where its
// Trusted Publishing endpoints are, as gh-action-pypi-publish derives
// it: the host and port of the upload URL, without its path. Unlike the
// action, the scheme is kept (plain http only to a loopback address, as
// for uploads: a fake index in a test) and user information is dropped
// instead of leaking into the host. "" means PyPI.
func base(uploadURL string) (*url.URL, error) {
	if uploadURL == "" {
		uploadURL = endpoint.PyPIUpload
	}
	u, _, err := endpoint.Parse(uploadURL)
	if err != nil {
		return nil, fmt.Errorf("mint: upload URL: %w", err)
	}
	if endpoint.PlainHTTP(u) {
		return nil, fmt.Errorf("mint: upload URL %s: %s", u, endpoint.UseHTTPS)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}
