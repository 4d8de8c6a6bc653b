package main

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/internal/gha"
	"github.com/trustpub/pypi/mint"
	"github.com/trustpub/pypi/oidc"
	"github.com/trustpub/pypi/upload"
)

// githubClaims are the claims of a typical GitHub Actions token.
var githubClaims = map[string]any{
	"aud":                 "pypi",
	"sub":                 "repo:octo/pkg:ref:refs/heads/main",
	"repository":          "octo/pkg",
	"repository_owner":    "octo",
	"repository_owner_id": "131804563",
	"workflow_ref":        "octo/pkg/.github/workflows/release.yml@refs/heads/main",
	"job_workflow_ref":    "octo/pkg/.github/workflows/release.yml@refs/heads/main",
	"ref":                 "refs/heads/main",
}

// unsignedJWT builds an unsigned compact JWT with the given claims.
func unsignedJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc(payload) + ".c2lnbmF0dXJl"
}

// mintError is the error of a mint-token call that an index answers
// with status and body.
func mintError(t *testing.T, jwt string, status int, body string) error {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	_, err := (&mint.Config{UploadURL: srv.URL + "/legacy/", HTTPClient: srv.Client()}).Mint(t.Context(), jwt)
	if err == nil {
		t.Fatalf("status %d %s: no error", status, body)
	}
	return err
}

const claimsBlock = `

This generally indicates a trusted publisher configuration error, but could
also indicate an internal error on GitHub or PyPI's part.


The claims rendered below are **for debugging purposes only**. You should **not**
use them to configure a trusted publisher unless they already match your expectations.

If a claim is not present in the claim set, then it is rendered as ` + "`MISSING`" + `.

* ` + "`sub`: `repo:octo/pkg:ref:refs/heads/main`" + `
* ` + "`repository`: `octo/pkg`" + `
* ` + "`repository_owner`: `octo`" + `
* ` + "`repository_owner_id`: `131804563`" + `
* ` + "`workflow_ref`: `octo/pkg/.github/workflows/release.yml@refs/heads/main`" + `
* ` + "`job_workflow_ref`: `octo/pkg/.github/workflows/release.yml@refs/heads/main`" + `
* ` + "`ref`: `refs/heads/main`" + `
* ` + "`environment`: `MISSING`" + `

See https://docs.pypi.org/trusted-publishers/troubleshooting/ for more help.`

// The refusals of an index are explained in gh-action-pypi-publish's
// words, with the index's reasons (redacted) and the token's claims.
func TestExplainMintRejected(t *testing.T) {
	t.Parallel()
	const pydantic = "1 validation error for TokenPayload\ntoken\n  Input should be a valid string [type=string_type, input_value={jwt}, input_type=int]"
	tests := []struct {
		name, code, description, reasons string
	}{
		{"payload not a TokenPayload", "invalid-payload", pydantic,
			"* `invalid-payload`: 1 validation error for TokenPayload\ntoken\n  Input should be a valid string [type=string_type, input_value=[redacted], input_type=int]"},
		{"malformed JWT", "invalid-payload", "malformed JWT", "* `invalid-payload`: malformed JWT"},
		{"no publisher", "invalid-publisher", "valid token, but no corresponding publisher (Publisher with matching claims was not found)",
			"* `invalid-publisher`: valid token, but no corresponding publisher (Publisher with matching claims was not found)"},
		{"reuse", "invalid-reuse-token", "invalid token: already used", "* `invalid-reuse-token`: invalid token: already used"},
	}
	jwt := unsignedJWT(t, githubClaims)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body, _ := json.Marshal(map[string]any{"message": "Token request failed",
				"errors": []map[string]string{{"code": tt.code, "description": strings.ReplaceAll(tt.description, "{jwt}", jwt)}}})
			err := mintError(t, jwt, 422, string(body))
			want := "Token request failed: the server refused the request for the following reasons:\n\n" + tt.reasons + claimsBlock
			if got := explain(err); got != want {
				t.Errorf("explain:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestExplainMintRejectedSeveralReasonsAndNoClaims(t *testing.T) {
	t.Parallel()
	err := mintError(t, "not-a-jwt", 422, `{"message":"Token request failed","errors":[
		{"code":"invalid-payload","description":"malformed JWT"},
		{"code":"invalid-token","description":"malformed or invalid token"}]}`)
	want := `Token request failed: the server refused the request for the following reasons:

* ` + "`invalid-payload`" + `: malformed JWT
* ` + "`invalid-token`" + `: malformed or invalid token

This generally indicates a trusted publisher configuration error, but could
also indicate an internal error on GitHub or PyPI's part.


The claims rendered below are **for debugging purposes only**. You should **not**
use them to configure a trusted publisher unless they already match your expectations.

If a claim is not present in the claim set, then it is rendered as ` + "`MISSING`" + `.

* ` + "`sub`: `MISSING`" + `
* ` + "`repository`: `MISSING`" + `
* ` + "`repository_owner`: `MISSING`" + `
* ` + "`repository_owner_id`: `MISSING`" + `
* ` + "`workflow_ref`: `MISSING`" + `
* ` + "`job_workflow_ref`: `MISSING`" + `
* ` + "`ref`: `MISSING`" + `
* ` + "`environment`: `MISSING`" + `

See https://docs.pypi.org/trusted-publishers/troubleshooting/ for more help.`
	if got := explain(err); got != want {
		t.Errorf("explain:\n%s\nwant:\n%s", got, want)
	}
}

func TestExplainMintMalformedResponses(t *testing.T) {
	t.Parallel()
	const downtime = "\n\nThis strongly suggests a server configuration or downtime issue; wait\na few minutes and try again."
	tests := []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"502 HTML", 502, "<html><h1>502 Bad Gateway</h1></html>",
			"Token request failed: the index produced an unexpected\n502 response." + downtime +
				"\n\nYou can monitor PyPI's status here: https://status.python.org/"},
		{"200 not JSON", 200, "pypi-AgEtoken",
			"Token request failed: the index produced an unexpected\n200 response." + downtime +
				"\n\nYou can monitor PyPI's status here: https://status.python.org/"},
		{"JSON without errors", 422, `{"message":"Token request failed"}`,
			"Token request failed: the index responded with 422 Unprocessable Entity\nand gave no reasons." + downtime},
		{"errors not a list", 400, `{"errors":"bad"}`,
			"Token request failed: the index responded with 400 Bad Request\nand gave no reasons." + downtime},
		{"200 without token", 200, `{"success":true,"expires":1700000900}`,
			"Token response error: the index gave us an invalid response." + downtime},
		{"200 token not a string", 200, `{"token":12}`,
			"Token response error: the index gave us an invalid response." + downtime},
	}
	jwt := unsignedJWT(t, githubClaims)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := explain(mintError(t, jwt, tt.status, tt.body)); got != tt.want {
				t.Errorf("explain:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// A GitHub job without a token gets the permission fix, or the fork
// explanation for a pull request from a fork.
func TestExplainAmbient(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fork := filepath.Join(dir, "fork.json")
	if err := os.WriteFile(fork, []byte(`{"pull_request": {"head": {"repo": {"fork": true}}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	const head = "OpenID Connect token retrieval failed: GitHub: missing or insufficient OIDC token permissions, the ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable was unset\n\n"
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"no permission", map[string]string{"GITHUB_ACTIONS": "true"}, head + `This generally indicates a workflow configuration error, such as insufficient
permissions. Make sure that your workflow has ` + "`id-token: write`" + ` configured
at the job level, e.g.:

` + "```yaml" + `
permissions:
  id-token: write
` + "```" + `

Learn more at https://docs.github.com/en/actions/deployment/security-hardening-your-deployments/about-security-hardening-with-openid-connect#adding-permissions-settings.`},
		{"fork", map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": fork}, head + `The workflow context indicates that this action was called from a
pull request on a fork. GitHub doesn't give these workflows OIDC permissions,
even if ` + "`id-token: write`" + ` is explicitly configured.

To fix this, change your publishing workflow to use an event that
forks of your repository cannot trigger (such as tag or release
creation, or a manually triggered workflow dispatch).`},
		{"other CI", map[string]string{"CIRCLECI": "true", "PATH": dir}, "OpenID Connect token retrieval failed: CircleCI: could not find `circleci` in the environment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := (&oidc.Config{Getenv: func(k string) string { return tt.env[k] }}).Token(t.Context(), "pypi")
			if got := explain(err); got != tt.want {
				t.Errorf("explain:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// The reusable-workflow warning is the action's, from the claims; other
// warnings keep their message.
func TestWarningText(t *testing.T) {
	t.Parallel()
	claims := oidc.Claims{"workflow_ref": "octo/pkg/.github/workflows/release.yml@refs/heads/main",
		"job_workflow_ref": "octo/shared/.github/workflows/publish.yml@refs/tags/v1"}
	want := `The claims in this token suggest that the calling workflow is a reusable workflow.

In particular, this action was initiated by:

    octo/shared/.github/workflows/publish.yml@refs/tags/v1

Whereas its parent workflow is:

    octo/pkg/.github/workflows/release.yml@refs/heads/main

Reusable workflows are **not currently supported** by PyPI's Trusted Publishing
functionality, and are subject to breakage. Users are **strongly encouraged**
to avoid using reusable workflows for Trusted Publishing until support
becomes official. Please, do not report bugs if this breaks.

For more information, see:

* https://docs.pypi.org/trusted-publishers/troubleshooting/#reusable-workflows-on-github
* https://github.com/pypa/gh-action-pypi-publish/issues/166 — subscribe to
  this issue to watch the progress and learn when reusable workflows become
  supported officially`
	if got := warningText(pypi.Event{Warning: pypi.WarningReusableWorkflow, Claims: claims, Message: "one line"}); got != want {
		t.Errorf("warning:\n%s\nwant:\n%s", got, want)
	}
	onlyOne := oidc.Claims{"workflow_ref": "a/b/.github/workflows/x.yml@refs/heads/main"}
	if got := warningText(pypi.Event{Warning: pypi.WarningReusableWorkflow, Claims: onlyOne}); !strings.Contains(got, "initiated by:\n\n    None\n") {
		t.Errorf("a missing job_workflow_ref should render as None (Python), got:\n%s", got)
	}
	if got := warningText(pypi.Event{Warning: pypi.WarningAttestationsIgnored, Message: "not sent"}); got != "not sent" {
		t.Errorf("other warning = %q; want its message", got)
	}
}

func TestPublisherFormURL(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"GITHUB_REPOSITORY_OWNER": "octo",
		"GITHUB_REPOSITORY":       "octo/pkg",
		"GITHUB_WORKFLOW_REF":     "octo/pkg/.github/workflows/release.yml@refs/heads/release/v1",
	}
	p := githubPublisherFromEnv(func(k string) string { return env[k] })
	if want := (githubPublisher{RepositoryOwner: "octo", Repository: "pkg", WorkflowFilename: "release.yml"}); p != want {
		t.Fatalf("githubPublisherFromEnv = %+v; want %+v", p, want)
	}
	tests := []struct {
		upload, want string
		ok           bool
	}{
		{upload.PyPIURL, "https://pypi.org/manage/project/my-pkg/settings/publishing/?provider=github&owner=octo&repository=pkg&workflow_filename=release.yml", true},
		{upload.TestPyPIURL, "https://test.pypi.org/manage/project/my-pkg/settings/publishing/?provider=github&owner=octo&repository=pkg&workflow_filename=release.yml", true},
		{"https://pypi.example.com/legacy/", "", false},
	}
	for _, tt := range tests {
		got, ok := publisherFormURL(tt.upload, "my-pkg", p)
		if got != tt.want || ok != tt.ok {
			t.Errorf("publisherFormURL(%s) = %q, %v; want %q, %v", tt.upload, got, ok, tt.want, tt.ok)
		}
	}
}

// Repository names map to the same upload URLs as in the library, in any
// case, whether given by --repository or --repository-url.
func TestRepositoryNames(t *testing.T) {
	t.Parallel()
	getenv := func(string) string { return "" }
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, upload.PyPIURL},
		{[]string{"--repository", "testpypi"}, upload.TestPyPIURL},
		{[]string{"--repository", "TestPyPI"}, upload.TestPyPIURL},
		{[]string{"--repository-url", "PyPI"}, upload.PyPIURL},
		{[]string{"--repository-url", "https://pypi.example.com/legacy/"}, "https://pypi.example.com/legacy/"},
	} {
		c, err := parseConfig(tc.args, getenv, gha.New(io.Discard, getenv, false), io.Discard)
		if err != nil {
			t.Fatalf("%q: %v", tc.args, err)
		}
		if got := c.uploadURL(); got != tc.want {
			t.Errorf("%q: upload URL %q, want %q", tc.args, got, tc.want)
		}
		if got := pypi.UploadURL(c.options().Repository); got != tc.want {
			t.Errorf("%q: the library's upload URL %q, want %q", tc.args, got, tc.want)
		}
	}
}
