package readme

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.verdicts from the oracle (VERIFY_PYTHONPATH)")

// goldenDirs are the testdata folders whose documents have recorded
// verdicts, each in testdata/<dir>.verdicts.
var goldenDirs = []string{"spec", "cases"}

const goldenHeader = "# PyPI's verdicts (readme_renderer 45.0, docutils 0.23) on testdata/%s, one document a line:\n" +
	"# name, then \"renders\" or line, level and quoted message. Regenerate with\n" +
	"# VERIFY_PYTHONPATH=$(.ci/sid-python) go test ./dist/readme -run TestGoldenOracle -update\n"

// verdict formats a Check result as a golden line's fields.
func verdict(err *Error) string {
	if err == nil {
		return "renders"
	}
	level := err.Level.String()
	if level == "" {
		level = "-"
	}
	return fmt.Sprintf("%d\t%s\t%s", err.Line, level, strconv.Quote(err.Message))
}

// readGolden parses testdata/<dir>.verdicts into name → verdict.
func readGolden(t *testing.T, dir string) map[string]string {
	t.Helper()
	path := filepath.Join("testdata", dir+".verdicts")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (regenerate with -update)", err)
	}
	golden := map[string]string{}
	for n, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, v, ok := strings.Cut(line, "\t")
		if !ok || name == "" || golden[name] != "" {
			t.Fatalf("%s:%d: want a name, a tab and a verdict, each name once: %q", path, n+1, line)
		}
		golden[name] = v
	}
	return golden
}

// TestGolden compares this package's verdict on every testdata document
// with the verdict recorded from PyPI's versions; it needs no Python.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, dir := range goldenDirs {
		golden := readGolden(t, dir)
		docs := specDocs(t, dir)
		for _, d := range docs {
			want, ok := golden[d.id]
			if !ok {
				t.Errorf("%s/%s: no recorded verdict in testdata/%s.verdicts (run TestGoldenOracle with -update)", dir, d.id, dir)
				continue
			}
			if got := verdict(asError(Check(d.text, d.contentType))); got != want {
				t.Errorf("%s/%s:\n  got:  %s\n  PyPI: %s", dir, d.id, got, want)
			}
			delete(golden, d.id)
		}
		for name := range golden {
			t.Errorf("testdata/%s.verdicts records %s, which is not in testdata/%s", dir, name, dir)
		}
	}
}

// TestGoldenOracle checks that the recorded verdicts are still those of
// docutils 0.23 through readme_renderer 44.0, except where 45.0 is known
// to differ, whose recorded verdicts are kept as written; with -update
// it rewrites the files from the oracle instead. It is not parallel, so
// that it has finished writing before TestGolden reads.
func TestGoldenOracle(t *testing.T) {
	o := pypiOracle(t)
	for _, dir := range goldenDirs {
		var old map[string]string
		if !*update {
			old = readGolden(t, dir)
		} else if _, err := os.Stat(filepath.Join("testdata", dir+".verdicts")); err == nil {
			old = readGolden(t, dir)
		}
		var lines []string
		for _, d := range specDocs(t, dir) {
			theirs := askOracle(t, o, d)
			got := verdict(theirs)
			if known, ok := knownDisagreements[d.id]; ok {
				if theirs == nil || !strings.HasPrefix(theirs.Message, known.rr44) {
					t.Errorf("%s/%s: readme_renderer 44.0 no longer fails with %q (%s): %s", dir, d.id, known.rr44, known.why, got)
				}
				got = old[d.id]
				if got == "" {
					t.Errorf("%s/%s: %s; write its PyPI verdict into testdata/%s.verdicts by hand", dir, d.id, known.why, dir)
				}
			}
			lines = append(lines, d.id+"\t"+got)
			if !*update && old[d.id] != got {
				t.Errorf("%s/%s:\n  recorded: %s\n  oracle:   %s", dir, d.id, old[d.id], got)
			}
		}
		if *update {
			slices.Sort(lines)
			out := fmt.Sprintf(goldenHeader, dir) + strings.Join(lines, "\n") + "\n"
			if err := os.WriteFile(filepath.Join("testdata", dir+".verdicts"), []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
