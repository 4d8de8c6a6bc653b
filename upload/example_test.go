package upload_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/pypitest"
	"github.com/trustpub/pypi/upload"
)

// exampleT is the little of a testing.TB that pypitest.NewServer needs;
// in a test, pass the test's *testing.T.
type exampleT struct {
	testing.TB
	cleanups []func()
}

func (*exampleT) Helper()            {}
func (e *exampleT) Cleanup(f func()) { e.cleanups = append(e.cleanups, f) }
func (e *exampleT) finish() {
	for i := len(e.cleanups) - 1; i >= 0; i-- {
		e.cleanups[i]()
	}
}

// writeWheel writes a small wheel to dir and returns its path.
func writeWheel(dir string) string {
	name, content := pypitest.NewWheel("sampleproject", "1.0")
	path := filepath.Join(dir, name)
	os.WriteFile(path, content, 0o644)
	return path
}

// Upload a wheel to a fake PyPI with an API token, then upload it again:
// the second time the index already has the same file.
func ExampleClient_Upload() {
	t := &exampleT{}
	defer t.finish()
	srv := pypitest.NewServer(t)
	srv.AddAPIToken("alice", "pypi-example-token")
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)

	d, err := dist.Open(writeWheel(dir))
	if err != nil {
		fmt.Println(err)
		return
	}
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
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	d, err := dist.Open(writeWheel(dir))
	if err != nil {
		fmt.Println(err)
		return
	}
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
