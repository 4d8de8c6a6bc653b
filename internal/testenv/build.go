package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
)

// Build writes a Python project (file name → content) into dir/src and
// builds its wheel and sdist with Debian's `python3 -m build`, into
// dir/dist, returning their paths sorted. No network: build isolation and
// the dependency check are off, so the build backend must be installed
// (Debian's hatchling needs that too).
func Build(dir string, project map[string]string) ([]string, error) {
	src, out := filepath.Join(dir, "src"), filepath.Join(dir, "dist")
	for name, body := range project {
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command(Python, "-m", "build", "--no-isolation", "--skip-dependency-check", "--outdir", out, src)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("python3 -m build: %v\n%s", err, b)
	}
	built, err := filepath.Glob(filepath.Join(out, "*"))
	if err != nil {
		return nil, err
	}
	if len(built) != 2 {
		return nil, fmt.Errorf("python3 -m build made %q, want a wheel and an sdist", built)
	}
	sort.Strings(built)
	return built, nil
}
