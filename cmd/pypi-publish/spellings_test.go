package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/examples/quickstart/sampledist"
	"github.com/trustpub/pypi/internal/gha"
	"github.com/trustpub/pypi/pypitest"
	"github.com/trustpub/pypi/upload"
)

// homeWith returns a home directory whose .pypirc is testdata's file
// (none for "").
func homeWith(t *testing.T, pypirc string) string {
	t.Helper()
	home := t.TempDir()
	if pypirc != "" {
		data, err := os.ReadFile(filepath.Join("testdata", "pypirc", pypirc))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(home, ".pypirc"), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

// Each spelling of twine and uv, and each variable, reaches
// pypi.Options; a flag beats the environment, which beats the .pypirc,
// which beats the default.
func TestSpellings(t *testing.T) {
	t.Parallel()
	docs := homeWith(t, "twine-docs.pypirc")
	login := homeWith(t, "server-login.pypirc")
	base := pypi.Options{Repository: pypiUploadURL, Files: []string{"dist/*"}, Concurrency: 4}
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want func(*pypi.Options)
	}{
		{"default", nil, nil, func(*pypi.Options) {}},
		{"TWINE_REPOSITORY", nil, map[string]string{"TWINE_REPOSITORY": "testpypi"},
			func(o *pypi.Options) { o.Repository = testPyPIUploadURL }},
		{"-r", []string{"-r", "testpypi"}, nil, func(o *pypi.Options) { o.Repository = testPyPIUploadURL }},
		{"-r in another case", []string{"--repository", "TestPyPI"}, nil, func(o *pypi.Options) { o.Repository = testPyPIUploadURL }},
		{"-r from .pypirc", []string{"-r", "testpypi"}, map[string]string{"HOME": docs},
			func(o *pypi.Options) {
				o.Repository, o.Username, o.Password = testPyPIUploadURL, "__token__", "pypi-for-testpypi"
			}},
		{"private section", []string{"-r", "private-repository"}, map[string]string{"HOME": docs}, func(o *pypi.Options) {
			o.Repository, o.Username, o.Password = "https://private.example.com/legacy/", "alice", "alices-password"
		}},
		{"--config-file", []string{"--config-file", filepath.Join(docs, ".pypirc"), "-r", "private-repository"}, nil, func(o *pypi.Options) {
			o.Repository, o.Username, o.Password = "https://private.example.com/legacy/", "alice", "alices-password"
		}},
		{"pypi section", nil, map[string]string{"HOME": docs},
			func(o *pypi.Options) { o.Username, o.Password = "__token__", "pypi-for-pypi" }},
		{"environment beats .pypirc", nil, map[string]string{"HOME": docs, "TWINE_USERNAME": "carol", "UV_PUBLISH_PASSWORD": "pw"},
			func(o *pypi.Options) { o.Username, o.Password = "carol", "pw" }},
		{"flag beats environment", []string{"-u", "dave", "--password", "pw2"}, map[string]string{"HOME": docs, "TWINE_USERNAME": "carol", "TWINE_PASSWORD": "pw"},
			func(o *pypi.Options) { o.Username, o.Password = "dave", "pw2" }},
		{"flag beats TWINE_REPOSITORY_URL", []string{"-r", "testpypi"}, map[string]string{"TWINE_REPOSITORY_URL": "https://x.example/legacy/"},
			func(o *pypi.Options) { o.Repository = testPyPIUploadURL }},
		{"TWINE_REPOSITORY_URL beats TWINE_REPOSITORY", nil,
			map[string]string{"TWINE_REPOSITORY_URL": "https://x.example/legacy/", "TWINE_REPOSITORY": "testpypi"},
			func(o *pypi.Options) { o.Repository = "https://x.example/legacy/" }},
		{"UV_PUBLISH_URL", nil, map[string]string{"UV_PUBLISH_URL": "https://x.example/legacy/"},
			func(o *pypi.Options) { o.Repository = "https://x.example/legacy/" }},
		{"--publish-url", []string{"--publish-url", "https://x.example/legacy/"}, nil,
			func(o *pypi.Options) { o.Repository = "https://x.example/legacy/" }},
		{"-t", []string{"-t", "pypi-tok"}, nil, func(o *pypi.Options) { o.Token = "pypi-tok" }},
		{"UV_PUBLISH_TOKEN", nil, map[string]string{"UV_PUBLISH_TOKEN": "pypi-tok"}, func(o *pypi.Options) { o.Token = "pypi-tok" }},
		{"UV_PUBLISH_USERNAME", nil, map[string]string{"UV_PUBLISH_USERNAME": "erin"}, func(o *pypi.Options) { o.Username = "erin" }},
		{"--check-url", []string{"--check-url", "https://x.example/simple/"}, nil,
			func(o *pypi.Options) { o.ReadAPIURL, o.SkipExisting = "https://x.example/", true }},
		{"UV_PUBLISH_CHECK_URL", nil, map[string]string{"UV_PUBLISH_CHECK_URL": "https://x.example/simple"},
			func(o *pypi.Options) { o.ReadAPIURL, o.SkipExisting = "https://x.example/", true }},
		{"--no-attestations", []string{"--no-attestations", "--attestations"}, nil,
			func(o *pypi.Options) { o.Attestations = upload.AttestationsOff }},
		{"UV_PUBLISH_NO_ATTESTATIONS", nil, map[string]string{"UV_PUBLISH_NO_ATTESTATIONS": "1"},
			func(o *pypi.Options) { o.Attestations = upload.AttestationsOff }},
		{"--attestations", []string{"--attestations"}, nil, func(o *pypi.Options) { o.Attestations = upload.AttestationsRequire }},
		{"automatic", []string{"--trusted-publishing", "automatic"}, nil, func(*pypi.Options) {}},
		{"always", []string{"--trusted-publishing", "always"}, nil,
			func(o *pypi.Options) { o.TrustedPublishing = pypi.TrustedPublishingAlways }},
		{"--skip-existing", []string{"--skip-existing"}, nil, func(o *pypi.Options) { o.SkipExisting, o.SkipMismatched = true, true }},
		{"--strict-existing", []string{"--skip-existing", "--strict-existing"}, nil,
			func(o *pypi.Options) { o.SkipExisting = true }},
		{"-c", []string{"-c", "built by CI"}, nil, func(o *pypi.Options) { o.Comment = "built by CI" }},
		{"twine's other flags", []string{"--verbose", "--non-interactive", "--disable-progress-bar", "--comment=x"},
			map[string]string{"TWINE_NON_INTERACTIVE": "1"}, func(o *pypi.Options) { o.Comment = "x" }},
	} {
		getenv := func(k string) string { return tc.env[k] }
		c, err := parseConfig(append(tc.args, "dist/*"), getenv, gha.New(io.Discard, getenv, false), io.Discard)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		want := base
		tc.want(&want)
		got := c.options()
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(pypi.Options{}, "HTTPClient")); diff != "" {
			t.Errorf("%s: options (-want +got):\n%s", tc.name, diff)
		}
	}
	// the flags with no effect on the options
	none := func(string) string { return "" }
	c, err := parseConfig([]string{"--verbose", "--disable-progress-bar", "--non-interactive"}, none, gha.New(io.Discard, none, false), io.Discard)
	if err != nil || !c.verbose || !c.noProgress || !c.nonInteractive {
		t.Errorf("--verbose --disable-progress-bar --non-interactive: %+v, %v", c, err)
	}
	home := func(k string) string { return map[string]string{"HOME": login}[k] }
	if c, _ := parseConfig(nil, home, gha.New(io.Discard, home, false), io.Discard); c == nil ||
		c.username != "bob" || c.password != "bobs-password" {
		t.Errorf("[server-login]: %+v", c)
	}
}

// Bad spellings fail with exit status 2 and a message naming the flag
// or file and the rule; GPG signing gets its own.
func TestSpellingErrors(t *testing.T) {
	t.Parallel()
	docs := homeWith(t, "twine-docs.pypirc")
	noTest := homeWith(t, "only-pypi.pypirc")
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"-s"}, nil, "pypi-publish: -s: PyPI no longer accepts GPG signatures"},
		{[]string{"--sign"}, nil, "pypi-publish: --sign: PyPI no longer accepts GPG signatures"},
		{[]string{"--sign-with", "gpg2"}, nil, "pypi-publish: --sign-with: PyPI no longer accepts GPG signatures"},
		{[]string{"--identity", "me@example.com"}, nil, "pypi-publish: --identity: PyPI no longer accepts GPG signatures"},
		{[]string{"-r", "nope"}, map[string]string{"HOME": docs},
			"pypi-publish: Missing 'nope' section from ~/.pypirc.\nMore info: https://packaging.python.org/specifications/pypirc/ \n"},
		{[]string{"-r", "unlisted"}, map[string]string{"HOME": noTest}, "Missing 'unlisted' section from ~/.pypirc."},
		{[]string{"--config-file", "/nonexistent/pypirc"}, nil, "open /nonexistent/pypirc: no such file or directory"},
		{[]string{"-r", "testpypi", "--repository-url", "https://x.example/legacy/"}, nil, "not both"},
		{[]string{"--trusted-publishing", "sometimes"}, nil, `--trusted-publishing "sometimes": want automatic (or auto), always or never`},
		{[]string{"--index", "pypi"}, nil, "--index pypi: open pyproject.toml: no such file or directory"},
		{[]string{"--cert", "/nonexistent/ca.pem"}, nil, "--cert: open /nonexistent/ca.pem: no such file or directory"},
		{[]string{"--cert", filepath.Join("testdata", "pypirc", "duplicate.pypirc")}, nil, "no PEM certificate found"},
		{[]string{"--client-cert", filepath.Join("testdata", "pypirc", "duplicate.pypirc")}, nil,
			"want a PEM certificate and its private key"},
	} {
		var stderr bytes.Buffer
		getenv := func(k string) string { return tc.env[k] }
		_, err := parseConfig(tc.args, getenv, gha.New(io.Discard, getenv, false), &stderr)
		if !errors.Is(err, errUsage) || !strings.Contains(stderr.String(), tc.want) || strings.Contains(stderr.String(), "flag provided but not defined") {
			t.Errorf("%q: %v, stderr %q; want a usage error with %q", tc.args, err, stderr.String(), tc.want)
		}
	}
}

// twine upload and uv publish command lines from their documentation,
// with their variables and configuration files, run unchanged against
// pypitest.
func e2eSpellings(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	const token = "pypi-AgEIcHlwaS5vcmcCJGNhcm9scy10b2tlbi1mb3ItdGVzdHM"
	f.srv.AddAPIToken("carol", token, "sampleproject")
	home := t.TempDir()
	pypirc := "[distutils]\nindex-servers =\n    testpypi\n    private\n\n" +
		"[testpypi]\nrepository = " + f.uploadURL() + "\nusername = __token__\npassword = " + token + "\n\n" +
		"[private]\nrepository: " + f.uploadURL() + "\npassword: " + token + "\n"
	project := t.TempDir()
	pyproject := "[[tool.uv.index]]\nname = \"local\"\nurl = \"" + f.srv.URL + "/simple/\"\npublish-url = \"" + f.uploadURL() + "\"\n"
	for path, text := range map[string]string{filepath.Join(home, ".pypirc"): pypirc, filepath.Join(project, "pyproject.toml"): pyproject} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	withHome := map[string]string{"HOME": home}
	for _, tc := range []struct {
		env     map[string]string
		args    []string
		minted  bool // by Trusted Publishing
		skipped bool // --check-url or --skip-existing found the files
	}{
		{map[string]string{"HOME": home, "TWINE_REPOSITORY": "testpypi"}, []string{f.dir}, false, false},
		{withHome, []string{"-r", "testpypi", f.dir + "/*"}, false, false},
		{withHome, []string{"--repository", "private", "--skip-existing", f.dir + "/*"}, false, true},
		{nil, []string{"--repository-url", f.uploadURL(), "--skip-existing", "--verbose", "--non-interactive",
			"--disable-progress-bar", "-u", "__token__", "-p", token, f.dir + "/*"}, false, true},
		{map[string]string{"TWINE_REPOSITORY_URL": f.uploadURL(), "TWINE_USERNAME": "__token__", "TWINE_PASSWORD": token,
			"TWINE_NON_INTERACTIVE": "1"}, []string{f.dir + "/*"}, false, false},
		{nil, []string{"--publish-url", f.uploadURL(), "--token", token, "-c", "a comment", f.dir + "/*"}, false, false},
		{map[string]string{"UV_PUBLISH_URL": f.uploadURL(), "UV_PUBLISH_TOKEN": token, "UV_PUBLISH_NO_ATTESTATIONS": "1"},
			[]string{f.dir}, false, false},
		{map[string]string{"UV_PUBLISH_USERNAME": "__token__", "UV_PUBLISH_PASSWORD": token},
			[]string{"--index", "local", f.dir + "/*"}, false, true},
		{map[string]string{"UV_PUBLISH_INDEX": "local", "UV_PUBLISH_TOKEN": token}, []string{f.dir}, false, true},
		{nil, []string{"--publish-url", f.uploadURL(), "--check-url", f.srv.URL + "/simple/", "-t", token, f.dir}, false, true},
		{f.iss.Env(), []string{"--trusted-publishing", "always", "--publish-url", f.uploadURL(), f.dir + "/*"}, true, false},
		{f.iss.Env(), []string{"--trusted-publishing", "automatic", "--publish-url", f.uploadURL(), f.dir}, true, false},
	} {
		uploads, minted := len(f.srv.Uploads()), len(f.srv.Minted())
		r := runCLIIn(t, project, tc.env, tc.args...)
		if r.code != 0 {
			t.Errorf("%v %q: exit %d\n%s%s", tc.env, tc.args, r.code, r.stdout, r.stderr)
			continue
		}
		noSecrets(t, r, append(mintedTokens(f.srv), token)...)
		sent := len(f.srv.Uploads()) - uploads
		if tc.skipped && sent != 0 || !tc.skipped && sent != 2 {
			t.Errorf("%v %q: %d uploads sent to pypitest\n%s", tc.env, tc.args, sent, r.stdout)
		}
		if got := len(f.srv.Minted()) - minted; got != map[bool]int{false: 0, true: 1}[tc.minted] {
			t.Errorf("%v %q: %d tokens minted", tc.env, tc.args, got)
		}
	}
	comments := 0
	for _, u := range f.srv.Uploads() {
		for _, fld := range u.Fields {
			if fld.Name == "comment" && fld.Value == "a comment" {
				comments++
			}
		}
	}
	if len(f.srv.Files()) != 2 || comments != 2 {
		t.Errorf("%d files on the index, %d sent with -c's comment; want 2 and 2", len(f.srv.Files()), comments)
	}
	r := runCLI(t, nil, "-s", "--repository-url", f.uploadURL(), f.dir)
	if r.code != 2 || !strings.Contains(r.stderr, "pypi-publish: -s: PyPI no longer accepts GPG signatures") {
		t.Errorf("-s: exit %d\n%s", r.code, r.stderr)
	}
}

// --skip-existing skips a file the index has with other bytes, as twine
// does, with a warning naming both sha256; --strict-existing fails.
func e2eSkipExistingOtherBytes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	const token = "pypi-AgEIcHlwaS5vcmcCJGRhdmVzLXRva2VuLWZvci10ZXN0cw"
	f.srv.AddAPIToken("dave", token, "sampleproject")
	args := []string{"--repository-url", f.uploadURL(), "-p", token}
	if r := runCLI(t, nil, append(args, f.dir)...); r.code != 0 {
		t.Fatalf("first upload: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	rebuilt := t.TempDir()
	paths, err := (sampledist.Project{Name: "sampleproject", Version: "1.0.0", Extra: "Keywords: rebuilt\n"}).Build(rebuilt)
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(p)
		old, ok := f.srv.File(name)
		if !ok {
			t.Fatalf("%s is not on the index", name)
		}
		warnings = append(warnings, fmt.Sprintf("%s: skipped, but the index's file of this name has other bytes (index sha256 %s, local sha256 %x)",
			name, old.SHA256, sha256.Sum256(data)))
	}
	uploads := len(f.srv.Uploads())
	r := runCLI(t, nil, append(args, "--skip-existing", rebuilt)...)
	if r.code != 0 {
		t.Fatalf("--skip-existing: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, w := range warnings {
		if !strings.Contains(r.stdout, "warning: "+w) {
			t.Errorf("--skip-existing: no warning %q in\n%s", w, r.stdout)
		}
	}
	env := f.iss.Env()
	env["GITHUB_ACTIONS"] = "true"
	r = runCLI(t, env, append(args, "--skip-existing", rebuilt)...)
	if r.code != 0 || !strings.Contains(r.stdout, "::warning file="+paths[0]+",title=Non-reproducible build::"+warnings[0]) {
		t.Errorf("--skip-existing under GitHub Actions: exit %d, want the warning annotation\n%s", r.code, r.stdout)
	}
	r = runCLI(t, nil, append(args, "--skip-existing", "--strict-existing", rebuilt)...)
	if r.code != 1 || !strings.Contains(r.stdout, "the index already has a different file of this name") {
		t.Errorf("--strict-existing: exit %d, want 1 and the mismatch\n%s%s", r.code, r.stdout, r.stderr)
	}
	// uv's --check-url skips only the same bytes
	r = runCLI(t, nil, append(args, "--check-url", f.srv.URL+"/simple/", rebuilt)...)
	if r.code != 1 || !strings.Contains(r.stdout, "the index already has a different file of this name") {
		t.Errorf("--check-url: exit %d, want 1 and the mismatch\n%s%s", r.code, r.stdout, r.stderr)
	}
	if sent := len(f.srv.Uploads()) - uploads; sent != 0 {
		t.Errorf("%d uploads sent for files the index has", sent)
	}
}

// -h lists each flag once with all its spellings, twine's and uv's.
func TestHelpSpellings(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	none := func(string) string { return "" }
	if _, err := parseConfig([]string{"-h"}, none, gha.New(io.Discard, none, false), &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, want := range []string{
		"\n  -r, --repository name\n", "\n  --publish-url, --repository-url URL\n", "\n  -t, --token token\n",
		"\n  -u, --username username\n", "\n  -p, --password password\n", "\n  -c, --comment comment\n",
		"\n  -v, --verbose\n", "(default 4)\n", "(default \"~/.pypirc\")\n", "TWINE_REPOSITORY)\n", "UV_PUBLISH_INDEX)\n",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("-h lacks %q:\n%s", want, stderr.String())
		}
	}
}

// In action mode the job's .pypirc is not read: the inputs decide, so a
// stored password cannot displace Trusted Publishing.
func TestActionReadsNoPypirc(t *testing.T) {
	t.Parallel()
	env := map[string]string{"HOME": homeWith(t, "twine-docs.pypirc"), "INPUT_PACKAGES-DIR": "dist/"}
	getenv := func(k string) string { return env[k] }
	c, err := parseConfig(nil, getenv, gha.New(io.Discard, getenv, true), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o := c.options(); o.Password != "" || o.Username != "" || pypi.UploadURL(o.Repository) != pypiUploadURL ||
		o.TrustedPublishing != pypi.TrustedPublishingAlways {
		t.Errorf("action mode: %+v; want PyPI by Trusted Publishing", o)
	}
}
