package mint

import "testing"

func TestIndexFromUploadURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		upload, host, audienceURL string
	}{
		{"", "upload.pypi.org", "https://upload.pypi.org/_/oidc/audience"},
		{PyPIUploadURL, "upload.pypi.org", "https://upload.pypi.org/_/oidc/audience"},
		{TestPyPIUploadURL, "test.pypi.org", "https://test.pypi.org/_/oidc/audience"},
		{"https://pypi.example.com:8443/repository/legacy/", "pypi.example.com:8443", "https://pypi.example.com:8443/_/oidc/audience"},
		{"http://localhost:8080/", "localhost:8080", "https://localhost:8080/_/oidc/audience"}, // always https, as the action
		{"https://user:s3cret@pypi.example.com/simple/deep/path?x=1#frag", "pypi.example.com", "https://pypi.example.com/_/oidc/audience"},
		{"https://[::1]:9000/legacy", "[::1]:9000", "https://[::1]:9000/_/oidc/audience"},
	}
	for _, tt := range tests {
		ix, err := IndexFromUploadURL(tt.upload)
		if err != nil {
			t.Errorf("IndexFromUploadURL(%q): %v", tt.upload, err)
			continue
		}
		if ix.Host != tt.host || ix.AudienceURL() != tt.audienceURL {
			t.Errorf("IndexFromUploadURL(%q) = %q, %q; want %q, %q", tt.upload, ix.Host, ix.AudienceURL(), tt.host, tt.audienceURL)
		}
	}
	if got, want := (Index{}).MintURL(), "https://upload.pypi.org/_/oidc/mint-token"; got != want {
		t.Errorf("zero Index MintURL = %q; want %q", got, want)
	}
	if got, want := (Index{Host: "127.0.0.1:5000", InsecureHTTP: true}).MintURL(), "http://127.0.0.1:5000/_/oidc/mint-token"; got != want {
		t.Errorf("InsecureHTTP MintURL = %q; want %q", got, want)
	}
	for upload, want := range map[string]string{
		"/legacy/":                      `mint: the upload URL "/legacy/" has no host`,
		"https://user:s3cret@/legacy/":  `mint: the upload URL "https://user:xxxxx@/legacy/" has no host`,
		"https://user:s3cret@host\x7f/": "mint: the upload URL is not a valid URL",
	} {
		if _, err := IndexFromUploadURL(upload); errText(err) != want {
			t.Errorf("IndexFromUploadURL(%q) error = %v; want %s", upload, err, want)
		}
	}
}

func TestPublisherFormURL(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"GITHUB_REPOSITORY_OWNER": "octo",
		"GITHUB_REPOSITORY":       "octo/pkg",
		"GITHUB_WORKFLOW_REF":     "octo/pkg/.github/workflows/release.yml@refs/heads/release/v1",
	}
	p := GitHubPublisherFromEnv(func(k string) string { return env[k] })
	if want := (GitHubPublisher{Owner: "octo", Repository: "pkg", WorkflowFilename: "release.yml"}); p != want {
		t.Fatalf("GitHubPublisherFromEnv = %+v; want %+v", p, want)
	}
	tests := []struct {
		index Index
		want  string
		ok    bool
	}{
		{Index{}, "https://pypi.org/manage/project/my-pkg/settings/publishing/?provider=github&owner=octo&repository=pkg&workflow_filename=release.yml", true},
		{Index{Host: "test.pypi.org"}, "https://test.pypi.org/manage/project/my-pkg/settings/publishing/?provider=github&owner=octo&repository=pkg&workflow_filename=release.yml", true},
		{Index{Host: "pypi.example.com"}, "", false},
	}
	for _, tt := range tests {
		got, ok := tt.index.PublisherFormURL("my-pkg", p)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%+v.PublisherFormURL = %q, %v; want %q, %v", tt.index, got, ok, tt.want, tt.ok)
		}
	}
}
