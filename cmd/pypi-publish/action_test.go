package main

import (
	"strings"
	"testing"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/pypitest"
	"github.com/trustpub/pypi/upload"
)

// A job-level TWINE_USERNAME, TWINE_PASSWORD and TWINE_REPOSITORY_URL do
// not reach action mode: the inputs ask for Trusted Publishing at the
// fake index, and that is what happens, as in gh-action-pypi-publish.
func e2eActionIgnoresTwineVariables(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	env := f.actionsEnv(t, map[string]string{
		"USER": "__token__", "REPOSITORY_URL": f.uploadURL(), "PACKAGES_DIR": f.dir,
	})
	env["TWINE_USERNAME"] = "someone"
	env["TWINE_PASSWORD"] = "pypi-stale-job-token"
	env["TWINE_REPOSITORY_URL"] = "http://127.0.0.1:1/legacy/"
	env["TWINE_REPOSITORY"] = "testpypi"
	env["UV_PUBLISH_TOKEN"] = "pypi-stale-uv-token"
	env["UV_PUBLISH_URL"] = "http://127.0.0.1:1/legacy/"
	env["UV_PUBLISH_CHECK_URL"] = "http://127.0.0.1:1/simple/"
	r := runCLI(t, env)
	if r.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if n := len(f.srv.Files()); n != 2 {
		t.Errorf("the index has %d files, want 2", n)
	}
	if n := len(mintedTokens(f.srv)); n != 1 {
		t.Errorf("minted %d tokens, want 1 (Trusted Publishing)", n)
	}
	if !strings.Contains(r.stdout, "Credentials: trusted publishing\n") {
		t.Errorf("stdout does not say Trusted Publishing was used:\n%s", r.stdout)
	}
	noSecrets(t, r, env["TWINE_PASSWORD"], env["UV_PUBLISH_TOKEN"], env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"])
}

// The job summary's heading says a run failed when a file is not on the
// index, and "Published to" only when every one is.
func TestSummaryHeading(t *testing.T) {
	t.Parallel()
	file := func(name string, o upload.Outcome) pypi.Result {
		return pypi.Result{Result: upload.Result{File: name, Outcome: o}}
	}
	for _, tt := range []struct {
		results []pypi.Result
		want    string
	}{
		{[]pypi.Result{file("a.whl", upload.OutcomeUploaded), file("a.tar.gz", upload.OutcomeSkipped)}, "## Published to https://x/legacy/\n"},
		{[]pypi.Result{file("a.whl", upload.OutcomeUploaded), file("a.tar.gz", upload.OutcomeFailed)},
			"## Publishing to https://x/legacy/ failed: 1 of 2 files not published\n"},
		{[]pypi.Result{file("a.whl", upload.OutcomeNotSent)}, "## Publishing to https://x/legacy/ failed: 1 of 1 files not published\n"},
		{nil, "## Nothing published to https://x/legacy/\n"},
	} {
		if got := summary(tt.results, "https://x/legacy/", false); !strings.HasPrefix(got, tt.want) {
			t.Errorf("summary starts %q, want %q", strings.SplitN(got, "\n", 2)[0], tt.want)
		}
	}
}
