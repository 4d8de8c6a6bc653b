package main

import (
	"io"
	"strconv"
	"testing"

	"github.com/trustpub/pypi/pypitest"
)

func TestParseSize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{
		"0": 0, "1048576": 1 << 20, "512KiB": 512 << 10, "10MiB": 10 << 20, "2GiB": 2 << 30,
		"10MB": 10e6, "1KB": 1000, "7B": 7,
	} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "fast", "-1", "1.5MiB", "MiB", "99999999999GiB"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestParseFlags(t *testing.T) {
	t.Parallel()
	c, err := parseFlags([]string{
		"-repository", "acme/tool", "-workflow", "pub.yml", "-environment", "release",
		"-publisher", "tool", "-publisher", "other=octo/other/ci.yml@prod",
		"-token", "pypi-a=tool,other", "-token", "pypi-b", "-user", "alice:pw:with:colons",
		"-latency", "50ms", "-bandwidth", "1MiB", "-max-file-size", "2GiB",
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	matching, err := c.publisherOf("tool")
	if err != nil || matching != (pypitest.GitHubPublisher{Project: "tool", RepositoryOwner: "acme", RepositoryOwnerID: "131804563",
		Repository: "tool", WorkflowFilename: "pub.yml", Environment: "release"}) {
		t.Errorf("publisher of the job = %+v, %v", matching, err)
	}
	other, err := c.publisherOf("other=octo/other/ci.yml@prod")
	if err != nil || other != (pypitest.GitHubPublisher{Project: "other", RepositoryOwner: "octo", RepositoryOwnerID: "131804563",
		Repository: "other", WorkflowFilename: "ci.yml", Environment: "prod"}) {
		t.Errorf("explicit publisher = %+v, %v", other, err)
	}
	if len(c.tokens) != 2 || c.tokens[0].secret != "pypi-a" || len(c.tokens[0].projects) != 2 || c.tokens[1].projects != nil {
		t.Errorf("tokens = %+v", c.tokens)
	}
	if len(c.users) != 1 || c.users[0].user != "alice" || c.users[0].secret != "pw:with:colons" {
		t.Errorf("users = %+v", c.users)
	}
	if c.latency.Milliseconds() != 50 || c.bandwidth != 1<<20 || c.maxFileSize != 2<<30 {
		t.Errorf("faults: latency %v, bandwidth %d, max file size %d", c.latency, c.bandwidth, c.maxFileSize)
	}
}

// FuzzParseSize: any input gives a size or an error, never a panic or a
// negative or overflowed size; a size given as its plain number parses to
// itself.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"0", "512KiB", "10MB", "2GiB", "7B", "-1", "99999999999GiB", " 3 MiB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseSize(s)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("parseSize(%q) = %d", s, n)
		}
		if again, err := parseSize(strconv.FormatInt(n, 10)); err != nil || again != n {
			t.Fatalf("parseSize(%d) = %d, %v", n, again, err)
		}
	})
}
