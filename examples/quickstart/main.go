// Command quickstart publishes a Python project by Trusted Publishing from
// start to finish, in one process, with no network and no setup:
//
//	go run ./examples/quickstart
//
// It starts a fake GitHub Actions identity provider, a fake Sigstore and
// a fake PyPI (package pypitest) on the loopback interface, registers a
// trusted publisher, makes this process look like the publishing job of a
// GitHub Actions workflow, builds a wheel and an sdist, publishes them
// with pypi.Publish, which signs a PEP 740 attestation for each, and
// shows what the index lists afterwards, with the provenance it verified.
// In a real workflow only the pypi.Publish call remains, without Signer:
// the job's environment, Sigstore, PyPI and the files are real.
package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/attest"
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
	fmt.Fprintln(w, "1. Start a fake GitHub Actions identity provider, a fake Sigstore and a fake PyPI.")
	iss := pypitest.NewIssuer()
	defer iss.Close()
	sig := pypitest.NewSigstore(pypitest.WithIssuer(iss))
	defer sig.Close()
	srv := pypitest.NewServer(pypitest.WithIssuer(iss), pypitest.WithSigstore(sig))
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
		// Sigstore's public-good instance is the default.
		Signer: &attest.Signer{FulcioURL: sig.FulcioURL(), RekorURL: sig.RekorURL()},
		Events: func(e pypi.Event) { mu.Lock(); describe(w, e); mu.Unlock() },
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
	fmt.Fprintln(w)

	fmt.Fprintln(w, "6. Fetch each file's provenance, which the index verified, and verify it offline too.")
	root, err := attest.ParseTrustedRoot(sig.TrustedRoot())
	if err != nil {
		return err
	}
	policy := attest.GitHubPublisher{Repository: pub.RepositoryOwner + "/" + pub.Repository, Workflow: pub.WorkflowFilename, Issuer: iss.URL}
	for _, f := range files {
		if err := showProvenance(ctx, w, srv.Client(), f, root, policy); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\n%s %s published: %d files, checked before upload, attested, uploaded without a stored secret.\n",
		project.Name, project.Version, len(results))
	return nil
}

// showProvenance fetches a file's provenance from the integrity API,
// verifies its attestations against the fake Sigstore's root, the
// publisher and the file's digest, and says what it found.
func showProvenance(ctx context.Context, w io.Writer, c *http.Client, f simpleFile, root *attest.TrustedRoot, policy attest.GitHubPublisher) error {
	var prov struct {
		Bundles []struct {
			Publisher struct {
				Kind       string `json:"kind"`
				Repository string `json:"repository"`
				Workflow   string `json:"workflow"`
			} `json:"publisher"`
			Attestations []json.RawMessage `json:"attestations"`
		} `json:"attestation_bundles"`
	}
	if f.Provenance == nil {
		return fmt.Errorf("%s has no provenance", f.Filename)
	}
	if err := getJSON(ctx, c, *f.Provenance, "application/json", &prov); err != nil {
		return err
	}
	sum, err := hex.DecodeString(f.Hashes["sha256"])
	if err != nil || len(sum) != 32 {
		return fmt.Errorf("%s: bad sha256 in the listing", f.Filename)
	}
	for _, b := range prov.Bundles {
		for _, raw := range b.Attestations {
			a, err := attest.Parse(raw)
			if err != nil {
				return err
			}
			kind, err := a.Verify(root, policy, attest.Subject{Filename: f.Filename, SHA256: [32]byte(sum)})
			if err != nil {
				return fmt.Errorf("%s: %w", f.Filename, err)
			}
			fmt.Fprintf(w, "   %s: %s attestation by %s %s (%s), Rekor log index %d, verified offline\n", f.Filename, kind,
				b.Publisher.Kind, b.Publisher.Repository, b.Publisher.Workflow, a.VerificationMaterial.TransparencyEntries[0].LogIndex)
		}
	}
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
	case pypi.EventKindAttested:
		a := e.Result.Attestations[len(e.Result.Attestations)-1]
		fmt.Fprintf(w, "   attested %s: Sigstore certificate for the job's identity, Rekor log index %d, written to %s\n",
			e.File, a.LogIndex, filepath.Base(a.Path))
	case pypi.EventKindDone:
		fmt.Fprintf(w, "   %s: %s\n", e.File, e.Result.Outcome)
	}
}

// simpleFile is a file of a PEP 691 project page.
type simpleFile struct {
	Filename   string            `json:"filename"`
	Hashes     map[string]string `json:"hashes"`
	Provenance *string           `json:"provenance"` // the integrity API's URL (PEP 740)
}

// simpleFiles reads the files of a project page of the simple API.
func simpleFiles(ctx context.Context, c *http.Client, url string) ([]simpleFile, error) {
	var page struct {
		Files []simpleFile `json:"files"`
	}
	err := getJSON(ctx, c, url, "application/vnd.pypi.simple.v1+json", &page)
	return page.Files, err
}

// getJSON reads the JSON document at url into v, giving up after a
// minute: every network wait has a bound, even on loopback.
func getJSON(ctx context.Context, c *http.Client, url, accept string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", accept)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v); err != nil {
		return fmt.Errorf("%s: %w", url, err)
	}
	return nil
}
