package actiontest

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/trustpub/pypi/examples/quickstart/sampledist"
	"github.com/trustpub/pypi/pypitest"
)

// upstream are gh-action-pypi-publish's inputs (the release UPSTREAM.md
// pins): each name, the value it has when the workflow leaves it out,
// and its deprecated underscore alias (which, upstream, carries the
// default).
var upstream = []struct{ name, def, alias string }{
	{"user", "__token__", ""},
	{"password", "", ""},
	{"repository-url", "https://upload.pypi.org/legacy/", "repository_url"},
	{"packages-dir", "dist", "packages_dir"},
	{"verify-metadata", "true", "verify_metadata"},
	{"skip-existing", "false", "skip_existing"},
	{"verbose", "true", ""},
	{"print-hash", "true", "print_hash"},
	{"attestations", "true", ""},
}

var (
	pinnedRE   = regexp.MustCompile(`^[\w.-]+/[\w.-]+@[0-9a-f]{40}$`)
	cacheKeyRE = regexp.MustCompile(`^trustpub-pypi-go-Linux-X64-[0-9a-f]{64}$`)
)

func TestMetadata(t *testing.T) {
	t.Parallel()
	m := readMetadata(t)
	for _, in := range upstream {
		if _, ok := m.Inputs[in.name]; !ok {
			t.Errorf("input %s is missing", in.name)
		}
		if in.alias == "" {
			continue
		}
		a, ok := m.Inputs[in.alias]
		want := "The inputs have been normalized to use kebab-case. Use `" + in.name + "` instead."
		switch {
		case !ok:
			t.Errorf("deprecated alias %s is missing", in.alias)
		case a.DeprecationMessage != want:
			t.Errorf("%s: deprecationMessage %q, want %q", in.alias, a.DeprecationMessage, want)
		}
	}
	for i, s := range m.Runs.Steps {
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %d pastes an expression into its script:\n%s", i, s.Run)
		}
		if s.Uses != "" && !pinnedRE.MatchString(s.Uses) {
			t.Errorf("step %d: %s is not pinned by a full commit", i, s.Uses)
		}
	}
	for _, name := range []string{"files", "urls", "attestations", "log-entries"} {
		if m.Outputs[name].Value != "${{ steps.publish.outputs."+name+" }}" {
			t.Errorf("output %s is %q, want the publish step's", name, m.Outputs[name].Value)
		}
	}
}

// Every input reaches the program under a name it reads (the runner's
// INPUT_ name, or that name with underscores for hyphens), with upstream's
// default when the workflow leaves it out.
func TestDefaults(t *testing.T) {
	t.Parallel()
	m := readMetadata(t)
	ctx := map[string]any{"inputs": inputs(t, m, nil)}
	var publish step
	for _, s := range m.Runs.Steps {
		if s.ID == "publish" {
			publish = s
		}
	}
	for _, in := range upstream {
		name := inputEnvName(in.name)
		v, ok := publish.Env[name]
		if !ok {
			name = strings.ReplaceAll(name, "-", "_")
			v, ok = publish.Env[name]
		}
		if !ok {
			t.Errorf("input %s does not reach the publish step", in.name)
			continue
		}
		if got := expand(t, v, ctx); got != in.def {
			t.Errorf("%s left out gives %s=%q, want %q", in.name, name, got, in.def)
		}
	}
}

// fixture is a fake PyPI with a trusted publisher for this job's run, and
// a workspace whose dist holds sampleproject's wheel and sdist; with
// sigstore, a fake Sigstore too, which the fake PyPI verifies
// attestations against and the job's environment points the program at.
type fixture struct {
	srv *pypitest.Server
	sig *pypitest.Sigstore
	env map[string]string
	ws  string
}

func newFixture(t *testing.T, distDir string, sigstore bool) *fixture {
	t.Helper()
	iss := pypitest.NewIssuer()
	t.Cleanup(iss.Close)
	opts := []pypitest.Option{pypitest.WithIssuer(iss)}
	env := iss.Env()
	var sig *pypitest.Sigstore
	if sigstore {
		sig = pypitest.NewSigstore(pypitest.WithIssuer(iss))
		t.Cleanup(sig.Close)
		opts = append(opts, pypitest.WithSigstore(sig))
		env["PYPI_PUBLISH_FULCIO_URL"], env["PYPI_PUBLISH_REKOR_URL"] = sig.FulcioURL(), sig.RekorURL()
	}
	srv := pypitest.NewServer(opts...)
	t.Cleanup(srv.Close)
	srv.AddPublisher(iss.Run().Publisher("sampleproject"))
	ws := t.TempDir()
	if err := os.MkdirAll(filepath.Join(ws, distDir), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := (sampledist.Project{Name: "sampleproject", Version: "1.0.0"}).Build(filepath.Join(ws, distDir)); err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: srv, sig: sig, env: env, ws: ws}
}

func (f *fixture) play(t *testing.T, m *metadata, with map[string]string) ran {
	t.Helper()
	return play(t, m, job{with: with, env: f.env, workspace: f.ws})
}

func mustSucceed(t *testing.T, r ran) {
	t.Helper()
	if r.failed {
		t.Fatalf("the action failed:\n%s", r.stdout)
	}
}

func contains(t *testing.T, r ran, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("the log lacks %q:\n%s", w, r.stdout)
		}
	}
}

func TestRun(t *testing.T) {
	t.Parallel()
	m := readMetadata(t)
	// The dashed inputs: Trusted Publishing to the fake index with the
	// defaults for the rest (verbose and print-hash on); the outputs name
	// the files; Go was not set up again.
	t.Run("Inputs", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, "dist", false)
		r := f.play(t, m, map[string]string{"repository-url": f.srv.UploadURL()})
		mustSucceed(t, r)
		if n := len(f.srv.Files()); n != 2 {
			t.Errorf("the index has %d files, want 2", n)
		}
		contains(t, r, "Credentials: trusted publishing\n", "Showing hash values of files to be uploaded:\n",
			"Checking sampleproject-1.0.0-py3-none-any.whl: PASSED\n",
			"Response from "+f.srv.UploadURL()+":\n200 OK\nsampleproject-1.0.0.tar.gz: uploaded\n")
		if want := "sampleproject-1.0.0-py3-none-any.whl\nsampleproject-1.0.0.tar.gz"; r.outputs["files"] != want {
			t.Errorf("output files = %q, want %q", r.outputs["files"], want)
		}
		if want := f.srv.URL + "/simple/sampleproject/"; r.outputs["urls"] != want {
			t.Errorf("output urls = %q, want %q", r.outputs["urls"], want)
		}
		if !cacheKeyRE.MatchString(r.cacheKey) {
			t.Errorf("cache key %q, want the runner's OS and arch and the sources' SHA-256", r.cacheKey)
		}
		if len(r.skipped) != 1 || !strings.HasPrefix(r.skipped[0], "actions/setup-go@") {
			t.Errorf("skipped %q, want only actions/setup-go (Go is on PATH)", r.skipped)
		}
	})
	// Attestations by default: generated beside the files (with the
	// fake Sigstore the job's environment names), accepted by the fake
	// PyPI, and listed in the outputs; without Sigstore settings, the
	// fake index is not PyPI and the action says the input is ignored.
	t.Run("Attestations", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, "dist", true)
		r := f.play(t, m, map[string]string{"repository-url": f.srv.UploadURL()})
		mustSucceed(t, r)
		contains(t, r, "::notice::Generating and uploading digital attestations\n")
		var paths, entries []string
		for _, file := range f.srv.Files() {
			if file.Provenance == nil {
				t.Errorf("%s: no provenance at the index", file.Filename)
			}
			paths = append(paths, filepath.Join(f.ws, "dist", file.Filename)+".publish.attestation")
		}
		for _, p := range paths {
			if _, err := os.Stat(p); err != nil {
				t.Error(err)
			}
		}
		if got := strings.Split(r.outputs["attestations"], "\n"); !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(paths))) {
			t.Errorf("output attestations = %q, want %q", got, paths)
		}
		entries = strings.Split(r.outputs["log-entries"], "\n")
		if len(entries) != 2 || !strings.HasPrefix(entries[0], f.sig.RekorURL()+"/api/v1/log/entries?logIndex=") {
			t.Errorf("output log-entries = %q", entries)
		}

		plain := newFixture(t, "dist", false)
		r = plain.play(t, m, map[string]string{"repository-url": plain.srv.UploadURL()})
		mustSucceed(t, r)
		contains(t, r, "::warning title=attestations input ignored::The workflow was run with 'attestations: true' input, but the specified repository URL does not support PEP 740 attestations.")
		if r.outputs["attestations"] != "" {
			t.Errorf("output attestations = %q, want none", r.outputs["attestations"])
		}
	})
	// Each deprecated alias reaches the program.
	t.Run("Aliases", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, "out", false)
		r := f.play(t, m, map[string]string{
			"repository_url": f.srv.UploadURL(), "packages_dir": "out/", "verify_metadata": "false",
			"print_hash": "false", "verbose": "false",
		})
		mustSucceed(t, r)
		if n := len(f.srv.Files()); n != 2 {
			t.Errorf("the index has %d files, want 2", n)
		}
		for _, absent := range []string{"Showing hash values", "Response from"} {
			if strings.Contains(r.stdout, absent) {
				t.Errorf("the log has %q despite print_hash and verbose false:\n%s", absent, r.stdout)
			}
		}
		if v := r.publishEnv["INPUT_VERIFY_METADATA"]; v != "false" {
			t.Errorf("verify_metadata: false gives INPUT_VERIFY_METADATA=%q", v)
		}
		posts := len(f.srv.Uploads())
		again := f.play(t, m, map[string]string{
			"repository_url": f.srv.UploadURL(), "packages_dir": "out", "skip_existing": "true",
		})
		mustSucceed(t, again)
		contains(t, again, "sampleproject-1.0.0.tar.gz: already present\n")
		if n := len(f.srv.Uploads()); n != posts {
			t.Errorf("skip_existing: true sent %d more uploads, want none", n-posts)
		}
	})
	// The dashed spelling wins over the underscore one.
	t.Run("DashedWins", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, "dist", false)
		r := f.play(t, m, map[string]string{
			"repository-url": f.srv.UploadURL(), "repository_url": "http://127.0.0.1:1/legacy/",
		})
		mustSucceed(t, r)
		if n := len(f.srv.Files()); n != 2 {
			t.Errorf("the index has %d files, want 2", n)
		}
	})
	// A job-level TWINE_PASSWORD and TWINE_USERNAME leave Trusted
	// Publishing in place.
	t.Run("JobTwinePassword", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, "dist", false)
		f.env["TWINE_USERNAME"] = "someone"
		f.env["TWINE_PASSWORD"] = "pypi-stale-job-token"
		r := f.play(t, m, map[string]string{"repository-url": f.srv.UploadURL()})
		mustSucceed(t, r)
		contains(t, r, "Credentials: trusted publishing\n")
		for _, line := range strings.Split(r.stdout, "\n") {
			if strings.Contains(line, "pypi-stale-job-token") && !strings.HasPrefix(line, "::add-mask::") {
				t.Errorf("the job's TWINE_PASSWORD shows in the log: %q", line)
			}
		}
	})
}
