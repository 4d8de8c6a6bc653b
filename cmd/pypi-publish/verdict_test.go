package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/trustpub/pypi/examples/quickstart/sampledist"
	"github.com/trustpub/pypi/pypitest"
)

// A file whose upload form cannot be made (an unknown METADATA field) has
// one verdict, FAILED, in every output: the dry run's log, the upload's
// log, --json, and the action's annotations and job summary.
func e2eOneVerdictPerFile(t *testing.T) {
	t.Parallel()
	f := newFixture(t, pypitest.GitHubRun{})
	if _, err := (sampledist.Project{Name: "sampleproject", Version: "2.0", Extra: "Foo: bar\n"}).Build(f.dir); err != nil {
		t.Fatal(err)
	}
	const bad = "sampleproject-2.0-py3-none-any.whl"
	const why = "upload form: invalid distribution metadata: unrecognized or malformed field 'foo'"
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"dry run", nil, []string{"--dry-run"}},
		{"upload", nil, nil},
		{"json", nil, []string{"--json"}},
		{"action", f.actionsEnv(t, map[string]string{"REPOSITORY-URL": f.uploadURL(), "PACKAGES-DIR": f.dir}), nil},
	} {
		args := tc.args
		if tc.env == nil {
			args = append(args, "--repository-url", f.uploadURL(), "-p", "pypi-unused", f.dir)
		}
		r := runCLI(t, tc.env, args...)
		log := r.stdout + r.stderr
		if r.code != 1 || strings.Contains(log, bad+": PASSED") || !strings.Contains(log, "Checking "+bad+": FAILED\n") {
			t.Errorf("%s: exit %d, want 1 and one verdict, FAILED:\n%s", tc.name, r.code, log)
		}
		if !strings.Contains(log, why) {
			t.Errorf("%s: the log does not say why (%q):\n%s", tc.name, why, log)
		}
		if tc.name == "json" {
			var doc struct {
				Files []struct{ File, Verdict, Outcome string }
			}
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatal(err)
			}
			for _, file := range doc.Files {
				if want := map[bool]string{true: "failed", false: "passed"}[strings.HasPrefix(file.File, "sampleproject-2.0")]; file.Verdict != want {
					t.Errorf("json: %s: verdict %q, want %q", file.File, file.Verdict, want)
				}
			}
		}
		if tc.name == "action" {
			if !strings.Contains(r.stdout, "::error file="+f.dir+"/"+bad+",title=upload form::invalid distribution metadata") ||
				!strings.Contains(r.summary, "| `"+bad+"` | FAILED |") {
				t.Errorf("action: no error annotation or FAILED row:\n%s\n%s", r.stdout, r.summary)
			}
		}
	}
	if len(f.srv.Uploads()) != 0 || f.iss.Issued() != 0 {
		t.Error("credentials were fetched or files sent")
	}
}
