package pypitest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustpub/pypi/internal/testenv"
)

// twineUpload runs Debian's twine against srv and returns its output.
func twineUpload(t *testing.T, srv *Server, args ...string) (string, error) {
	t.Helper()
	twine := testenv.NeedCommand(t, "twine")
	cmd := exec.Command(twine, append([]string{"upload", "--repository-url", srv.URL + "/legacy/",
		"-u", "__token__", "-p", uploadToken, "--non-interactive", "--disable-progress-bar"}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestTwineSeesWarehouseAnswers uploads with twine, which reads
// Warehouse's message from the reason phrase: a success, a refusal of
// other bytes under the same name, and --skip-existing recognising it.
func TestTwineSeesWarehouseAnswers(t *testing.T) {
	t.Parallel()
	srv := newIndexServer(t)
	dir := t.TempDir()
	name, content := Dist{Name: "demo", Version: "1.0", Metadata: []string{"Requires-Dist: requests"}}.Build()
	path := filepath.Join(dir, name)
	os.WriteFile(path, content, 0o644)
	if out, err := twineUpload(t, srv, path); err != nil {
		t.Fatalf("twine upload: %v\n%s", err, out)
	}

	_, other := Dist{Name: "demo", Version: "1.0", Metadata: []string{"Requires-Dist: urllib3"}}.Build()
	os.WriteFile(path, other, 0o644)
	out, err := twineUpload(t, srv, path)
	if err == nil || !strings.Contains(out, "400 Bad Request from "+srv.URL+"/legacy/") || !strings.Contains(out, "File already exists ('demo-1.0-py3-none-any.whl'") {
		t.Errorf("twine upload of other bytes: %v\n%s", err, out)
	}
	out, err = twineUpload(t, srv, "--skip-existing", path)
	if err != nil || !strings.Contains(out, "Skipping demo-1.0-py3-none-any.whl because it appears to already exist") {
		t.Errorf("twine --skip-existing: %v\n%s", err, out)
	}
	if len(srv.Files()) != 1 {
		t.Errorf("%d files stored, want 1", len(srv.Files()))
	}
}
