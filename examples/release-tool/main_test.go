package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/trustpub/pypi/examples/quickstart/sampledist"
	"github.com/trustpub/pypi/pypitest"
)

func TestReleaseTool(t *testing.T) {
	t.Parallel()
	iss := pypitest.NewIssuer()
	t.Cleanup(iss.Close)
	srv := pypitest.NewServer(pypitest.WithIssuer(iss))
	t.Cleanup(srv.Close)
	srv.AddPublisher(iss.Run().Publisher("sampleproject"))
	paths, err := sampledist.Project{Name: "sampleproject", Version: "1.0.0"}.Build(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	args := append([]string{"-repository-url", srv.UploadURL()}, paths...)
	if err := run(context.Background(), args, iss.Getenv, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"running in GitHub as repo:",
		"sampleproject-1.0.0-py3-none-any.whl: uploaded", "sampleproject-1.0.0.tar.gz: uploaded"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if n := len(srv.Files()); n != 2 {
		t.Errorf("the index has %d files, want 2", n)
	}

	// Without the id-token permission the job gets the fix, and nothing is sent.
	iss2 := pypitest.NewIssuer(pypitest.WithRun(pypitest.GitHubRun{NoIDToken: true}))
	t.Cleanup(iss2.Close)
	err = run(context.Background(), args, iss2.Getenv, &out)
	if err == nil || !strings.Contains(err.Error(), "id-token: write") {
		t.Errorf("without permission: %v", err)
	}
}
