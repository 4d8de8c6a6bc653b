package pypi

import (
	"testing"

	"github.com/trustpub/pypi/dist"
)

func TestResolveTarget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		repo, index string
		profile     dist.Profile
		view        string // viewURL("My_Pkg", "01.0-RC1")
	}{
		{"", "", dist.PyPI, "https://pypi.org/project/my-pkg/1.0rc1/"},
		{"PyPI", "", dist.PyPI, "https://pypi.org/project/my-pkg/1.0rc1/"},
		{"testpypi", "", dist.PyPI, "https://test.pypi.org/project/my-pkg/1.0rc1/"},
		{"https://upload.pypi.org/legacy/", "", dist.PyPI, "https://pypi.org/project/my-pkg/1.0rc1/"},
		{"https://pkgs.example.com/repo/legacy/", "", dist.Lenient, "https://pkgs.example.com/repo/simple/my-pkg/"},
		{"https://u:pw@pkgs.example.com/legacy", "https://mirror.example.com/pypi", dist.Lenient, "https://mirror.example.com/pypi/simple/my-pkg/"},
		{"http://127.0.0.1:8080/legacy/", "", dist.Lenient, "http://127.0.0.1:8080/simple/my-pkg/"},
		{"http://localhost/legacy/", "", dist.Lenient, "http://localhost/simple/my-pkg/"},
	}
	for _, tt := range tests {
		tg, err := resolveTarget(tt.repo, tt.index)
		if err != nil {
			t.Errorf("%q: %v", tt.repo, err)
			continue
		}
		p, verify := tg.profile(ChecksAuto)
		if p != tt.profile || !verify {
			t.Errorf("%q: profile %v", tt.repo, p)
		}
		if got := tg.viewURL("My_Pkg", "01.0-RC1"); got != tt.view {
			t.Errorf("%q: view URL %q, want %q", tt.repo, got, tt.view)
		}
	}
	for _, bad := range []string{"pipy", "ftp://example.com/", "https:///legacy/"} {
		if _, err := resolveTarget(bad, ""); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
