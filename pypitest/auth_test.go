package pypitest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// whoami serves the identity authorize finds, or its refusal, so that
// authorize is exercised by real HTTP requests.
func whoami(srv *Server) {
	srv.mux.HandleFunc("/whoami", func(w http.ResponseWriter, r *http.Request) {
		id, err := srv.authorize(r)
		var refusal *authError
		switch {
		case errors.As(err, &refusal):
			http.Error(w, refusal.message, refusal.status)
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
		default:
			fmt.Fprintf(w, "user=%q publisher=%v projects=%q expires=%d", id.User, id.Publisher != nil, id.Projects, id.Expires.Unix())
		}
	})
}

func basicAuth(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

func TestAuthorize(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	whoami(f.srv)
	if status, body := f.mint(t, f.iss.Token("pypi")); status != 200 {
		t.Fatalf("mint: %d %s", status, body)
	}
	minted := f.srv.Minted()[0].Token
	f.srv.AddUser("alice", "s3cret", "sampleproject")
	f.srv.AddAPIToken("bob", "pypi-bobs-token", "otherproject")
	mintedID := fmt.Sprintf(`user="" publisher=true projects=["sampleproject"] expires=%d`, testEpoch.Unix()+900)
	const (
		password = "403 " + passwordAuthMessage + "\n"
		invalid  = "403 " + invalidAuthMessage + "\n"
	)
	for _, tc := range []struct{ name, authorization, want string }{
		{"minted token, Basic", basicAuth("__token__", minted), "200 " + mintedID},
		{"minted token with spaces, Basic", basicAuth("__token__", " "+minted+"\n"), "200 " + mintedID},
		{"minted token, token scheme", "token " + minted, "200 " + mintedID},
		{"minted token, Bearer scheme", "Bearer " + minted, "200 " + mintedID},
		{"API token", basicAuth("__token__", "pypi-bobs-token"), `200 user="bob" publisher=false projects=["otherproject"] expires=-62135596800`},
		{"registered password", basicAuth("alice", "s3cret"), `200 user="alice" publisher=false projects=["sampleproject"] expires=-62135596800`},
		{"wrong password", basicAuth("alice", "guess"), password},
		{"unknown user", basicAuth("mallory", "x"), password},
		{"API token as a password", basicAuth("bob", "pypi-bobs-token"), password},
		{"unknown token", basicAuth("__token__", "pypi-unknown"), invalid},
		{"empty token", basicAuth("__token__", ""), invalid},
		{"bad base64", "Basic !!!", invalid},
		{"no colon", "Basic " + base64.StdEncoding.EncodeToString([]byte("alice")), invalid},
		{"no Authorization", "", invalid},
		{"Digest scheme", "Digest " + minted, invalid},
		{"password as a bearer", "bearer alice:s3cret", invalid},
	} {
		req, err := http.NewRequest(http.MethodGet, f.srv.URL+"/whoami", nil)
		if err != nil {
			t.Fatal(err)
		}
		if tc.authorization != "" {
			req.Header.Set("Authorization", tc.authorization)
		}
		resp, err := f.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		status, body := readResponse(t, resp)
		if strings.Contains(body, minted) {
			t.Errorf("%s: the answer shows the token", tc.name)
		}
		if got := fmt.Sprintf("%d %s", status, body); got != tc.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

func TestPermits(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	if status, body := f.mint(t, f.iss.Token("pypi")); status != 200 {
		t.Fatalf("mint: %d %s", status, body)
	}
	minted := f.srv.tokens[f.srv.Minted()[0].Token]
	f.srv.AddAPIToken("bob", "pypi-scoped", "otherproject")
	f.srv.AddAPIToken("bob", "pypi-account")
	f.srv.AddUser("alice", "pw", "sampleproject")
	scoped, account, alice := f.srv.tokens["pypi-scoped"], f.srv.tokens["pypi-account"], f.srv.passwords["alice:pw"]
	at := func(d time.Duration) time.Time { return testEpoch.Add(d) }
	for _, tc := range []struct {
		name    string
		id      *Identity
		project string
		now     time.Time
		want    string // "" for permitted
	}{
		{"minted, its project", minted, "sampleproject", at(0), ""},
		{"minted, its project spelt otherwise", minted, "SampleProject", at(0), ""},
		{"minted, another project", minted, "otherproject", at(0), "Invalid API Token: OIDC scoped token is not valid for project 'otherproject'"},
		{"minted, last second", minted, "sampleproject", at(899 * time.Second), ""},
		{"minted, expired", minted, "sampleproject", at(900 * time.Second), "Invalid API Token: token is expired"},
		{"minted, before its time", minted, "sampleproject", at(-time.Second), "Invalid API Token: token is expired"},
		{"minted, expired and another project", minted, "otherproject", at(time.Hour), "Invalid API Token: OIDC scoped token is not valid for project 'otherproject'"},
		{"scoped API token, its project", scoped, "otherproject", at(0), ""},
		{"scoped API token, another project", scoped, "sampleproject", at(0), "Invalid API Token: project-scoped token is not valid for project: 'sampleproject'"},
		{"account-wide API token", account, "anything", at(0), ""},
		{"password, own project", alice, "sampleproject", at(0), ""},
		{"password, another project", alice, "otherproject", at(0), "The user 'alice' isn't allowed to upload to project 'otherproject'. See https://pypi.org/help/#project-name for more information."},
	} {
		err := tc.id.permits(tc.project, tc.now)
		var refusal *authError
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (!errors.As(err, &refusal) || refusal.status != 403 || refusal.message != tc.want):
			t.Errorf("%s: got %v, want 403 %s", tc.name, err, tc.want)
		}
	}
}
