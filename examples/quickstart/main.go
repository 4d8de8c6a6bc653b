// Command quickstart publishes a Python project by Trusted Publishing from
// start to finish, in one process, with no network and no setup:
//
//	go run ./examples/quickstart
//
// It starts a fake GitHub Actions identity provider and a fake PyPI
// (package pypitest) on the loopback interface, registers a trusted
// publisher, makes this process look like the publishing job of a GitHub
// Actions workflow, builds a wheel and an sdist, publishes them with
// pypi.Publish and shows what the index lists afterwards. In a real
// workflow only the pypi.Publish call remains: the job's environment, PyPI
// and the files are real.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/examples/quickstart/sampledist"
	"github.com/trustpub/pypi/pypitest"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	fmt.Fprintln(w, "1. Start a fake GitHub Actions identity provider and a fake PyPI.")
	iss := pypitest.NewIssuer()
	defer iss.Close()
	srv := pypitest.NewServer(pypitest.WithIssuer(iss))
	defer srv.Close()
	project := sampledist.Project{Name: "sampleproject", Version: "1.0.0"}
	pub := iss.Run().Publisher(project.Name)
	srv.AddPublisher(pub)
	fmt.Fprintf(w, "   PyPI trusts the workflow %s of github.com/%s/%s to publish %q.\n\n",
		pub.WorkflowFilename, pub.RepositoryOwner, pub.Repository, pub.Project)

	fmt.Fprintln(w, "2. Be the workflow's job: the runner hands it an identity token endpoint.")
	fmt.Fprintf(w, "   GITHUB_ACTIONS=true, GITHUB_REPOSITORY=%s, ACTIONS_ID_TOKEN_REQUEST_URL set\n\n", iss.Getenv("GITHUB_REPOSITORY"))

	fmt.Fprintln(w, "3. Build a wheel and an sdist.")
	dir, err := os.MkdirTemp("", "quickstart-dist")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	paths, err := project.Build(dir)
	if err != nil {
		return err
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   %s (%d bytes)\n", filepath.Base(p), fi.Size())
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "4. Publish them with pypi.Publish.")
	var mu sync.Mutex // uploads end, and are described, in several goroutines
	results, err := pypi.Publish(ctx, pypi.Options{
		Files:      []string{dir},
		Repository: srv.UploadURL(), // PyPI itself is the default
		Getenv:     iss.Getenv,      // the job's environment; os.Getenv is the default
		Checks:     pypi.ChecksPyPI, // judge the files as PyPI would
		Events:     func(e pypi.Event) { mu.Lock(); describe(w, e); mu.Unlock() },
	})
	if err != nil {
		return err
	}
	for _, m := range srv.Minted() {
		fmt.Fprintf(w, "   PyPI minted one upload token for %v, valid until %s.\n", m.Projects, m.Expires.Format(time.TimeOnly))
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "5. Ask the index what it lists.")
	listing := results[0].URL
	files, err := simpleFiles(ctx, srv.Client(), listing)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   %s\n", listing)
	for _, f := range files {
		fmt.Fprintf(w, "   %s  sha256=%s\n", f.Filename, f.Hashes["sha256"])
	}
	fmt.Fprintf(w, "\n%s %s published: %d files, checked before upload, uploaded without a stored secret.\n",
		project.Name, project.Version, len(results))
	return nil
}

// describe prints one step of pypi.Publish.
func describe(w io.Writer, e pypi.Event) {
	switch e.Kind {
	case pypi.EventKindChecked:
		verdict := "passes PyPI's checks"
		if e.Result.Err != nil {
			verdict = "fails: " + e.Result.Err.Error()
		}
		fmt.Fprintf(w, "   checked %s: %s (sha256 %.12s…)\n", e.File, verdict, e.Result.Digests.SHA256)
	case pypi.EventKindWarning:
		fmt.Fprintf(w, "   warning: %s\n", e.Title)
	case pypi.EventKindAuthenticated:
		fmt.Fprintf(w, "   authenticated by %s: identity token from the CI, exchanged at PyPI\n", e.Message)
	case pypi.EventKindDone:
		fmt.Fprintf(w, "   %s: %s\n", e.File, e.Result.Outcome)
	}
}

// simpleFile is a file of a PEP 691 project page.
type simpleFile struct {
	Filename string            `json:"filename"`
	Hashes   map[string]string `json:"hashes"`
}

// simpleFiles reads the files of a project page of the simple API.
func simpleFiles(ctx context.Context, c *http.Client, url string) ([]simpleFile, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/vnd.pypi.simple.v1+json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	var page struct {
		Files []simpleFile `json:"files"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	return page.Files, nil
}
