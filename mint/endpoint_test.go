package mint

import (
	"testing"

	"github.com/trustpub/pypi/internal/endpoint"
)

func TestBase(t *testing.T) {
	t.Parallel()
	tests := []struct {
		upload, want string // want: the origin, or the error
	}{
		{"", "https://upload.pypi.org"},
		{endpoint.PyPIUpload, "https://upload.pypi.org"},
		{endpoint.TestPyPIUpload, "https://test.pypi.org"},
		{"https://pypi.example.com:8443/repository/legacy/", "https://pypi.example.com:8443"},
		{"http://localhost:8080/", "http://localhost:8080"}, // the scheme is kept for a loopback index
		{"http://127.0.0.1:5000/legacy/", "http://127.0.0.1:5000"},
		{"https://user:s3cret@pypi.example.com/simple/deep/path?x=1#frag", "https://pypi.example.com"},
		{"https://[::1]:9000/legacy", "https://[::1]:9000"},
		{"http://[::1]/legacy/", "http://[::1]"},
		{"http://LocalHost/legacy/", "http://LocalHost"},
		{"http://pypi.example.com/legacy/", "mint: upload URL http://pypi.example.com/legacy/: use https (plain http is allowed only to loopback addresses)"},
		{"http://pypi.localhost/legacy/", "mint: upload URL http://pypi.localhost/legacy/: use https (plain http is allowed only to loopback addresses)"},
		{"http://127.0.0.1.example.com/", "mint: upload URL http://127.0.0.1.example.com/: use https (plain http is allowed only to loopback addresses)"},
		{"/legacy/", `mint: upload URL: invalid URL "/legacy/": want http(s)://host/path`},
		{"https://user:s3cret@/legacy/", `mint: upload URL: invalid URL "https:///legacy/": want http(s)://host/path`},
		{"https://user:s3cret@host\x7f/", "mint: upload URL: invalid URL: net/url: invalid control character in URL"},
	}
	for _, tt := range tests {
		u, err := base(tt.upload)
		got := errText(err)
		if err == nil {
			got = u.String()
		}
		if got != tt.want {
			t.Errorf("base(%q) = %s; want %s", tt.upload, got, tt.want)
		}
	}
}
