package warehousecases

import (
	"encoding/json"
	"os"
	"os/exec"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trustpub/pypi/internal/testenv"
)

// TestTableMatchesLibraries re-runs testdata/generate.py with the Python
// libraries on VERIFY_PYTHONPATH (Debian sid's builds, which CI exports)
// and checks that it writes the recorded table: the answers computed from
// packaging, trove-classifiers, email-validator and readme_renderer are
// still theirs, and the hand-written ones still pass those libraries
// first. Locally it skips without the libraries; under CI=true it fails.
func TestTableMatchesLibraries(t *testing.T) {
	t.Parallel()
	pythonPath := os.Getenv("VERIFY_PYTHONPATH")
	if pythonPath == "" {
		testenv.Missing(t, "VERIFY_PYTHONPATH (.ci/sid-python prints it)")
	}
	py := testenv.NeedPython(t)
	cmd := exec.Command(py, "testdata/generate.py")
	cmd.Env = append(os.Environ(), "PYTHONPATH="+pythonPath, "PYTHONIOENCODING=utf-8")
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("generate.py: %v\n%s", err, stderr)
	}
	var fresh Table
	if err := json.Unmarshal(out, &fresh); err != nil {
		t.Fatalf("generate.py wrote no table: %v", err)
	}
	rec := table(t)
	fc, rc := fresh.Cases, rec.Cases
	if diff := cmp.Diff(rec, &fresh, cmpopts.IgnoreFields(Table{}, "Cases")); diff != "" {
		t.Errorf("library versions differ (-recorded +generated):\n%s", diff)
	}
	byName := map[string]*Case{}
	for _, c := range rc {
		byName[c.Name] = c
	}
	for _, c := range fc {
		if r, ok := byName[c.Name]; !ok {
			t.Errorf("case %s: generated, not recorded", c.Name)
		} else if diff := cmp.Diff(r, c); diff != "" {
			t.Errorf("case %s (-recorded +generated):\n%s", c.Name, diff)
		}
		delete(byName, c.Name)
	}
	for name := range byName {
		t.Errorf("case %s: recorded, no longer generated", name)
	}
	t.Logf("%d recorded answers match the generator's (packaging %s, trove-classifiers %s, readme_renderer %s, docutils %s, email-validator %s)",
		len(fc), fresh.Packaging, fresh.TroveClassifiers, fresh.ReadmeRenderer, fresh.Docutils, fresh.EmailValidator)
}
