package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/trustpub/pypi/internal/gha"
	"github.com/trustpub/pypi/pypitest"
)

// hostileText is what a hostile index says: a workflow command after a
// newline and after a carriage return, an old-style command that would
// stop all later ones, terminal escapes, a NUL, and Markdown that closes a
// code block to add a heading, a link and an image.
const hostileText = "refused\n::warning title=PWNED::injected\r::set-output name=pwned::1\n" +
	"  ##[stop-commands]tok \x1b[2J\x1b]0;PWNED\x07 nul\x00 csi\u009b2J \u202eright-to-left\n" +
	"```\n# PWNED heading\n[PWNED](https://evil.example/) <img src=https://evil.example/PWNED.png>\n````````"

// ourCommands are the workflow commands the program itself writes.
var ourCommands = regexp.MustCompile(`^::(add-mask|group|endgroup|debug|error|warning|notice)[ :]`)

// noInjection fails t if any output of r could run a workflow command of
// the index's, holds a control character, or lets Markdown out of its
// code block in the job summary.
func noInjection(t *testing.T, r result) {
	t.Helper()
	for name, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr, "summary": r.summary, "outputs": r.output} {
		if i := strings.IndexFunc(text, func(c rune) bool {
			return c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c <= 0x9f || c >= 0x202a && c <= 0x202e
		}); i >= 0 {
			t.Errorf("%s holds the control character %q: %q", name, text[i:i+1], text[max(0, i-40):min(len(text), i+40)])
		}
		if name == "summary" || name == "outputs" {
			continue
		}
		for _, line := range strings.Split(text, "\n") {
			// The runner reads one command a line: ours (whose data is
			// escaped) or, in any other line, the old "##[" form.
			trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
			ours := ourCommands.MatchString(trimmed) && !strings.HasPrefix(trimmed, "::warning title=PWNED")
			if strings.HasPrefix(trimmed, "::") && !ours || !ours && strings.Contains(line, "##[") {
				t.Errorf("%s runs the index's workflow command: %q", name, line)
			}
		}
	}
	for _, line := range outsideFences(r.summary) {
		if strings.HasPrefix(line, "# PWNED") || strings.Contains(line, "](https://evil") || strings.Contains(line, "<img") && !strings.Contains(line, `\<img`) {
			t.Errorf("the job summary renders the index's Markdown: %q", line)
		}
	}
}

// outsideFences returns the lines of Markdown md that are not in fenced
// code blocks, as CommonMark reads backtick fences.
func outsideFences(md string) []string {
	var out []string
	fence := "" // the open fence
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		run := len(trimmed) - len(strings.TrimLeft(trimmed, "`"))
		switch {
		case fence == "" && indent < 4 && run >= 3 && !strings.Contains(trimmed[run:], "`"):
			fence = trimmed[:run]
		case fence == "":
			out = append(out, line)
		case indent < 4 && run >= len(fence) && strings.TrimSpace(trimmed[run:]) == "":
			fence = ""
		}
	}
	return out
}

// writeHostile writes a file that is no distribution at path.
func writeHostile(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// An index whose upload errors are hostile text: the log (in and out of
// Actions), the annotations, the job summary and the outputs show it
// without running it.
func e2eHostileUploadError(t *testing.T) {
	t.Parallel()
	body, err := json.Marshal(map[string]string{"code": "400 " + hostileText})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, pypitest.GitHubRun{})
	const token = "pypi-AgEIcHlwaS5vcmcCJGhvc3RpbGUtdGVzdA"
	f.srv.AddAPIToken("alice", token, "sampleproject")
	env := map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_STEP_SUMMARY": filepath.Join(t.TempDir(), "summary"),
		"GITHUB_OUTPUT":       filepath.Join(t.TempDir(), "output"),
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"actions", env, nil},
		{"actions json", env, []string{"--json"}},
		{"outside actions", nil, nil},
	} {
		f.srv.FailUploads(2, pypitest.JSONReply(400, string(body)))
		r := runCLI(t, tc.env, append(tc.args, "--repository-url", f.uploadURL(), "-p", token, f.dir)...)
		if r.code != 1 {
			t.Fatalf("%s: exit %d, want 1\n%s%s", tc.name, r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout+r.stderr, "PWNED") {
			t.Errorf("%s: the index's message is not shown:\n%s%s", tc.name, r.stdout, r.stderr)
		}
		noInjection(t, r)
		if tc.env != nil && !strings.Contains(r.summary, "# PWNED heading") {
			t.Errorf("%s: the summary does not show the index's message:\n%s", tc.name, r.summary)
		}
		if strings.Contains(tc.name, "json") {
			var doc jsonDoc
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.OK || len(doc.Files) != 2 {
				t.Errorf("%s: --json document: %v\n%s", tc.name, err, r.stdout)
			}
		}
	}
}

// An index that refuses the Trusted Publishing exchange with hostile
// reasons: the action's report of them runs nothing and renders no
// Markdown of the index's.
func e2eHostileMintError(t *testing.T) {
	t.Parallel()
	body, err := json.Marshal(map[string]any{
		"message": "Token request failed",
		"errors": []map[string]string{{
			"code":        "invalid-publisher`\n::warning title=PWNED::x",
			"description": "see [PWNED](https://evil.example/): " + hostileText,
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, pypitest.GitHubRun{})
	f.srv.SetMintReply(pypitest.JSONReply(422, string(body)))
	env := f.actionsEnv(t, map[string]string{"REPOSITORY-URL": f.uploadURL(), "PACKAGES-DIR": f.dir})
	env["GITHUB_STEP_SUMMARY"] = filepath.Join(t.TempDir(), "summary")
	r := runCLI(t, env)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.summary, "Token request failed: the server refused the request") || !strings.Contains(r.summary, "PWNED") {
		t.Errorf("the summary lacks the index's reasons:\n%s", r.summary)
	}
	noInjection(t, r)
	noSecrets(t, r, env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"])
}

// A file whose name is hostile (a newline and a workflow command, escape
// sequences, Markdown) is named safely in the log, the annotations and
// the job summary.
func e2eHostileFileName(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	name := "x\n::warning title=PWNED::y ##[stop-commands]t \x1b[2J `|` [PWNED](https:evil.example)-1.0-py3-none-any.whl"
	writeHostile(t, filepath.Join(f.dir, name))
	env := f.actionsEnv(t, nil)
	env["GITHUB_STEP_SUMMARY"] = filepath.Join(t.TempDir(), "summary")
	r := runCLI(t, env, "--dry-run", "--repository-url", f.uploadURL(), f.dir)
	if r.code != 1 || !strings.Contains(r.stdout, ": FAILED") {
		t.Fatalf("exit %d, want 1 and the file FAILED\n%s%s", r.code, r.stdout, r.stderr)
	}
	noInjection(t, r)
	// In the summary's table, the name is one code span, which the
	// sanitiser's fuzz test shows nothing in the name can end.
	if !strings.Contains(r.summary, "\n| "+gha.CodeSpan(name)+" | FAILED |") {
		t.Errorf("the summary does not show the name as code:\n%s", r.summary)
	}
}
