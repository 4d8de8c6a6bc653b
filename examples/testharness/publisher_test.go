package testharness_test

import (
	"context"
	"strings"
	"testing"

	"github.com/trustpub/pypi/examples/quickstart/sampledist"
	"github.com/trustpub/pypi/examples/testharness"
	"github.com/trustpub/pypi/pypitest"
)

// setup starts a fake PyPI trusting a fake GitHub Actions issuer whose job
// is run, registers a publisher for "sampleproject" for the default job,
// and returns a Publisher living in run's job, with the files to publish.
func setup(t *testing.T, run pypitest.GitHubRun) (*pypitest.Server, *testharness.Publisher, testharness.Release) {
	t.Helper()
	iss := pypitest.NewIssuer(pypitest.WithRun(run))
	t.Cleanup(iss.Close)
	srv := pypitest.NewServer(pypitest.WithIssuer(iss))
	t.Cleanup(srv.Close)
	srv.AddPublisher(pypitest.GitHubRun{}.Publisher("sampleproject"))
	p := &testharness.Publisher{UploadURL: srv.UploadURL(), HTTPClient: srv.Client(), Getenv: iss.Getenv}
	project := sampledist.Project{Name: "sampleproject", Version: "1.0.0"}
	files, err := project.Build(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return srv, p, testharness.Release{Name: project.Name, Version: project.Version, Files: files}
}

func TestPublish(t *testing.T) {
	t.Parallel()
	srv, p, r := setup(t, pypitest.GitHubRun{})
	if err := p.Publish(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	files := srv.Files()
	if len(files) != 2 {
		t.Fatalf("the index has %d files, want 2", len(files))
	}
	for _, f := range files {
		if f.Uploader.Publisher == nil || f.Uploader.Publisher.WorkflowFilename != "release.yml" {
			t.Errorf("%s was not uploaded by the trusted publisher: %+v", f.Filename, f.Uploader)
		}
	}
}

// A job of another repository has no publisher: PyPI says why.
func TestPublishWrongRepository(t *testing.T) {
	t.Parallel()
	srv, p, r := setup(t, pypitest.GitHubRun{Repository: "fork-of-sampleproject"})
	err := p.Publish(context.Background(), r)
	if err == nil || !strings.Contains(err.Error(), "invalid-publisher") {
		t.Fatalf("err = %v, want PyPI's invalid-publisher", err)
	}
	if len(srv.Uploads()) != 0 {
		t.Error("files were sent without a token")
	}
}

// The fake index can fail on purpose: this publisher does not retry, and
// the test shows it.
func TestPublishDuringOutage(t *testing.T) {
	t.Parallel()
	srv, p, r := setup(t, pypitest.GitHubRun{})
	srv.FailUploads(1, pypitest.HTMLReply(503))
	err := p.Publish(context.Background(), r)
	if err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("err = %v, want the 503", err)
	}
	if len(srv.Files()) != 0 {
		t.Error("a file was stored during the outage")
	}
}

// PyPI checks uploads: a version that differs from the file's metadata
// is refused in Warehouse's words.
func TestPublishWrongVersion(t *testing.T) {
	t.Parallel()
	srv, p, r := setup(t, pypitest.GitHubRun{})
	r.Version = "9.9"
	err := p.Publish(context.Background(), r)
	if err == nil || !strings.Contains(err.Error(), "400 Version in filename should be '9.9' not '1.0.0'.") {
		t.Fatalf("err = %v, want Warehouse's 400 refusal", err)
	}
	if len(srv.Files()) != 0 {
		t.Error("a mismatched file was stored")
	}
}
