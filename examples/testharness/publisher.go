// Package testharness shows how another publisher's test suite uses
// pypitest, the way Go tests use net/http/httptest. Publisher is a small,
// hypothetical publisher written with the standard library only; its
// tests (publisher_test.go) run it against a fake PyPI and a fake GitHub
// Actions identity provider, with no network and no real secret.
package testharness

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Publisher uploads the files of one release by Trusted Publishing from
// GitHub Actions.
type Publisher struct {
	UploadURL  string              // e.g. https://upload.pypi.org/legacy/
	HTTPClient *http.Client        // nil means http.DefaultClient
	Getenv     func(string) string // the job's environment; nil means os.Getenv
}

// Release is what to upload: the project, its version and its files
// (wheels and .tar.gz sdists with core metadata 2.1).
type Release struct {
	Name, Version string
	Files         []string
}

// Publish mints an upload token and uploads each file of r.
func (p *Publisher) Publish(ctx context.Context, r Release) error {
	token, err := p.mint(ctx)
	if err != nil {
		return err
	}
	for _, f := range r.Files {
		if err := p.upload(ctx, token, r, f); err != nil {
			return err
		}
	}
	return nil
}

// mint runs the exchange: the index's audience, the job's identity token
// for it, and the upload token minted for that.
func (p *Publisher) mint(ctx context.Context) (string, error) {
	u, err := url.Parse(p.UploadURL)
	if err != nil {
		return "", err
	}
	base := u.Scheme + "://" + u.Host
	var aud struct{ Audience string }
	if err := p.do(ctx, http.MethodGet, base+"/_/oidc/audience", "", nil, nil, &aud); err != nil {
		return "", fmt.Errorf("audience: %w", err)
	}
	getenv := p.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	reqURL, reqToken := getenv("ACTIONS_ID_TOKEN_REQUEST_URL"), getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
	if reqURL == "" || reqToken == "" {
		return "", fmt.Errorf("no identity token: does the job have `id-token: write`?")
	}
	var id struct{ Value string }
	hdr := http.Header{"Authorization": {"bearer " + reqToken}}
	if err := p.do(ctx, http.MethodGet, reqURL+"&audience="+url.QueryEscape(aud.Audience), "", nil, hdr, &id); err != nil {
		return "", fmt.Errorf("identity token: %w", err)
	}
	body, _ := json.Marshal(map[string]string{"token": id.Value})
	var minted struct{ Token string }
	if err := p.do(ctx, http.MethodPost, base+"/_/oidc/mint-token", "application/json", body, nil, &minted); err != nil {
		return "", fmt.Errorf("mint-token: %w", err)
	}
	return minted.Token, nil
}

// upload sends one file with the fields the legacy API requires.
func (p *Publisher) upload(ctx context.Context, token string, r Release, path string) error {
	content, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(content)
	filetype, pyversion := "sdist", "source"
	if strings.HasSuffix(path, ".whl") {
		filetype, pyversion = "bdist_wheel", "py3"
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, kv := range [][2]string{
		{":action", "file_upload"}, {"protocol_version", "1"}, {"metadata_version", "2.1"},
		{"name", r.Name}, {"version", r.Version}, {"filetype", filetype}, {"pyversion", pyversion},
		{"sha256_digest", hex.EncodeToString(sum[:])},
	} {
		mw.WriteField(kv[0], kv[1])
	}
	fw, _ := mw.CreateFormFile("content", filepath.Base(path))
	fw.Write(content)
	mw.Close()
	basic := base64.StdEncoding.EncodeToString([]byte("__token__:" + token))
	hdr := http.Header{"Authorization": {"Basic " + basic}}
	if err := p.do(ctx, http.MethodPost, p.UploadURL, mw.FormDataContentType(), body.Bytes(), hdr, nil); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return nil
}

// do makes one request and decodes a JSON answer into out (if not nil);
// a non-2xx answer is an error with the status line, which carries
// PyPI's message.
func (p *Publisher) do(ctx context.Context, method, url, contentType string, body []byte, hdr http.Header, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	c := p.HTTPClient
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(data)))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}
