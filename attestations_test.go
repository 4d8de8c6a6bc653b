package pypi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/oidc"
	"github.com/trustpub/pypi/pypitest"
	"github.com/trustpub/pypi/upload"
)

// provenance fetches a file's provenance from the fake PyPI's integrity
// API and returns the attestations it holds and their publisher.
func provenance(t *testing.T, f *fixture, project, version, file string) (atts []*attest.Attestation, repo, workflow string) {
	t.Helper()
	resp, err := f.srv.Client().Get(f.srv.URL + "/integrity/" + project + "/" + version + "/" + file + "/provenance")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("provenance of %s: %d %s", file, resp.StatusCode, body)
	}
	var p struct {
		Bundles []struct {
			Publisher struct {
				Kind, Repository, Workflow string
			}
			Attestations []json.RawMessage
		} `json:"attestation_bundles"`
	}
	if err := json.Unmarshal(body, &p); err != nil || len(p.Bundles) != 1 {
		t.Fatalf("provenance of %s: %v: %s", file, err, body)
	}
	for _, raw := range p.Bundles[0].Attestations {
		a, err := attest.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		atts = append(atts, a)
	}
	return atts, p.Bundles[0].Publisher.Repository, p.Bundles[0].Publisher.Workflow
}

// oidcSource is a source of the fixture's job's "sigstore" identity tokens.
func oidcSource(t *testing.T, f *fixture) (oauth2.TokenSource, error) {
	return (&oidc.Config{Getenv: f.iss.Getenv, HTTPClient: f.iss.Client()}).TokenSource(t.Context(), attest.IdentityAudience)
}

// events records the kinds of events of a run, in order.
type events struct {
	mu    sync.Mutex
	kinds []pypi.EventKind
	warn  []pypi.Event
}

func (e *events) record(ev pypi.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.kinds = append(e.kinds, ev.Kind)
	if ev.Kind == pypi.EventKindWarning {
		e.warn = append(e.warn, ev)
	}
}

// index returns the position of the first event of kind, or -1.
func (e *events) index(kind pypi.EventKind) int {
	for i, k := range e.kinds {
		if k == kind {
			return i
		}
	}
	return -1
}

// checkAttested checks that every result has one publish attestation,
// written beside its file, that the fake PyPI accepted and serves as the
// file's provenance, and that verifies offline for the run's publisher.
func checkAttested(t *testing.T, f *fixture, results []pypi.Result) {
	t.Helper()
	run := f.iss.Run()
	policy := attest.GitHubPublisher{Repository: run.Owner + "/" + run.Repository, Workflow: run.Workflow, Issuer: f.iss.URL}
	for _, r := range results {
		if len(r.Attestations) != 1 {
			t.Fatalf("%s: %d attestations generated, want 1", r.File, len(r.Attestations))
		}
		a := r.Attestations[0]
		if a.PredicateType != attest.PublishV1 || a.Path != r.Path+".publish.attestation" || a.LogIndex < 0 {
			t.Errorf("%s: attestation %+v", r.File, a)
		}
		written, err := os.ReadFile(a.Path)
		if err != nil {
			t.Fatal(err)
		}
		onDisk, err := attest.Parse(written)
		if err != nil {
			t.Fatal(err)
		}
		content, err := os.ReadFile(r.Path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := onDisk.Verify(f.root, policy, attest.Subject{Filename: r.File, SHA256: sha256.Sum256(content)}); err != nil {
			t.Errorf("%s: the attestation written does not verify: %v", r.File, err)
		}
		served, repo, workflow := provenance(t, f, "sampleproject", r.Version, r.File)
		if len(served) != 1 || !bytes.Equal(served[0].Envelope.Signature, onDisk.Envelope.Signature) {
			t.Errorf("%s: the index serves other attestations than the one written", r.File)
		}
		if repo != policy.Repository || workflow != policy.Workflow {
			t.Errorf("%s: provenance publisher %s %s", r.File, repo, workflow)
		}
		if got := int64(served[0].VerificationMaterial.TransparencyEntries[0].LogIndex); got != a.LogIndex {
			t.Errorf("%s: log index %d served, %d reported", r.File, got, a.LogIndex)
		}
	}
}

// Under a faked GitHub Actions job, Publish signs each file with the
// job's "sigstore" identity, once for the batch, before the first upload,
// and the fake PyPI verifies, accepts and serves the attestations.
func TestPublishGeneratesAttestations(t *testing.T) {
	t.Parallel()
	f := newSigstoreFixture(t, pypitest.GitHubRun{})
	f.build(t, "1.0.0")
	var ev events
	opts := f.options()
	opts.Events = ev.record
	results, err := pypi.Publish(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	checkAttested(t, f, results)
	if c0, c1 := results[0].Attestations[0].Attestation.VerificationMaterial.Certificate,
		results[1].Attestations[0].Attestation.VerificationMaterial.Certificate; !bytes.Equal(c0, c1) {
		t.Error("two certificates for one batch")
	}
	if results[0].Attestations[0].LogIndex == results[1].Attestations[0].LogIndex {
		t.Error("two attestations at one log index")
	}
	if n := f.iss.Issued(); n != 2 {
		t.Errorf("the issuer handed out %d tokens, want 2 (pypi, sigstore)", n)
	}
	auth, attested, sending := ev.index(pypi.EventKindAuthenticated), ev.index(pypi.EventKindAttested), ev.index(pypi.EventKindSending)
	if auth < 0 || attested < auth || sending < attested {
		t.Errorf("events %v: want authenticated, attested, then sending", ev.kinds)
	}
}

// Transient Fulcio and Rekor failures are retried, and a 409 from Rekor
// is resolved, without the caller noticing.
func TestPublishAttestationsTransientFaults(t *testing.T) {
	t.Parallel()
	for name, fault := range map[string]func(*pypitest.Sigstore){
		"fulcio 503 twice": func(g *pypitest.Sigstore) { g.FailFulcio(2, pypitest.HTMLReply(http.StatusServiceUnavailable)) },
		"fulcio 429": func(g *pypitest.Sigstore) {
			g.FailFulcio(1, pypitest.JSONReply(http.StatusTooManyRequests, `{"code":8,"message":"rate limited"}`))
		},
		"rekor 502": func(g *pypitest.Sigstore) { g.FailRekor(1, pypitest.HTMLReply(http.StatusBadGateway)) },
		"rekor 429": func(g *pypitest.Sigstore) {
			g.FailRekor(2, pypitest.JSONReply(http.StatusTooManyRequests, `{"message":"slow down"}`))
		},
		"rekor 409":  func(g *pypitest.Sigstore) { g.ConflictEntries(2) },
		"fulcio 500": func(g *pypitest.Sigstore) { g.FailFulcio(1, pypitest.JSONReply(http.StatusInternalServerError, `{}`)) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newSigstoreFixture(t, pypitest.GitHubRun{})
			f.build(t, "1.0.0")
			fault(f.sig)
			results, err := pypi.Publish(context.Background(), f.options())
			if err != nil {
				t.Fatal(err)
			}
			checkAttested(t, f, results)
		})
	}
}

// A refused proof of possession, or a certificate without SCT, fails the
// run before any upload, naming the step, and leaves no attestation file.
func TestPublishAttestationsFatalFaults(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		fault func(*pypitest.Sigstore)
		want  string
	}{
		{"refused proof", func(g *pypitest.Sigstore) { g.RefuseProofs(1) },
			"fulcio: 400 Bad Request: The signature supplied in the request could not be verified"},
		{"no SCT", func(g *pypitest.Sigstore) { g.OmitSCTs(1) },
			"fulcio: failed to verify SCT on signing certificate: certificate has no embedded SCT"},
		{"rekor refuses", func(g *pypitest.Sigstore) { g.FailRekor(1, pypitest.JSONReply(400, `{"message":"bad entry"}`)) },
			"rekor: 400 Bad Request: bad entry"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newSigstoreFixture(t, pypitest.GitHubRun{})
			f.build(t, "1.0.0")
			c.fault(f.sig)
			_, err := pypi.Publish(context.Background(), f.options())
			var ae *pypi.AttestationError
			if !errors.As(err, &ae) || !errors.Is(err, attest.ErrSigning) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want an *AttestationError containing %q", err, c.want)
			}
			if n := len(f.srv.Uploads()); n != 0 {
				t.Errorf("%d uploads reached the index", n)
			}
			if left, _ := filepath.Glob(filepath.Join(f.dir, "*.attestation")); len(left) != 0 {
				t.Errorf("attestation files left: %q", left)
			}
		})
	}
}

// Attestations off: none is made, written or sent.
func TestPublishAttestationsOff(t *testing.T) {
	t.Parallel()
	f := newSigstoreFixture(t, pypitest.GitHubRun{})
	f.build(t, "1.0.0")
	opts := f.options()
	opts.Attestations = upload.AttestationsOff
	results, err := pypi.Publish(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	noneAttested(t, results)
	for _, file := range f.srv.Files() {
		if file.Attestations != "" {
			t.Errorf("%s was sent with attestations", file.Filename)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(f.dir, "*.attestation")); len(left) != 0 {
		t.Errorf("attestation files written: %q", left)
	}
	if n := f.iss.Issued(); n != 1 {
		t.Errorf("the issuer handed out %d tokens, want 1", n)
	}
}

// A file whose publish attestation exists keeps it: it is sent, and only
// the other file is signed.
func TestPublishKeepsExistingAttestation(t *testing.T) {
	t.Parallel()
	f := newSigstoreFixture(t, pypitest.GitHubRun{})
	paths := f.build(t, "1.0.0")
	pre := f.options().Signer
	src, err := oidcSource(t, f)
	if err != nil {
		t.Fatal(err)
	}
	pre.IDToken = src
	if _, err := pre.SignFile(context.Background(), paths[0]); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(paths[0] + ".publish.attestation")
	if err != nil {
		t.Fatal(err)
	}
	results, err := pypi.Publish(context.Background(), f.options())
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]pypi.Result{}
	for _, r := range results {
		byPath[r.Path] = r
	}
	if n := len(byPath[paths[0]].Attestations); n != 0 {
		t.Errorf("%s: %d attestations generated, want its own kept", paths[0], n)
	}
	checkAttested(t, f, []pypi.Result{byPath[paths[1]]})
	after, _ := os.ReadFile(paths[0] + ".publish.attestation")
	if !bytes.Equal(before, after) {
		t.Error("the existing attestation was rewritten")
	}
	served, _, _ := provenance(t, f, "sampleproject", "1.0.0", filepath.Base(paths[0]))
	kept, _ := attest.Parse(before)
	if len(served) != 1 || !bytes.Equal(served[0].Envelope.Signature, kept.Envelope.Signature) {
		t.Error("the index does not serve the existing attestation")
	}
}

// Attestations required without Trusted Publishing fail before anything
// is sent: PyPI takes them from Trusted Publishing only.
func TestPublishAttestationsRequireTrustedPublishing(t *testing.T) {
	t.Parallel()
	f := newSigstoreFixture(t, pypitest.GitHubRun{})
	f.build(t, "1.0.0")
	const token = "pypi-AgEIcHlwaS5vcmcCJGF0dGVzdGF0aW9ucy10b2tlbg"
	f.srv.AddAPIToken("alice", token)
	opts := f.options()
	opts.Token = token
	opts.Attestations = upload.AttestationsRequire
	_, err := pypi.Publish(context.Background(), opts)
	if !errors.Is(err, pypi.ErrAttestationsUnavailable) || !strings.Contains(err.Error(), "not by Trusted Publishing") {
		t.Fatalf("err = %v, want ErrAttestationsUnavailable", err)
	}
	if n := len(f.srv.Uploads()); n != 0 {
		t.Errorf("%d uploads", n)
	}
	// Auto sends none, silently.
	opts.Attestations = upload.AttestationsAuto
	if _, err := pypi.Publish(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	for _, file := range f.srv.Files() {
		if file.Attestations != "" {
			t.Errorf("%s was sent with attestations", file.Filename)
		}
	}
}

// A reusable workflow: PyPI finds the Trusted Publisher by the reusable
// workflow's file name but checks an attestation against the caller's,
// so none is made, with a warning; one made anyway is refused.
func TestPublishAttestationsReusableWorkflow(t *testing.T) {
	t.Parallel()
	const called = "octo-org/sampleproject/.github/workflows/publish.yml@refs/heads/main"
	f := newSigstoreFixture(t, pypitest.GitHubRun{JobWorkflowRef: called})
	pub := f.iss.Run().Publisher("sampleproject")
	pub.WorkflowFilename = "publish.yml"
	f.srv.AddPublisher(pub)
	f.build(t, "1.0.0")
	var ev events
	opts := f.options()
	opts.Events = ev.record
	results, err := pypi.Publish(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	noneAttested(t, results)
	var ignored []string
	for _, w := range ev.warn {
		if w.Warning == pypi.WarningAttestationsIgnored {
			ignored = append(ignored, w.Message)
		}
	}
	if len(ignored) != 1 || !strings.Contains(ignored[0], called) {
		t.Errorf("warnings %q", ignored)
	}
	if n := len(f.srv.Files()); n != 2 {
		t.Errorf("%d files stored, want 2", n)
	}

	// Signed anyway, the attestation is refused by the fake PyPI as by PyPI.
	f.dir = t.TempDir()
	paths := f.build(t, "2.0.0")
	signer := f.options().Signer
	if signer.IDToken, err = oidcSource(t, f); err != nil {
		t.Fatal(err)
	}
	if _, err := signer.SignFile(context.Background(), paths[0]); err != nil {
		t.Fatal(err)
	}
	opts = f.options()
	opts.Files = paths[:1]
	_, err = pypi.Publish(context.Background(), opts)
	if !errors.Is(err, pypi.ErrUploadFailed) || !strings.Contains(err.Error(), "does not match expected Trusted Publisher (publish.yml @ octo-org/sampleproject)") {
		t.Fatalf("err = %v, want the upload refused for the Build Config URI", err)
	}
}

// noneAttested fails t for each result with an attestation generated.
func noneAttested(t *testing.T, results []pypi.Result) {
	t.Helper()
	for _, r := range results {
		if len(r.Attestations) != 0 {
			t.Errorf("%s: attestations generated", r.File)
		}
	}
}
