package mint_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/mint"
)

// A stand-in for PyPI's two trusted-publishing endpoints.
func fakePyPI() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_/oidc/audience", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"audience": "pypi"}`)
	})
	mux.HandleFunc("POST /_/oidc/mint-token", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Token string }
		json.NewDecoder(r.Body).Decode(&req)
		if req.Token == "not-a-jwt" {
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprint(w, `{"message": "Token request failed", "errors": [{"code": "invalid-payload", "description": "malformed JWT"}]}`)
			return
		}
		fmt.Fprint(w, `{"success": true, "token": "pypi-AgEIcHlwaS5vcmc", "expires": 1764073800}`)
	})
	return httptest.NewServer(mux)
}

// identity stands for an oidc TokenSource: a fresh CI JWT on every call.
type identity struct{}

func (identity) Token() (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJweXBpIn0.c2ln"}, nil
}

func ExampleTokenSource() {
	srv := fakePyPI()
	defer srv.Close()
	u, _ := url.Parse(srv.URL)

	c := mint.Config{
		// Real code: mint.IndexFromUploadURL("https://upload.pypi.org/legacy/").
		Index:      mint.Index{Host: u.Host, InsecureHTTP: true},
		HTTPClient: srv.Client(),
		Now:        func() time.Time { return time.Unix(1764072900, 0) },
		Masker:     func(string) { fmt.Println("::add-mask::<the token>") },
	}
	ctx := context.Background()
	aud, err := c.Audience(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("audience:", aud)

	// Real code: c.Identity, err = oidc.Ambient(ctx, aud).
	c.Identity = identity{}
	tok, err := mint.TokenSource(ctx, c).Token()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tok.AccessToken, tok.Expiry.Unix())
	// Output:
	// audience: pypi
	// ::add-mask::<the token>
	// ::add-mask::<the token>
	// pypi-AgEIcHlwaS5vcmc 1764073800
}

func ExampleConfig_Mint_rejected() {
	srv := fakePyPI()
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	c := &mint.Config{Index: mint.Index{Host: u.Host, InsecureHTTP: true}, HTTPClient: srv.Client()}

	_, err := c.Mint(context.Background(), "not-a-jwt")
	var me *mint.Error
	if errors.As(err, &me) {
		fmt.Println(me.Status, me.Reasons[0].Code, errors.Is(err, mint.ErrMintRejected))
	}
	// Output:
	// 422 invalid-payload true
}

func ExampleIndex_PublisherFormURL() {
	ix, _ := mint.IndexFromUploadURL(mint.TestPyPIUploadURL)
	link, ok := ix.PublisherFormURL("sampleproject", mint.GitHubPublisher{
		Owner: "pypa", Repository: "sampleproject", WorkflowFilename: "release.yml",
	})
	fmt.Println(link, ok)
	// Output:
	// https://test.pypi.org/manage/project/sampleproject/settings/publishing/?provider=github&owner=pypa&repository=sampleproject&workflow_filename=release.yml true
}
