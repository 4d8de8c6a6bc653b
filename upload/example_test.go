package upload_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/pypitest"
	"github.com/trustpub/pypi/upload"
)

// openWheel writes a small wheel to a new temporary directory and opens
// it; remove removes the directory.
func openWheel() (d *dist.Distribution, remove func(), err error) {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		return nil, nil, err
	}
	remove = func() { os.RemoveAll(dir) }
	name, content := pypitest.Dist{Name: "sampleproject", Version: "1.0"}.Build()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		remove()
		return nil, nil, err
	}
	if d, err = dist.Open(path); err != nil {
		remove()
		return nil, nil, err
	}
	return d, remove, nil
}

// Upload a wheel to a fake PyPI with an API token, then upload it again:
// the second time the index already has the same file.
func ExampleClient_Upload() {
	srv := pypitest.NewServer()
	defer srv.Close()
	srv.AddAPIToken("alice", "pypi-example-token")
	d, remove, err := openWheel()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer remove()

	c := &upload.Client{
		URL:        srv.URL + "/legacy/",
		HTTPClient: srv.Client(),
		Token:      oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "pypi-example-token"}),
	}
	for range 2 {
		res, err := c.Upload(context.Background(), d, upload.Options{SkipExisting: true})
		fmt.Println(res.File, res.Outcome, err)
	}
	fmt.Println(len(srv.Files()), "file stored")
	// Output:
	// sampleproject-1.0-py3-none-any.whl uploaded <nil>
	// sampleproject-1.0-py3-none-any.whl already present <nil>
	// 1 file stored
}

// Form shows what Upload would send, e.g. for a dry run.
func ExampleForm() {
	d, remove, err := openWheel()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer remove()
	fields, err := upload.Form(d, upload.Options{Comment: "dry run"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range fields {
		if f.Name == "sha256_digest" || f.Name == "blake2_256_digest" {
			f.Value = fmt.Sprintf("<%d hex digits>", len(f.Value))
		}
		fmt.Printf("%s=%s\n", f.Name, f.Value)
	}
	// Output:
	// :action=file_upload
	// protocol_version=1
	// metadata_version=2.1
	// name=sampleproject
	// version=1.0
	// filetype=bdist_wheel
	// pyversion=py3
	// summary=A test package
	// comment=dry run
	// sha256_digest=<64 hex digits>
	// blake2_256_digest=<64 hex digits>
}

// ReadAPIURL finds where an index lists its files (the simple and JSON
// APIs) from its upload URL.
func ExampleReadAPIURL() {
	for _, u := range []string{upload.PyPIURL, upload.TestPyPIURL, "https://pkgs.example.com/team/legacy/"} {
		root, err := upload.ReadAPIURL(u)
		fmt.Println(root, err)
	}
	// Output:
	// https://pypi.org/ <nil>
	// https://test.pypi.org/ <nil>
	// https://pkgs.example.com/team/ <nil>
}
