package endpoint

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw, url, user, err string
	}{
		{PyPIUpload, "https://upload.pypi.org/legacy/", "", ""},
		{"http://127.0.0.1:8080/legacy/", "http://127.0.0.1:8080/legacy/", "", ""},
		{"https://alice:s3cret@pypi.example.com/legacy/", "https://pypi.example.com/legacy/", "alice:s3cret", ""},
		{"ftp://example.com/", "", "", `invalid URL "ftp://example.com/": want http(s)://host/path`},
		{"/legacy/", "", "", `invalid URL "/legacy/": want http(s)://host/path`},
		{"https://alice:s3cret@/legacy/", "", "", `invalid URL "https:///legacy/": want http(s)://host/path`},
		{"https://alice:s3cret@host\x7f/", "", "", "invalid URL: net/url: invalid control character in URL"},
	}
	for _, tt := range tests {
		u, user, err := Parse(tt.raw)
		var gotURL, gotUser, gotErr string
		if err != nil {
			gotErr = err.Error()
		} else {
			gotURL, gotUser = u.String(), user.String()
		}
		if gotURL != tt.url || gotUser != tt.user || gotErr != tt.err {
			t.Errorf("Parse(%q) = %q, %q, %q; want %q, %q, %q", tt.raw, gotURL, gotUser, gotErr, tt.url, tt.user, tt.err)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.8.9.10": true, "::1": true, "localhost": true, "LocalHost": true,
		"::ffff:127.0.0.1": true,  // IPv4-mapped, still a literal loopback
		"pypi.localhost":   false, // resolved by DNS
		"localhost.":       false, "localhost.evil.com": false, "127.0.0.1.example.com": false,
		"10.0.0.1": false, "pypi.org": false, "": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

// FuzzParse checks that a parsed URL is absolute http(s) without user
// info, and that no error quotes a password.
func FuzzParse(f *testing.F) {
	file, err := os.Open("testdata/urls.txt")
	if err != nil {
		f.Fatal(err)
	}
	defer file.Close()
	for sc := bufio.NewScanner(file); sc.Scan(); {
		f.Add(sc.Text())
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, user, err := Parse(raw)
		if err != nil {
			if pw, rest := password(raw); len(pw) >= 6 && !strings.Contains(rest, pw) && strings.Contains(err.Error(), pw) {
				t.Fatalf("error %q quotes the password", err)
			}
			return
		}
		if u.User != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			t.Fatalf("Parse(%q) = %v (user %v)", raw, u, user)
		}
	})
}

// password is the password in raw's authority, found as leniently as a
// reader would, and raw without it.
func password(raw string) (pw, rest string) {
	_, after, ok := strings.Cut(raw, "://")
	if !ok {
		return "", raw
	}
	authority, _, _ := strings.Cut(after, "/")
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return "", raw
	}
	_, pw, _ = strings.Cut(authority[:at], ":")
	return pw, strings.Replace(raw, pw, "", 1)
}
