package upload

import (
	"strings"
	"testing"
)

func TestReadAPIURL(t *testing.T) {
	t.Parallel()
	for upload, want := range map[string]string{
		"":                                   "https://pypi.org/",
		PyPIURL:                              "https://pypi.org/",
		"https://upload.pypi.org:443/legacy": "https://pypi.org:443/",
		TestPyPIURL:                          "https://test.pypi.org/",
		"https://gitlab.example.com/api/v4/projects/7/packages/pypi": "https://gitlab.example.com/api/v4/projects/7/packages/pypi/",
		"https://u:secret@pkgs.example.com/repo/legacy/#frag":        "https://pkgs.example.com/repo/",
		"http://127.0.0.1:8080/legacy":                               "http://127.0.0.1:8080/",
		"http://localhost:8080/legacy/?x=1":                          "http://localhost:8080/",
		"http://pkgs.example.com/legacy/":                            "http://pkgs.example.com/", // no policy, only the root
	} {
		got, err := ReadAPIURL(upload)
		if err != nil || got != want {
			t.Errorf("ReadAPIURL(%q) = %q, %v; want %q", upload, got, err, want)
		}
	}
	for _, bad := range []string{"pypi", "ftp://example.com/legacy/", "https:///legacy/", "https://u:secret@exa mple.com/"} {
		got, err := ReadAPIURL(bad)
		if err == nil || got != "" {
			t.Errorf("ReadAPIURL(%q) = %q, %v; want an error", bad, got, err)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("ReadAPIURL(%q): the error shows the password: %v", bad, err)
		}
	}
}
