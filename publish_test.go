package pypi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/mint"
	"github.com/trustpub/pypi/oidc"
	"github.com/trustpub/pypi/pypitest"
	"github.com/trustpub/pypi/upload"
)

func TestPublishTrustedPublishing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	paths := f.build(t, "1.0.0")
	var (
		mu     sync.Mutex
		masked []string
		kinds  = map[pypi.EventKind]int{}
	)
	opts := f.options()
	opts.Masker = func(s string) { mu.Lock(); masked = append(masked, s); mu.Unlock() }
	opts.Events = func(e pypi.Event) { mu.Lock(); kinds[e.Kind]++; mu.Unlock() }
	results, err := pypi.Publish(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 {
		t.Fatalf("got %d results, want 2", len(results))
	}
	for i, r := range results {
		if r.Outcome != upload.OutcomeUploaded || r.Err != nil {
			t.Errorf("%s: outcome %v, err %v", r.File, r.Outcome, r.Err)
		}
		if r.Path != paths[i] || r.Name != "sampleproject" || r.Version != "1.0.0" {
			t.Errorf("result %d = %s %s %s", i, r.Path, r.Name, r.Version)
		}
		stored, ok := f.srv.File(r.File)
		if !ok {
			t.Errorf("%s is not on the index", r.File)
			continue
		}
		if stored.SHA256 != r.Digests.SHA256 || stored.BLAKE2b256 != r.Digests.BLAKE2b256 || stored.Size != r.Size {
			t.Errorf("%s: index has sha256 %s size %d, result says %s %d", r.File, stored.SHA256, stored.Size, r.Digests.SHA256, r.Size)
		}
		if stored.Uploader.Publisher == nil {
			t.Errorf("%s was not uploaded by trusted publishing: %+v", r.File, stored.Uploader)
		}
		if want := f.srv.URL + "/simple/sampleproject/"; r.URL != want {
			t.Errorf("%s: URL %q, want %q", r.File, r.URL, want)
		}
	}
	minted := f.srv.Minted()
	if len(minted) != 1 {
		t.Fatalf("minted %d tokens, want 1 (reused for both files)", len(minted))
	}
	if !slices.Contains(masked, minted[0].Token) {
		t.Error("the minted token was not given to the Masker")
	}
	if kinds[pypi.EventKindSending] == 0 {
		t.Error("no EventKindSending")
	}
	delete(kinds, pypi.EventKindSending) // as many as the transport reads
	want := map[pypi.EventKind]int{pypi.EventKindChecked: 2, pypi.EventKindAuthenticated: 1, pypi.EventKindDone: 2}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// Each file is reported done as its upload ends, not when all have: a
// release's sdist waits for its wheel, so the wheels are done before any
// sdist is sent.
func TestPublishReportsEachFileAsItEnds(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	f.build(t, "1.0.0")
	f.build(t, "1.0.1")
	type done struct {
		file    string
		outcome upload.Outcome
		url     string
		uploads int // uploads the index had received by then
	}
	var (
		mu    sync.Mutex
		dones []done
	)
	opts := f.options()
	opts.Events = func(e pypi.Event) {
		if e.Kind == pypi.EventKindDone {
			n := len(f.srv.Uploads())
			mu.Lock()
			dones = append(dones, done{e.File, e.Result.Outcome, e.Result.URL, n})
			mu.Unlock()
		}
	}
	results, err := pypi.Publish(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(dones) != len(results) || len(results) != 4 {
		t.Fatalf("%d files done of %d: %+v", len(dones), len(results), dones)
	}
	// The wheels of 1.0.0 and 1.0.1 go together; each release's sdist
	// waits for its own wheel.
	if d := dones[0]; !strings.HasSuffix(d.file, ".whl") || d.uploads > 2 {
		t.Errorf("done 0: %s after %d uploads; want a wheel before any sdist was sent", d.file, d.uploads)
	}
	doneAt := func(file string) int {
		return slices.IndexFunc(dones, func(d done) bool { return d.file == file })
	}
	for _, v := range []string{"1.0.0", "1.0.1"} {
		if doneAt("sampleproject-"+v+".tar.gz") < doneAt("sampleproject-"+v+"-py3-none-any.whl") {
			t.Errorf("%s: sdist done before its wheel: %+v", v, dones)
		}
	}
	for _, d := range dones {
		if d.outcome != upload.OutcomeUploaded || !strings.HasSuffix(d.url, "/simple/sampleproject/") {
			t.Errorf("%s done as %v at %q; want uploaded, with its URL", d.file, d.outcome, d.url)
		}
	}
}

// One bad file stops the batch before any network call, and every
// problem of every file is reported.
func TestPublishChecksBeforeNetwork(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	paths := f.build(t, "1.0.0")
	whl, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	// The file name's version differs from the metadata's; the name is
	// not canonical in the other.
	writeFile(t, f.dir, "sampleproject-1.0.1-py3-none-any.whl", whl)
	writeFile(t, f.dir, "SampleProject-1.0.0-py3-none-any.whl", whl)

	results, err := pypi.Publish(context.Background(), f.options())
	if !errors.Is(err, pypi.ErrChecksFailed) {
		t.Fatalf("err = %v, want ErrChecksFailed", err)
	}
	var fe *pypi.FilesError
	if !errors.As(err, &fe) || len(fe.Errs) != 2 {
		t.Fatalf("err = %#v, want a FilesError with 2 files", err)
	}
	if strings.Contains(err.Error(), "\n") || errors.Is(err, pypi.ErrUploadFailed) {
		t.Errorf("err = %q: want one line, ErrChecksFailed only", err)
	}
	bad := map[string]bool{}
	for _, r := range results {
		if r.Err != nil {
			bad[r.File] = true
			if len(r.Problems) == 0 || !strings.Contains(err.Error(), r.File) {
				t.Errorf("%s failed without problems or is missing from the error: %v", r.File, r.Problems)
			}
			var ve *dist.ValidationError
			if !errors.As(r.Err, &ve) {
				t.Errorf("%s: err %T, want *dist.ValidationError", r.File, r.Err)
			}
		} else if r.Outcome != upload.OutcomeNotSent {
			t.Errorf("%s: outcome %v, want not sent", r.File, r.Outcome)
		}
	}
	if !bad["sampleproject-1.0.1-py3-none-any.whl"] || !bad["SampleProject-1.0.0-py3-none-any.whl"] || len(bad) != 2 {
		t.Errorf("failed files: %v", bad)
	}
	if n := len(f.srv.Uploads()); n != 0 {
		t.Errorf("%d uploads reached the index", n)
	}
	if n := f.iss.Issued(); n != 0 || len(f.srv.Minted()) != 0 {
		t.Errorf("credentials were fetched: %d identity tokens, %d minted", n, len(f.srv.Minted()))
	}
}

func TestPublishToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	f.build(t, "1.0.0")
	const token = "pypi-AgEIcHlwaS5vcmcCJDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA"
	f.srv.AddAPIToken("alice", token, "sampleproject")
	for _, opts := range []pypi.Options{
		{Token: token},
		{Username: "__token__", Password: token},
	} {
		o := f.options()
		o.Token, o.Username, o.Password = opts.Token, opts.Username, opts.Password
		o.SkipExisting = true
		results, err := pypi.Publish(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range results {
			stored, ok := f.srv.File(r.File)
			if !ok || stored.Uploader.User != "alice" {
				t.Errorf("%s: stored %v by %+v", r.File, ok, stored.Uploader)
			}
		}
	}
	if n := len(f.srv.Minted()); n != 0 {
		t.Errorf("trusted publishing was used besides the token: %d minted", n)
	}
}

func TestPublishSkipExisting(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	f.build(t, "1.0.0")
	if _, err := pypi.Publish(context.Background(), f.options()); err != nil {
		t.Fatal(err)
	}
	uploads := len(f.srv.Uploads())
	opts := f.options()
	opts.SkipExisting = true
	results, err := pypi.Publish(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Outcome != upload.OutcomeAlreadyPresent || r.Attempts != 0 {
			t.Errorf("%s: %v after %d attempts, want already present without an upload", r.File, r.Outcome, r.Attempts)
		}
	}
	if n := len(f.srv.Uploads()); n != uploads {
		t.Errorf("%d more uploads reached the index", n-uploads)
	}
}

func TestPublishDryRun(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	f.build(t, "1.0.0")
	opts := f.options()
	opts.DryRun = true
	results, err := pypi.Publish(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		fields := map[string]string{}
		for _, fl := range r.Form {
			fields[fl.Name] = fl.Value
		}
		if r.Outcome != upload.OutcomeNotSent || fields["name"] != "sampleproject" || fields["sha256_digest"] != r.Digests.SHA256 {
			t.Errorf("%s: %v, form %v", r.File, r.Outcome, fields)
		}
	}
	if len(f.srv.Uploads()) != 0 || f.iss.Issued() != 0 {
		t.Error("a dry run fetched credentials or uploaded")
	}
}

// Failures of trusted publishing say what failed, in one line, and carry
// no token.
func TestPublishTrustedPublishingFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		run  pypitest.GitHubRun
		want error
		text string
	}{
		{"no permission", pypitest.GitHubRun{NoIDToken: true}, oidc.ErrMissingIDTokenPermission, "missing or insufficient OIDC token permissions"},
		{"fork", pypitest.GitHubRun{Fork: true, EventName: "pull_request"}, oidc.ErrForkPR, "missing or insufficient OIDC token permissions"},
		{"no publisher", pypitest.GitHubRun{}, mint.ErrMintRejected, "invalid-publisher"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tt.run)
			f.build(t, "1.0.0")
			if tt.want == mint.ErrMintRejected {
				f.iss.SetRun(pypitest.GitHubRun{Repository: "unregistered"})
			}
			var logs bytes.Buffer
			opts := f.options()
			opts.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			_, err := pypi.Publish(context.Background(), opts)
			var tpe *pypi.TrustedPublishingError
			if !errors.As(err, &tpe) || !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want a TrustedPublishingError of %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error does not say %q in one line:\n%v", tt.text, err)
			}
			for _, secret := range []string{f.env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"], jtiFree(f)} {
				if secret != "" && (strings.Contains(err.Error(), secret) || strings.Contains(logs.String(), secret)) {
					t.Errorf("a secret leaked into the error or the log")
				}
			}
			if len(f.srv.Uploads()) != 0 {
				t.Error("files were sent without credentials")
			}
		})
	}
}

// jtiFree returns the identity token the issuer would sign now; its
// signature part is what a leak would show.
func jtiFree(f *fixture) string {
	tok := f.iss.Token("pypi")
	return tok[strings.LastIndex(tok, ".")+1:]
}

func TestPublishReusableWorkflowWarning(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{JobWorkflowRef: "octo-org/shared/.github/workflows/publish.yml@refs/heads/main"})
	f.build(t, "1.0.0")
	var warnings []pypi.Event
	var mu sync.Mutex
	opts := f.options()
	opts.Events = func(e pypi.Event) {
		if e.Kind == pypi.EventKindWarning {
			mu.Lock()
			warnings = append(warnings, e)
			mu.Unlock()
		}
	}
	// The publisher names the reusable workflow, so minting fails; the
	// warning comes first all the same.
	pypi.Publish(context.Background(), opts)
	if len(warnings) != 1 || warnings[0].Warning != pypi.WarningReusableWorkflow || !strings.Contains(warnings[0].Message, "reusable workflow") {
		t.Fatalf("warnings: %+v", warnings)
	}
	if called, _, ok := warnings[0].Claims.ReusableWorkflow(); !ok || called != "octo-org/shared/.github/workflows/publish.yml@refs/heads/main" {
		t.Errorf("the warning's claims show the reusable workflow %q, %v", called, ok)
	}
}

func TestPublishCredentialRules(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := &fixture{dir: dir}
	f.build(t, "1.0.0")
	tests := []struct {
		name string
		opts pypi.Options
		want string
		is   error
	}{
		{"password to PyPI", pypi.Options{Username: "alice", Password: "hunter2"}, "", pypi.ErrPasswordRefused},
		{"never, no credentials, PyPI", pypi.Options{TrustedPublishing: pypi.TrustedPublishingNever}, "", pypi.ErrNoCredentials},
		{"not in CI, PyPI", pypi.Options{Getenv: func(string) string { return "" }}, "", pypi.ErrNoCredentials},
		{"always with a token", pypi.Options{TrustedPublishing: pypi.TrustedPublishingAlways, Token: "pypi-x"}, "not allowed", nil},
		{"unknown repository", pypi.Options{Repository: "pipy"}, `repository "pipy"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := tt.opts
			opts.Files = []string{dir}
			// Nothing may reach the network: any request fails the test.
			opts.HTTPClient = noNetwork(t)
			_, err := pypi.Publish(context.Background(), opts)
			if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %v / %q", err, tt.is, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Error("the password is in the error")
			}
		})
	}
}

func TestFindFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, n := range []string{"a-1.0-py3-none-any.whl", "a-1.0.tar.gz", "a-1.0.tar.gz.asc",
		"a-1.0.tar.gz.publish.attestation", "notes.txt", "b-1.0.zip"} {
		writeFile(t, dir, n, nil)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.whl"), 0o755); err != nil {
		t.Fatal(err)
	}
	j := func(n string) string { return filepath.Join(dir, n) }
	tests := []struct {
		in   []string
		want []string
		err  error
	}{
		{[]string{dir}, []string{j("a-1.0-py3-none-any.whl"), j("a-1.0.tar.gz"), j("b-1.0.zip")}, nil},
		{[]string{j("*.tar.gz*")}, []string{j("a-1.0.tar.gz")}, nil},
		{[]string{j("a-1.0.tar.gz"), dir, j("a-1.0.tar.gz.asc")}, []string{j("a-1.0.tar.gz"), j("a-1.0-py3-none-any.whl"), j("b-1.0.zip")}, nil},
		{[]string{j("*.asc")}, nil, pypi.ErrNoDistributions},
		{[]string{filepath.Join(dir, "sub.whl")}, nil, pypi.ErrNoDistributions},
	}
	for _, tt := range tests {
		got, err := pypi.FindFiles(tt.in...)
		if !errors.Is(err, tt.err) || !slices.Equal(got, tt.want) {
			t.Errorf("FindFiles(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
	if _, err := pypi.FindFiles(j("*.egg")); err == nil || !strings.Contains(err.Error(), "cannot find file (or expand pattern)") {
		t.Errorf("a pattern matching nothing: %v", err)
	}
}

// A token the index refuses shows in no error and no log line.
func TestPublishRefusedTokenNotShown(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	f.build(t, "1.0.0")
	const token = "pypi-AgEIcHlwaS5vcmcCJHVua25vd24tdG9rZW4tZm9yLXRlc3Rz"
	var logs bytes.Buffer
	opts := f.options()
	opts.Token = token
	opts.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	results, err := pypi.Publish(context.Background(), opts)
	if !errors.Is(err, pypi.ErrUploadFailed) {
		t.Fatalf("err = %v, want ErrUploadFailed", err)
	}
	for _, r := range results {
		if r.Outcome != upload.OutcomeFailed || r.Err == nil {
			t.Errorf("%s: %v", r.File, r.Outcome)
		}
	}
	for _, text := range []string{err.Error(), fmt.Sprintf("%+v %#v", err, results), logs.String()} {
		if strings.Contains(text, token) || strings.Contains(text, base64.StdEncoding.EncodeToString([]byte("__token__:"+token))) {
			t.Errorf("the token leaked: %s", text)
		}
	}
}

// With the checks off, a file PyPI refuses reaches the index, which
// refuses it in Warehouse's words.
func TestPublishChecksNone(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	paths := f.build(t, "1.0.0")
	if err := os.Remove(paths[1]); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(paths[0], filepath.Join(f.dir, "sampleproject-1.0.1-py3-none-any.whl")); err != nil {
		t.Fatal(err)
	}
	opts := f.options()
	opts.Checks = pypi.ChecksNone
	results, err := pypi.Publish(context.Background(), opts)
	if !errors.Is(err, pypi.ErrUploadFailed) || len(results) != 1 {
		t.Fatalf("err = %v, want ErrUploadFailed", err)
	}
	if len(results[0].Problems) != 0 || !strings.Contains(results[0].Err.Error(), "Version in filename should be '1.0.0' not '1.0.1'.") {
		t.Errorf("problems %v, err %v", results[0].Problems, results[0].Err)
	}
	if n := len(f.srv.Uploads()); n != 1 {
		t.Errorf("%d uploads, want 1", n)
	}
}
