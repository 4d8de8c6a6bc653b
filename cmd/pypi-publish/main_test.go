package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustpub/pypi/pypitest"
)

// TestCLI builds the program into a temporary directory and runs each
// end-to-end scenario against it, in parallel.
func TestCLI(t *testing.T) {
	t.Parallel()
	binary = filepath.Join(t.TempDir(), "pypi-publish")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for name, test := range map[string]func(*testing.T){
		"ActionTrustedPublishing":             e2eActionTrustedPublishing,
		"TokenAuth":                           e2eTokenAuth,
		"DryRun":                              e2eDryRun,
		"JSONAndSkipExisting":                 e2eJSONAndSkipExisting,
		"ActionNoIdentityToken":               e2eActionNoIdentityToken,
		"ActionPublisherMismatch":             e2eActionPublisherMismatch,
		"ActionNudges":                        e2eActionNudges,
		"ActionNoDistributions":               e2eActionNoDistributions,
		"ChecksFail":                          e2eChecksFail,
		"DescriptionDoesNotRender":            e2eDescriptionDoesNotRender,
		"Usage":                               e2eUsage,
		"PasswordInURL":                       e2ePasswordInURL,
		"ActionAttestationsIgnored":           e2eActionAttestationsIgnored,
		"ActionIndexWithoutTrustedPublishing": e2eActionIndexWithoutTrustedPublishing,
		"HostileUploadError":                  e2eHostileUploadError,
		"HostileMintError":                    e2eHostileMintError,
		"OneVerdictPerFile":                   e2eOneVerdictPerFile,
		"HostileFileName":                     e2eHostileFileName,
		"UploadRefusedWithHint":               e2eUploadRefusedWithHint,
		"Spellings":                           e2eSpellings,
		"SkipExistingOtherBytes":              e2eSkipExistingOtherBytes,
		"ActionIgnoresTwineVariables":         e2eActionIgnoresTwineVariables,
		"ActionAttestations":                  e2eActionAttestations,
		"ActionAttestationsExist":             e2eActionAttestationsExist,
		"ActionAttestationFailure":            e2eActionAttestationFailure,
		"AttestationsJSONAndOff":              e2eAttestationsJSONAndOff,
	} {
		t.Run(name, test)
	}
	for name, test := range platformScenarios {
		t.Run(name, test)
	}
}

// platformScenarios are more end-to-end scenarios for TestCLI, those that
// need features of some systems (named pipes, signals), added by the files
// built for them.
var platformScenarios = map[string]func(*testing.T){}

// The action's way: no arguments, gh-action-pypi-publish's inputs in
// INPUT_* (kebab and snake names), Trusted Publishing.
func e2eActionTrustedPublishing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	env := f.actionsEnv(t, map[string]string{
		"USER": "__token__", "REPOSITORY_URL": f.uploadURL(), "PACKAGES-DIR": f.dir + "/",
		"VERIFY-METADATA": "true", "SKIP_EXISTING": "false", "PRINT-HASH": "true",
	})
	r := runCLI(t, env)
	if r.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	files := f.srv.Files()
	if len(files) != 2 {
		t.Fatalf("the index has %d files, want 2", len(files))
	}
	minted := mintedTokens(f.srv)
	if len(minted) != 1 {
		t.Fatalf("minted %d tokens, want 1", len(minted))
	}
	if !maskedFirst(r.stdout, env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]) {
		t.Errorf("the token request bearer is not masked before anything else:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "::add-mask::"+minted[0]+"\n") {
		t.Error("the minted token was not masked")
	}
	noSecrets(t, r, append(minted, env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"])...)
	for _, want := range []string{
		"::group::Checking distributions\n",
		"Checking sampleproject-1.0.0-py3-none-any.whl: PASSED\n",
		"Showing hash values of files to be uploaded:\n",
		"::debug::Authenticating to " + f.uploadURL() + " via Trusted Publishing\n",
		"Credentials: trusted publishing\n",
		"::endgroup::\n",
		"View at:\n" + f.srv.URL + "/simple/sampleproject/\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, file := range files {
		abs, _ := filepath.Abs(filepath.Join(f.dir, file.Filename))
		hashes := abs + "\n\nSHA256: " + file.SHA256 + "\nMD5: " + file.MD5 + "\nBLAKE2-256: " + file.BLAKE2b256 + "\n"
		if !strings.Contains(r.stdout, hashes) {
			t.Errorf("print-hash output lacks %q", hashes)
		}
		row := "| `" + file.Filename + "` |"
		if !strings.Contains(r.summary, row) || !strings.Contains(r.summary, file.SHA256) || !strings.Contains(r.summary, "[uploaded]("+f.srv.URL+"/simple/sampleproject/)") {
			t.Errorf("the job summary lacks %s, its digest or its link:\n%s", file.Filename, r.summary)
		}
		if !strings.Contains(r.output, "\n"+file.Filename+"\n") && !strings.Contains(r.output, file.Filename+"\n") {
			t.Errorf("the files output lacks %s:\n%s", file.Filename, r.output)
		}
	}
	if !strings.HasPrefix(r.output, "files<<ghadelimiter_") || !strings.Contains(r.output, "urls<<ghadelimiter_") {
		t.Errorf("outputs file:\n%s", r.output)
	}
}

func e2eTokenAuth(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	const token = "pypi-AgEIcHlwaS5vcmcCJGFsaWNlcy10b2tlbi1mb3ItdGVzdHM"
	f.srv.AddAPIToken("alice", token, "sampleproject")
	for _, tc := range []struct {
		args []string
		env  map[string]string
	}{
		{[]string{"--repository-url", f.uploadURL(), "-p", token, f.dir}, nil},
		{[]string{f.dir, "--username", "__token__", "--repository-url=" + f.uploadURL(), "--skip-existing"}, map[string]string{"TWINE_PASSWORD": token}},
	} {
		r := runCLI(t, tc.env, tc.args...)
		if r.code != 0 {
			t.Fatalf("%q: exit %d\n%s%s", tc.args, r.code, r.stdout, r.stderr)
		}
		noSecrets(t, r, token)
		if !strings.Contains(r.stdout, "Credentials: an API token\n") {
			t.Errorf("stdout:\n%s", r.stdout)
		}
	}
	for _, file := range f.srv.Files() {
		if file.Uploader.User != "alice" {
			t.Errorf("%s uploaded by %+v", file.Filename, file.Uploader)
		}
	}
	if n := len(f.srv.Files()); n != 2 || len(f.srv.Minted()) != 0 {
		t.Errorf("%d files, %d minted tokens; want 2 and 0", n, len(f.srv.Minted()))
	}
}

func e2eDryRun(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	r := runCLI(t, f.iss.Env(), "--dry-run", "--checks", "pypi", "--repository-url", f.uploadURL(), f.dir)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"Would upload sampleproject-1.0.0-py3-none-any.whl (1.3 kB) to " + f.uploadURL() + " with the form fields:\n",
		"  :action = \"file_upload\"\n",
		"  name = \"sampleproject\"\n",
		"  filetype = \"sdist\"\n",
		"  description = \"# sampleproject\\n\\nA sample project published with github.com/trustpub/pypi.\\n\"\n",
		"Dry run: 2 file(s) checked, nothing was uploaded.\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if len(f.srv.Uploads()) != 0 || f.iss.Issued() != 0 || len(f.srv.Minted()) != 0 {
		t.Error("a dry run fetched credentials or uploaded")
	}
}

// jsonDoc is the part of the --json document the tests read.
type jsonDoc struct {
	OK    bool `json:"ok"`
	Files []struct {
		File    string `json:"file"`
		Outcome string `json:"outcome"`
		Size    int64  `json:"size"`
		Digests struct {
			SHA256     string `json:"sha256"`
			BLAKE2b256 string `json:"blake2b_256"`
		} `json:"digests"`
		Fields []struct{ Name, Value string } `json:"fields"`
	} `json:"files"`
}

// JSON output, and --skip-existing on a second run.
func e2eJSONAndSkipExisting(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	env := f.iss.Env()
	for i, want := range []string{"uploaded", "already_present"} {
		r := runCLI(t, env, "--json", "--skip-existing", "--repository-url", f.uploadURL(), f.dir)
		if r.code != 0 {
			t.Fatalf("run %d: exit %d\n%s%s", i, r.code, r.stdout, r.stderr)
		}
		noSecrets(t, r, mintedTokens(f.srv)...)
		var doc jsonDoc
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
		}
		if dec.More() {
			t.Errorf("stdout holds more than one JSON document:\n%s", r.stdout)
		}
		if !doc.OK || len(doc.Files) != 2 {
			t.Fatalf("run %d: %+v", i, doc)
		}
		for _, file := range doc.Files {
			stored, ok := f.srv.File(file.File)
			if !ok || file.Outcome != want || file.Digests.SHA256 != stored.SHA256 || file.Digests.BLAKE2b256 != stored.BLAKE2b256 || file.Size != stored.Size || len(file.Fields) == 0 {
				t.Errorf("run %d: %+v; index has %v %s", i, file, ok, stored.SHA256)
			}
		}
	}
	if n := len(f.srv.Uploads()); n != 2 {
		t.Errorf("%d uploads reached the index; the second run should send none", n)
	}
}

// gh-action-pypi-publish's guidance when GitHub gives no identity token.
func e2eActionNoIdentityToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		run  pypitest.GitHubRun
		want []string
	}{
		{"fork pull request", pypitest.GitHubRun{Fork: true, EventName: "pull_request"}, []string{
			"The workflow context indicates that this action was called from a%0Apull request on a fork.",
		}},
		{"missing permission", pypitest.GitHubRun{NoIDToken: true}, []string{
			"Make sure that your workflow has `id-token: write` configured%0Aat the job level",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tt.run)
			env := f.actionsEnv(t, map[string]string{"REPOSITORY-URL": f.uploadURL(), "PACKAGES_DIR": f.dir})
			r := runCLI(t, env)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
			}
			for _, want := range append(tt.want, "::error::Trusted publishing exchange failure: OpenID Connect token retrieval failed: GitHub: missing or insufficient OIDC token permissions") {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
				}
			}
			for _, want := range []string{"Trusted publishing exchange failure:\n\nOpenID Connect token retrieval failed", "You're seeing this because the action wasn't given the inputs"} {
				if !strings.Contains(r.summary, want) {
					t.Errorf("the job summary lacks %q:\n%s", want, r.summary)
				}
			}
			if len(f.srv.Uploads()) != 0 {
				t.Error("files were sent")
			}
			noSecrets(t, r)
		})
	}
}

// A publisher that does not match gets PyPI's reasons, the claims, and
// (for a reusable workflow) the action's warning.
func e2eActionPublisherMismatch(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	f.iss.SetRun(pypitest.GitHubRun{JobWorkflowRef: "octo-org/shared/.github/workflows/publish.yml@refs/heads/main"})
	env := f.actionsEnv(t, map[string]string{"REPOSITORY-URL": f.uploadURL(), "PACKAGES-DIR": f.dir})
	r := runCLI(t, env)
	if r.code != 1 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"::warning::Potential workflow misconfiguration: The claims in this token suggest that the calling workflow is a reusable workflow.",
		"::error::Trusted publishing exchange failure: Token request failed: the server refused the request for the following reasons:",
		"* `invalid-publisher`: ",
		"* `job_workflow_ref`: `octo-org/shared/.github/workflows/publish.yml@refs/heads/main`",
	} {
		if !strings.Contains(r.stdout, strings.ReplaceAll(want, "\n", "%0A")) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.summary, "Reusable workflows are **not currently supported**") {
		t.Errorf("the summary lacks the reusable-workflow warning:\n%s", r.summary)
	}
	noSecrets(t, r, env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"])
}

// An API token for PyPI gets the action's nudge towards Trusted
// Publishing and the link that creates the publisher; a password is
// refused as the action refuses it.
func e2eActionNudges(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	const token = "pypi-AgEIcHlwaS5vcmcCJGJvYnMtdG9rZW4"
	env := f.actionsEnv(t, map[string]string{"PASSWORD": token, "PACKAGES-DIR": f.dir})
	r := runCLI(t, env, "--dry-run") // PyPI itself: nothing may be sent
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"::warning title=Upgrade to Trusted Publishing::Trusted Publishers allows publishing packages",
		"::warning title=Create a Trusted Publisher::A new Trusted Publisher for the currently running publishing workflow",
		"%0A- https://pypi.org/manage/project/sampleproject/settings/publishing/?provider=github&owner=octo-org&repository=sampleproject&workflow_filename=release.yml",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	noSecrets(t, r, token)

	env = f.actionsEnv(t, map[string]string{"USER": "alice", "PASSWORD": "hunter2-secret", "PACKAGES-DIR": f.dir})
	r = runCLI(t, env)
	if r.code != 1 || !strings.Contains(r.stdout, "::error title=Password-based uploads disabled::As of 2024, PyPI requires all users to enable Two-Factor Authentication.") {
		t.Errorf("a password for PyPI: exit %d\n%s", r.code, r.stdout)
	}
	noSecrets(t, r, "hunter2-secret")
}

func e2eActionNoDistributions(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	empty := t.TempDir()
	env := f.actionsEnv(t, map[string]string{"REPOSITORY-URL": f.uploadURL(), "PACKAGES-DIR": empty})
	r := runCLI(t, env)
	want := "::warning file=# >> PyPA publish to PyPI GHA%3A MISSING DISTS << ::It looks like there are no Python distribution packages to publish in the directory \"" + empty + "/\"."
	if r.code != 1 || !strings.Contains(r.stdout, want) {
		t.Errorf("exit %d, want 1 and %q:\n%s", r.code, want, r.stdout)
	}
}

// One bad file: nothing is uploaded, every problem is an annotation on
// its file.
func e2eChecksFail(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	whl, err := os.ReadFile(filepath.Join(f.dir, "sampleproject-1.0.0-py3-none-any.whl"))
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(f.dir, "sampleproject-2.0-py3-none-any.whl")
	if err := os.WriteFile(bad, whl, 0o644); err != nil {
		t.Fatal(err)
	}
	env := f.actionsEnv(t, nil)
	r := runCLI(t, env, "--checks=pypi", "--repository-url", f.uploadURL(), f.dir)
	if r.code != 1 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"Checking sampleproject-2.0-py3-none-any.whl: FAILED\n",
		"::error file=" + bad + ",title=",
		"Checking sampleproject-1.0.0.tar.gz: PASSED\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if len(f.srv.Uploads()) != 0 || f.iss.Issued() != 0 {
		t.Error("credentials were fetched or files sent despite a bad file")
	}
	if !strings.Contains(r.summary, "| `sampleproject-2.0-py3-none-any.whl` |") {
		t.Errorf("summary:\n%s", r.summary)
	}
}

func e2eUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--trusted-publishing", "sometimes"},
		{"--repository", "pypi", "--repository-url", "https://example.com/legacy/"},
		{"--repository", "warehouse"},
		{"--no-such-flag"},
		{"--concurrency", "0"},
	} {
		r := runCLI(t, nil, args...)
		if r.code != 2 || r.stderr == "" {
			t.Errorf("%q: exit %d, stderr %q; want 2 and a message", args, r.code, r.stderr)
		}
	}
	if r := runCLI(t, nil, "-h"); r.code != 0 || !strings.Contains(r.stderr, "Usage: pypi-publish") || !strings.Contains(r.stderr, "-timeout SECONDS") {
		t.Errorf("-h: exit %d\n%s", r.code, r.stderr)
	}
}

// A password in the repository URL is used, and shown nowhere.
func e2ePasswordInURL(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	f.srv.AddUser("alice", "s3cret-in-url")
	u := strings.Replace(f.uploadURL(), "http://", "http://alice:s3cret-in-url@", 1)
	r := runCLI(t, nil, "--repository-url", u, f.dir)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "Uploading distributions to http://alice:xxxxx@") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	noSecrets(t, r, "s3cret-in-url")
	if n := len(f.srv.Files()); n != 2 {
		t.Errorf("the index has %d files, want 2", n)
	}
}

// The attestations input with a password, for an index other than PyPI,
// is ignored with the action's two warnings.
func e2eActionAttestationsIgnored(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	const token = "pypi-AgEIcHlwaS5vcmcCJGNhcm9scy10b2tlbg"
	f.srv.AddAPIToken("carol", token)
	env := f.actionsEnv(t, map[string]string{"PASSWORD": token, "ATTESTATIONS": "true",
		"REPOSITORY-URL": f.uploadURL(), "PACKAGES-DIR": f.dir})
	r := runCLI(t, env)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"::warning title=attestations input ignored::The workflow was run with the 'attestations: true' input, but an explicit password was also set, disabling Trusted Publishing.",
		"::warning title=attestations input ignored::The workflow was run with 'attestations: true' input, but the specified repository URL does not support PEP 740 attestations.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "Upgrade to Trusted Publishing") {
		t.Error("the PyPI nudge was given for another index")
	}
	noSecrets(t, r, token)
}

// An index without Trusted Publishing stops the action with its message.
func e2eActionIndexWithoutTrustedPublishing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	other := pypitest.NewServer(pypitest.WithoutTrustedPublishing())
	t.Cleanup(other.Close)
	env := f.actionsEnv(t, map[string]string{"REPOSITORY-URL": other.URL + "/legacy/", "PACKAGES-DIR": f.dir})
	r := runCLI(t, env)
	host := strings.TrimPrefix(other.URL, "http://")
	want := "::error::Trusted publishing exchange failure: audience retrieval failed: repository at " + host + " does not indicate trusted publishing support\n"
	if r.code != 1 || !strings.Contains(r.stdout, want) {
		t.Errorf("exit %d, want 1 and %q:\n%s", r.code, want, r.stdout)
	}
	if len(other.Uploads()) != 0 {
		t.Error("files were sent without credentials")
	}
}

// A description PyPI would fail to render stops a dry run, naming the
// file, PyPI's message and the line to fix.
func e2eDescriptionDoesNotRender(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name, whl := pypitest.Dist{Name: "brokenreadme", Version: "1.0",
		Metadata: []string{"Description: A project.\n        \n        .. unknown-directive:: x"}}.Build()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, whl, 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "--dry-run", "--checks=pypi", path)
	if r.code != 1 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{
		"brokenreadme-1.0-py3-none-any.whl",
		"The description failed to render in the default format of reStructuredText.",
		`line 3: Unknown directive type "unknown-directive".`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// A refused upload is reported with the index's message and, on the
// next line, what to do about it; every failed file under the run's
// error, indented.
func e2eUploadRefusedWithHint(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	const token = "pypi-AgEIcHlwaS5vcmcCJGhpbnQtdGVzdA"
	f.srv.AddAPIToken("alice", token, "sampleproject")
	f.srv.FailUploads(2, pypitest.JSONReply(403, `{"code": "403 Invalid or non-existent authentication information."}`))
	r := runCLI(t, nil, "--repository-url", f.uploadURL(), "-p", token, f.dir)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	const hint = "\n  The token is missing, malformed or unknown to this index"
	want := "error: pypi: files failed to upload (2 file(s)):\n  upload: sampleproject-1.0.0-py3-none-any.whl: " + f.uploadURL() +
		": 403 Forbidden: Invalid or non-existent authentication information." + hint
	if !strings.Contains(r.stdout+r.stderr, want) || strings.Count(r.stdout+r.stderr, hint) != 2 {
		t.Errorf("want the failed files, each with its hint, under the error %q:\n%s%s", want, r.stdout, r.stderr)
	}
}
