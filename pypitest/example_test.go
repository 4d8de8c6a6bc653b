package pypitest_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/trustpub/pypi/pypitest"
)

// exampleT is the testing.TB an Example function lacks: enough of one for
// NewServer and NewIssuer. In a test, pass the test's *testing.T instead.
type exampleT struct {
	testing.TB // unset: methods other than those below are not needed
	cleanups   []func()
	dir        string
}

func (*exampleT) Helper()            {}
func (e *exampleT) Cleanup(f func()) { e.cleanups = append(e.cleanups, f) }
func (e *exampleT) TempDir() string  { d, _ := os.MkdirTemp(e.dir, ""); return d }
func newExampleT() *exampleT         { d, _ := os.MkdirTemp("", "example"); return &exampleT{dir: d} }
func (e *exampleT) finish() {
	for i := len(e.cleanups) - 1; i >= 0; i-- {
		e.cleanups[i]()
	}
	os.RemoveAll(e.dir)
}

// This is the exchange a GitHub Actions job makes with PyPI, done by hand
// against the fakes: ask the index for its audience, get an identity token
// for it from the CI issuer, and trade that for an upload token.
func ExampleNewServer() {
	t := newExampleT()
	defer t.finish()

	iss := pypitest.NewIssuer(t)
	srv := pypitest.NewServer(t, pypitest.WithIssuer(iss))
	srv.AddPublisher(iss.Run().Publisher("sampleproject"))

	var aud struct{ Audience string }
	resp, _ := http.Get(srv.URL + "/_/oidc/audience")
	json.NewDecoder(resp.Body).Decode(&aud)
	resp.Body.Close()
	fmt.Println("audience:", aud.Audience)

	jwt := iss.Token(aud.Audience) // what the token endpoint would give
	for range 2 {
		resp, _ = http.Post(srv.URL+"/_/oidc/mint-token", "application/json",
			strings.NewReader(`{"token": "`+jwt+`"}`))
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			fmt.Println(resp.Status, "token minted for", srv.Minted()[0].Projects)
		} else {
			fmt.Println(resp.Status, string(body))
		}
	}
	// Output:
	// audience: pypi
	// 200 OK token minted for [sampleproject]
	// 422 Unprocessable Entity {"message": "Token request failed", "errors": [{"code": "invalid-reuse-token", "description": "invalid token: already used"}]}
}

// The issuer's token endpoint, as a job step reaches it through
// ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN.
func ExampleNewIssuer() {
	t := newExampleT()
	defer t.finish()

	iss := pypitest.NewIssuer(t, pypitest.WithRun(pypitest.GitHubRun{
		Owner: "octo-org", Repository: "sampleproject", Environment: "pypi",
	}))
	env := iss.Env() // or iss.Setenv(t) in a test that is not parallel

	u, _ := url.Parse(env["ACTIONS_ID_TOKEN_REQUEST_URL"]) // it has a query already
	q := u.Query()
	q.Set("audience", "pypi")
	u.RawQuery = q.Encode()
	req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
	req.Header.Set("Authorization", "bearer "+env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var body struct{ Value string }
	json.NewDecoder(resp.Body).Decode(&body)

	// The token's claims, unverified.
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(body.Value, ".")[1])
	var claims map[string]any
	json.Unmarshal(payload, &claims)
	fmt.Println(resp.Status)
	for _, name := range []string{"aud", "sub", "repository_owner_id", "job_workflow_ref", "environment"} {
		fmt.Printf("%s: %v\n", name, claims[name])
	}
	// Output:
	// 200 OK
	// aud: pypi
	// sub: repo:octo-org/sampleproject:environment:pypi
	// repository_owner_id: 131804563
	// job_workflow_ref: octo-org/sampleproject/.github/workflows/release.yml@refs/heads/main
	// environment: pypi
}
