package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/trustpub/pypi/examples/quickstart/sampledist"
	"github.com/trustpub/pypi/pypitest"
)

// --verbose, and the action's verbose input (true by default), show the
// index's answer as twine --verbose does: its status and its body, with
// the token redacted and the text made safe to print.
func TestVerboseShowsResponseBody(t *testing.T) {
	t.Parallel()
	const token = "pypi-AgEIcHlwaS5vcmcCJGZha2UtdG9rZW4tZm9yLXZlcmJvc2UAAAYgAAAA"
	for _, tc := range []struct {
		name     string
		args     []string
		env      func(url, dir string) map[string]string
		showBody bool
	}{
		{"--verbose", []string{"--verbose"}, nil, true},
		{"-v", []string{"-v"}, nil, true},
		{"not verbose", nil, nil, false},
		// The runner passes action.yml's default, true, when the workflow
		// leaves the input out.
		{"action, verbose: true", nil, func(url, dir string) map[string]string {
			return map[string]string{"GITHUB_ACTIONS": "true", "INPUT_USER": "__token__", "INPUT_PASSWORD": token,
				"INPUT_REPOSITORY-URL": url, "INPUT_PACKAGES-DIR": dir, "INPUT_VERBOSE": "true"}
		}, true},
		{"action, verbose false", nil, func(url, dir string) map[string]string {
			return map[string]string{"GITHUB_ACTIONS": "true", "INPUT_USER": "__token__", "INPUT_PASSWORD": token,
				"INPUT_REPOSITORY-URL": url, "INPUT_PACKAGES-DIR": dir, "INPUT_VERBOSE": "false"}
		}, false},
		// Without the runner's defaults, the program applies action.yml's.
		{"action, verbose unset", nil, func(url, dir string) map[string]string {
			return map[string]string{"GITHUB_ACTIONS": "true", "INPUT_USER": "__token__", "INPUT_PASSWORD": token,
				"INPUT_REPOSITORY-URL": url, "INPUT_PACKAGES-DIR": dir}
		}, true},
		// A flag on the command line wins over the input, in either spelling.
		{"action, verbose false, --verbose", []string{"--verbose"}, func(url, dir string) map[string]string {
			return map[string]string{"GITHUB_ACTIONS": "true", "INPUT_USER": "__token__", "INPUT_PASSWORD": token,
				"INPUT_REPOSITORY-URL": url, "INPUT_PACKAGES-DIR": dir, "INPUT_VERBOSE": "false"}
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := pypitest.NewServer()
			t.Cleanup(srv.Close)
			srv.AddAPIToken("alice", token)
			dir := t.TempDir()
			if _, err := (sampledist.Project{Name: "sampleproject", Version: "1.0.0"}).Build(dir); err != nil {
				t.Fatal(err)
			}
			srv.FailUploads(2, &pypitest.Reply{Status: 400, ContentType: "text/plain",
				Body: "400 Refused: the token " + token + " may not upload here\n::error::forged\nsee \x1b[31mthe docs\x1b[0m\n"})
			url := srv.URL + "/legacy/"
			env := map[string]string{}
			args := append([]string{"--repository-url", url, "-u", "__token__", "-p", token, "--concurrency", "1", dir}, tc.args...)
			if tc.env != nil {
				env, args = tc.env(url, dir), tc.args
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, &stdout, &stderr, func(k string) string { return env[k] }, false)
			if code != 1 {
				t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
			}
			out := stdout.String()
			noSecrets(t, result{stdout: out, stderr: stderr.String()}, token)
			want := "Response from " + url + ":\n400 Bad Request\n400 Refused: the token [redacted] may not upload here\n" +
				`\::error::forged` + "\nsee [31mthe docs[0m\n"
			if got := strings.Contains(out, want); got != tc.showBody {
				t.Errorf("the answer's body shown: %v, want %v (%q)\nstdout:\n%s", got, tc.showBody, want, out)
			}
			if strings.Contains(out, "\x1b") || strings.Contains(out, "\n::error::forged") {
				t.Errorf("the index's text is printed unsanitised:\n%s", out)
			}
		})
	}
}
