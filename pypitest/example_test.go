package pypitest_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/trustpub/pypi/pypitest"
)

// This is what a GitHub Actions job does to publish to PyPI, done by hand
// against the fakes: ask the index for its audience, get an identity token
// for it from the CI issuer, trade that for an upload token, and upload a
// wheel with it. A test would close the fakes with t.Cleanup instead.
func ExampleNewServer() {
	iss := pypitest.NewIssuer()
	defer iss.Close()
	srv := pypitest.NewServer(pypitest.WithIssuer(iss))
	defer srv.Close()
	srv.AddPublisher(iss.Run().Publisher("sampleproject"))

	var aud struct{ Audience string }
	resp, _ := http.Get(srv.URL + "/_/oidc/audience")
	json.NewDecoder(resp.Body).Decode(&aud)
	resp.Body.Close()
	fmt.Println("audience:", aud.Audience)

	jwt := iss.Token(aud.Audience) // what the token endpoint would give
	var minted struct{ Token string }
	for range 2 { // an identity token can be exchanged only once
		resp, _ = http.Post(srv.URL+"/_/oidc/mint-token", "application/json",
			strings.NewReader(`{"token": "`+jwt+`"}`))
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			json.Unmarshal(body, &minted)
			fmt.Println(resp.Status, "token minted for", srv.Minted()[0].Projects)
		} else {
			fmt.Println(resp.Status, string(body))
		}
	}

	filename, wheel := pypitest.Dist{Name: "sampleproject", Version: "1.0"}.Build()
	sum := sha256.Sum256(wheel)
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	for _, f := range [][2]string{
		{":action", "file_upload"}, {"protocol_version", "1"}, {"metadata_version", "2.1"},
		{"name", "sampleproject"}, {"version", "1.0"}, {"filetype", "bdist_wheel"},
		{"pyversion", "py3"}, {"sha256_digest", hex.EncodeToString(sum[:])},
	} {
		mw.WriteField(f[0], f[1])
	}
	part, _ := mw.CreateFormFile("content", filename)
	part.Write(wheel)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/legacy/", &form)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.SetBasicAuth("__token__", minted.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println("upload:", resp.Status)
	for _, f := range srv.Files() {
		fmt.Println("stored:", f.Filename, "for", f.Uploader.Publisher.Repository)
	}
	// Output:
	// audience: pypi
	// 200 OK token minted for [sampleproject]
	// 422 Unprocessable Entity {"message": "Token request failed", "errors": [{"code": "invalid-reuse-token", "description": "invalid token: already used"}]}
	// upload: 200 OK
	// stored: sampleproject-1.0-py3-none-any.whl for sampleproject
}

// The issuer's token endpoint, as a job step reaches it through
// ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN.
func ExampleNewIssuer() {
	iss := pypitest.NewIssuer(pypitest.WithRun(pypitest.GitHubRun{
		Owner: "octo-org", Repository: "sampleproject", Environment: "pypi",
	}))
	defer iss.Close()
	u, _ := url.Parse(iss.Getenv("ACTIONS_ID_TOKEN_REQUEST_URL")) // it has a query already
	q := u.Query()
	q.Set("audience", "pypi")
	u.RawQuery = q.Encode()
	req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
	req.Header.Set("Authorization", "bearer "+iss.Getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN"))
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
