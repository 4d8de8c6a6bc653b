package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/internal/testenv"
	"github.com/trustpub/pypi/upload"
)

// demoWheel is a valid wheel of project benchpkg_000 1.0 with Metadata-Version
// 2.1 (which twine 4 reads), made by the benchmarks' generator (internal/cmd/bench/gen.go).
var demoWheel = filepath.Join("testdata", "benchpkg_000-1.0-py3-none-any.whl")

// demoProject is its project's normalized name.
const demoProject = "benchpkg-000"

const testToken = "pypi-test-token-for-pypitest-server"

// TestServer builds the command into a temporary directory and runs it as
// a user would, in every subtest.
func TestServer(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "pypitest-server")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	demo, err := dist.Open(demoWheel)
	if err != nil {
		t.Fatal(err)
	}
	for name, test := range map[string]func(*testing.T, string, *dist.Distribution){
		"TokenUpload":        testTokenUpload,
		"TokenScope":         testTokenScope,
		"PasswordPlainHTTP":  testPasswordPlainHTTP,
		"TrustedPublishing":  testTrustedPublishing,
		"TextAnnouncement":   testTextAnnouncement,
		"ChosenPort":         testChosenPort,
		"Latency":            testLatency,
		"TLS":                testTLS,
		"Bandwidth":          testBandwidth,
		"FailUploads":        testFailUploads,
		"ResetUploads":       testResetUploads,
		"LoseResponses":      testLoseResponses,
		"BadCommandLine":     testBadCommandLine,
		"TwineUpload":        testTwineUpload,
		"NoTrustedPublisher": testNoTrustedPublishing,
		"Sigstore":           testSigstore,
		"SigstoreText":       testSigstoreText,
		"SigstoreVerifies":   testSigstoreVerifies,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, bin, demo)
		})
	}
}

// proc is a running pypitest-server.
type proc struct {
	cmd    *exec.Cmd
	stderr *testenv.Buffer
	announcement
	done bool
}

// launch runs the server with -json and args, and reads its announcement.
func launch(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	p := prepare(t, bin, append([]string{"-json"}, args...)...)
	line, err := bufio.NewReader(p.stdout(t)).ReadBytes('\n')
	if err != nil {
		t.Fatalf("reading the announcement: %v; stderr:\n%s", err, p.stderr)
	}
	if err := json.Unmarshal(line, &p.announcement); err != nil {
		t.Fatalf("announcement %q: %v", line, err)
	}
	return p
}

func prepare(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), stderr: &testenv.Buffer{}}
	p.cmd.Stderr = p.stderr
	return p
}

// stdout starts the process and returns its standard output.
func (p *proc) stdout(t *testing.T) io.Reader {
	t.Helper()
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !p.done {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	})
	return out
}

// stop interrupts the server as an operator would and returns what it
// wrote to stderr; it must exit with status 0.
func (p *proc) stop(t *testing.T) string {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := p.cmd.Wait()
	p.done = true
	if err != nil {
		t.Fatalf("pypitest-server exited with %v; stderr:\n%s", err, p.stderr)
	}
	return p.stderr.String()
}

// files lists the project's files through the simple API (PEP 691).
func (p *proc) files(t *testing.T, project string) []string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, p.URL+"/simple/"+project+"/", nil)
	req.Header.Set("Accept", "application/vnd.pypi.simple.v1+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil
	}
	var page struct{ Files []struct{ Filename string } }
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		t.Fatalf("GET /simple/%s/: %s: %v", project, resp.Status, err)
	}
	var names []string
	for _, f := range page.Files {
		names = append(names, f.Filename)
	}
	return names
}

func (p *proc) wantStored(t *testing.T, d *dist.Distribution) {
	t.Helper()
	want := filepath.Base(d.Path)
	if got := p.files(t, demoProject); !slices.Equal(got, []string{want}) {
		t.Errorf("the index lists %q for %s, want [%s]", got, demoProject, want)
	}
}

func uploadAs(t *testing.T, uploadURL, user, password string, d *dist.Distribution) (*upload.Result, error) {
	t.Helper()
	c := &upload.Client{URL: uploadURL, Username: user, Password: password,
		Retry: upload.Retry{Attempts: 1}}
	return c.Upload(t.Context(), d, upload.Options{})
}

func testTokenUpload(t *testing.T, bin string, demo *dist.Distribution) {
	p := launch(t, bin, "-v", "-token", testToken+"=benchpkg_000")
	if _, err := uploadAs(t, p.UploadURL, "__token__", testToken, demo); err != nil {
		t.Fatal(err)
	}
	p.wantStored(t, demo)
	log := p.stop(t)
	for _, want := range []string{"upload benchpkg_000-1.0-py3-none-any.whl", ": 200 OK", "stopped after 1 upload requests, 1 files stored"} {
		if !strings.Contains(log, want) {
			t.Errorf("stderr lacks %q:\n%s", want, log)
		}
	}
}

// A token scoped to other projects gets PyPI's refusal.
func testTokenScope(t *testing.T, bin string, demo *dist.Distribution) {
	p := launch(t, bin, "-token", testToken+"=other,another")
	_, err := uploadAs(t, p.UploadURL, "__token__", testToken, demo)
	var ue *upload.Error
	if !errors.As(err, &ue) || ue.StatusCode != http.StatusForbidden ||
		!strings.Contains(ue.Message, "project-scoped token is not valid for project: 'benchpkg_000'") {
		t.Fatalf("upload with a token for other projects: %v, want 403 with PyPI's message", err)
	}
	if got := p.files(t, demoProject); got != nil {
		t.Errorf("the index stored %q", got)
	}
}

// postForm uploads d by hand, as a shell script with curl would.
func postForm(uploadURL, user, password string, d *dist.Distribution) (*http.Response, error) {
	sums, err := d.Digests(false)
	if err != nil {
		return nil, err
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	m := d.Metadata
	for _, f := range [][2]string{{":action", "file_upload"}, {"protocol_version", "1"},
		{"metadata_version", m.MetadataVersion}, {"name", m.Name}, {"version", m.Version},
		{"filetype", "bdist_wheel"}, {"pyversion", "py3"}, {"sha256_digest", sums.SHA256}} {
		mw.WriteField(f[0], f[1])
	}
	w, _ := mw.CreateFormFile("content", filepath.Base(d.Path))
	r, err := d.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	io.Copy(w, r)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, uploadURL, &body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.SetBasicAuth(user, password)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

func testPasswordPlainHTTP(t *testing.T, bin string, demo *dist.Distribution) {
	p := launch(t, bin, "-user", "alice:s3cret")
	resp, err := postForm(p.UploadURL, "alice", "wrong", demo)
	if err != nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("upload with a wrong password: %v, %v; want 403", resp, err)
	}
	if resp, err = postForm(p.UploadURL, "alice", "s3cret", demo); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("upload with the password: %v, %v; want 200", resp, err)
	}
	p.wantStored(t, demo)
}

// The whole trusted publishing exchange over HTTP: an identity token from
// the issuer (through the announced GitHub Actions variables), an upload
// token minted for it, an upload with that.
func testTrustedPublishing(t *testing.T, bin string, demo *dist.Distribution) {
	p := launch(t, bin, "-v", "-publisher", "benchpkg_000", "-repository", "acme/demo", "-workflow", "publish.yml")
	if _, err := uploadAs(t, p.UploadURL, "__token__", p.mint(t), demo); err != nil {
		t.Fatal(err)
	}
	p.wantStored(t, demo)
	if log := p.stop(t); !strings.Contains(log, "minted a token for [benchpkg_000] (publisher acme/demo, publish.yml)") {
		t.Errorf("stderr does not log the minted token:\n%s", log)
	}
}

// mint gets an identity token from the announced Actions environment for
// the index's audience and exchanges it for an upload token.
func (p *proc) mint(t *testing.T) string {
	t.Helper()
	var aud struct{ Audience string }
	getJSON(t, p.URL+"/_/oidc/audience", "", &aud)
	var id struct{ Value string }
	getJSON(t, p.Env["ACTIONS_ID_TOKEN_REQUEST_URL"]+"&audience="+url.QueryEscape(aud.Audience),
		"bearer "+p.Env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"], &id)
	resp, err := http.Post(p.URL+"/_/oidc/mint-token", "application/json", strings.NewReader(`{"token": "`+id.Value+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var minted struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&minted)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(minted.Token, "pypi-") {
		t.Fatalf("mint-token: %s, token %q", resp.Status, minted.Token)
	}
	return minted.Token
}

func getJSON(t *testing.T, u, authorization string, v any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// Without -json the server prints KEY=value lines a shell can read,
// ending with PYPITEST_READY=1.
func testTextAnnouncement(t *testing.T, bin string, demo *dist.Distribution) {
	p := prepare(t, bin, "-token", testToken)
	sc := bufio.NewScanner(p.stdout(t))
	vars := map[string]string{}
	for sc.Scan() && sc.Text() != "PYPITEST_READY=1" {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			t.Fatalf("line %q is not KEY=value", sc.Text())
		}
		vars[k] = v
	}
	for _, k := range []string{"PYPITEST_URL", "PYPITEST_UPLOAD_URL", "PYPITEST_ISSUER_URL",
		"ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "GITHUB_REPOSITORY"} {
		if vars[k] == "" {
			t.Errorf("%s missing from the announcement %v", k, vars)
		}
	}
	if _, err := uploadAs(t, vars["PYPITEST_UPLOAD_URL"], "__token__", testToken, demo); err != nil {
		t.Fatal(err)
	}
	p.stop(t)
}

func testChosenPort(t *testing.T, bin string, demo *dist.Distribution) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := launch(t, bin, "-addr", addr, "-token", testToken)
	if p.URL != "http://"+addr {
		t.Fatalf("URL %s, want http://%s", p.URL, addr)
	}
	if _, err := uploadAs(t, p.UploadURL, "__token__", testToken, demo); err != nil {
		t.Fatal(err)
	}
	p.wantStored(t, demo)
	p.stop(t)
}

// -latency holds every answer of the index back at least that long.
func testLatency(t *testing.T, bin string, demo *dist.Distribution) {
	const latency = 300 * time.Millisecond
	p := launch(t, bin, "-latency", latency.String(), "-token", testToken)
	began := time.Now()
	if _, err := uploadAs(t, p.UploadURL, "__token__", testToken, demo); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(began); took < latency {
		t.Errorf("the upload took %v, less than the latency %v", took, latency)
	}
}

// -bandwidth reads bodies no faster than asked.
func testBandwidth(t *testing.T, bin string, demo *dist.Distribution) {
	const rate = 8 << 10 // bytes per second: the demo wheel takes a while
	p := launch(t, bin, "-bandwidth", "8KiB", "-token", testToken)
	began := time.Now()
	r, err := uploadAs(t, p.UploadURL, "__token__", testToken, demo)
	if err != nil {
		t.Fatal(err)
	}
	if took, least := time.Since(began), time.Duration(r.BodySize)*time.Second/rate; took < least*9/10 {
		t.Errorf("a %d-byte body was read in %v at %d bytes/s, want at least %v", r.BodySize, took, rate, least)
	}
}

func testFailUploads(t *testing.T, bin string, demo *dist.Distribution) {
	p := launch(t, bin, "-fail-uploads", "1", "-fail-status", "502", "-user", "u:p")
	if resp, err := postForm(p.UploadURL, "u", "p", demo); err != nil || resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("first upload: %v, %v; want 502", resp, err)
	}
	if got := p.files(t, demoProject); got != nil {
		t.Fatalf("a failed upload was stored: %q", got)
	}
	if resp, err := postForm(p.UploadURL, "u", "p", demo); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("second upload: %v, %v; want 200", resp, err)
	}
	p.wantStored(t, demo)
}

func testResetUploads(t *testing.T, bin string, demo *dist.Distribution) {
	p := launch(t, bin, "-reset-uploads", "1", "-reset-after", "100", "-user", "u:p")
	if resp, err := postForm(p.UploadURL, "u", "p", demo); err == nil {
		t.Fatalf("first upload: %s, want the connection cut", resp.Status)
	}
	if got := p.files(t, demoProject); got != nil {
		t.Fatalf("a cut upload was stored: %q", got)
	}
	if resp, err := postForm(p.UploadURL, "u", "p", demo); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("second upload: %v, %v; want 200", resp, err)
	}
}

func testLoseResponses(t *testing.T, bin string, demo *dist.Distribution) {
	p := launch(t, bin, "-lose-responses", "1", "-user", "u:p")
	if resp, err := postForm(p.UploadURL, "u", "p", demo); err == nil {
		t.Fatalf("upload: %s, want no answer", resp.Status)
	}
	p.wantStored(t, demo) // stored all the same
}

func testNoTrustedPublishing(t *testing.T, bin string, demo *dist.Distribution) {
	p := launch(t, bin, "-no-trusted-publishing")
	resp, err := http.Get(p.URL + "/_/oidc/audience")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /_/oidc/audience: %s, want 404", resp.Status)
	}
}

// A bad command line exits with status 2 and says what is wrong.
func testBadCommandLine(t *testing.T, bin string, demo *dist.Distribution) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-addr", "0.0.0.0:8080"}, "loopback only"},
		{[]string{"-addr", "nonsense"}, "-addr"},
		{[]string{"-token", "hunter2-secret"}, "starts with pypi-"},
		{[]string{"-user", "__token__:x"}, "-user"},
		{[]string{"-publisher", "demo=acme/demo"}, "owner/repo/workflow.yml"},
		{[]string{"-repository", "acme"}, "owner/name"},
		{[]string{"-bandwidth", "fast"}, "not a size"},
		{[]string{"-fail-status", "42"}, "not an HTTP status"},
		{[]string{"extra"}, "unexpected argument"},
		{[]string{"-tls-cert", "cert.pem"}, "-tls-cert and -tls-key go together"},
	} {
		var stderr bytes.Buffer
		cmd := exec.Command(bin, c.args...)
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 {
			t.Errorf("%q: %v, want exit status 2", c.args, err)
		}
		if !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%q: stderr lacks %q:\n%s", c.args, c.want, stderr.String())
		}
		if strings.Contains(stderr.String(), "hunter2") {
			t.Errorf("%q: stderr repeats the token:\n%s", c.args, stderr.String())
		}
	}
}

// twine, a publisher in another language, uploads to it as to PyPI.
func testTwineUpload(t *testing.T, bin string, demo *dist.Distribution) {
	twine := testenv.NeedCommand(t, "twine")
	p := launch(t, bin, "-token", testToken)
	cmd := exec.Command(twine, "upload", "--non-interactive", "--disable-progress-bar",
		"--repository-url", p.UploadURL, "-u", "__token__", "-p", testToken, demo.Path)
	cmd.Env = append(cmd.Environ(), "PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("twine upload: %v\n%s", err, out)
	}
	p.wantStored(t, demo)
	if log := p.stop(t); !strings.Contains(log, "1 files stored") {
		t.Errorf("stderr:\n%s", log)
	}
}
