// Package endpoint is the one home of what the module knows about index
// URLs: the upload URLs of PyPI and TestPyPI, what makes an upload URL
// acceptable, and which hosts are this machine. The upload and mint
// packages both parse their URLs here.
package endpoint

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Upload URLs of the public indexes.
const (
	PyPIUpload     = "https://upload.pypi.org/legacy/"
	TestPyPIUpload = "https://test.pypi.org/legacy/"
)

// Parse checks that raw is an absolute http(s) URL and returns it
// without its user info, which is returned apart. The error never quotes
// a password.
func Parse(raw string) (*url.URL, *url.Userinfo, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// Not the *url.Error itself: it quotes the URL, password and all.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, nil, fmt.Errorf("invalid URL: %w", err)
	}
	user := u.User
	u.User = nil
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, nil, fmt.Errorf("invalid URL %q: want http(s)://host/path", u.Redacted())
	}
	return u, user, nil
}

// IsLoopback reports whether host is a literal loopback address
// (127.0.0.0/8, ::1) or the exact name localhost, which is dialled as
// 127.0.0.1 or ::1 without asking DNS. Other names, those under
// .localhost included, are resolved by DNS, which may send them anywhere.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// UseHTTPS is the advice of the error that refuses a PlainHTTP URL.
const UseHTTPS = "use https (plain http is allowed only to loopback addresses)"

// PlainHTTP reports whether u is plain http to a host that is not
// loopback, which the upload and mint packages refuse.
func PlainHTTP(u *url.URL) bool {
	return u.Scheme == "http" && !IsLoopback(u.Hostname())
}
