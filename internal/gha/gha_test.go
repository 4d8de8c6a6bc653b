package gha

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestCommandsAreEscaped(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	r := New(&out, env(nil), true)
	r.Mask("pypi-secret%\nline2")
	r.Group("Uploading")
	r.Error(Annotation{Title: "bad: file, really", File: "dist/a.whl", Line: 3}, "100% wrong\nsecond line")
	r.Warning(Annotation{}, "plain")
	r.EndGroup()
	want := "::add-mask::pypi-secret%25%0Aline2\n" +
		"::group::Uploading\n" +
		"::error file=dist/a.whl,line=3,title=bad%3A file%2C really::100%25 wrong%0Asecond line\n" +
		"::warning::plain\n" +
		"::endgroup::\n"
	if got := out.String(); got != want {
		t.Errorf("commands:\n%s\nwant:\n%s", got, want)
	}
}

func TestDisabledRunnerPrintsNothing(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	dir := t.TempDir()
	summary := filepath.Join(dir, "summary.md")
	r := New(&out, env(map[string]string{"GITHUB_STEP_SUMMARY": summary}), false)
	r.Mask("x")
	r.Notice(Annotation{}, "hello")
	if out.Len() != 0 {
		t.Errorf("disabled runner wrote %q", out.String())
	}
	if r.Enabled() {
		t.Error("Enabled() = true")
	}
}

func TestSummaryAndOutputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	summary := filepath.Join(dir, "summary.md")
	outputs := filepath.Join(dir, "output")
	r := New(&bytes.Buffer{}, env(map[string]string{"GITHUB_STEP_SUMMARY": summary, "GITHUB_OUTPUT": outputs}), true)
	if err := r.Summary("# One\n"); err != nil {
		t.Fatal(err)
	}
	if err := r.Summary("two\n"); err != nil {
		t.Fatal(err)
	}
	if err := r.SetOutput("files", "a.whl\nb.tar.gz"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(summary)
	if err != nil || string(b) != "# One\ntwo\n" {
		t.Errorf("summary = %q, %v", b, err)
	}
	b, err = os.ReadFile(outputs)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^files<<(ghadelimiter_[0-9a-f]{24})\na\.whl\nb\.tar\.gz\n(ghadelimiter_[0-9a-f]{24})\n$`)
	m := re.FindStringSubmatch(string(b))
	if m == nil || m[1] != m[2] {
		t.Errorf("output file = %q", b)
	}
}

func TestSummaryWithoutFileIsNoop(t *testing.T) {
	t.Parallel()
	r := New(&bytes.Buffer{}, env(nil), true)
	if err := r.Summary("x"); err != nil {
		t.Errorf("Summary without GITHUB_STEP_SUMMARY: %v", err)
	}
}

func TestSummaryUnwritable(t *testing.T) {
	t.Parallel()
	r := New(&bytes.Buffer{}, env(map[string]string{"GITHUB_STEP_SUMMARY": t.TempDir()}), true)
	err := r.Summary("x")
	if err == nil || !strings.Contains(err.Error(), "gha: GITHUB_STEP_SUMMARY") {
		t.Errorf("Summary into a directory: %v", err)
	}
}

func TestInputs(t *testing.T) {
	t.Parallel()
	r := New(&bytes.Buffer{}, env(map[string]string{
		"INPUT_REPOSITORY-URL":  "https://kebab/",
		"INPUT_REPOSITORY_URL":  "https://snake/",
		"INPUT_PACKAGES_DIR":    "out/",
		"INPUT_SKIP-EXISTING":   "TRUE",
		"INPUT_VERIFY-METADATA": "False",
		"INPUT_VERBOSE":         "yes",
	}), true)
	for _, c := range []struct{ name, want string }{
		{"repository-url", "https://kebab/"},
		{"packages-dir", "out/"},
		{"user", ""},
	} {
		if got := r.Input(c.name); got != c.want {
			t.Errorf("Input(%q) = %q, want %q", c.name, got, c.want)
		}
	}
	for _, c := range []struct {
		name      string
		def, want bool
	}{
		{"skip-existing", false, true},
		{"verify-metadata", true, false},
		{"verbose", false, true},
		{"print-hash", false, false},
		{"print-hash", true, true},
	} {
		if got := r.BoolInput(c.name, c.def); got != c.want {
			t.Errorf("BoolInput(%q, %v) = %v, want %v", c.name, c.def, got, c.want)
		}
	}
}
