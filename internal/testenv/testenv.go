// Package testenv tells tests whether the third-party programs they drive
// (Debian's Python, twine, python3 -m build, node with npm's
// @sigstore/verify) are on the machine, and runs the shared ones. Locally a
// missing tool skips the test; under CI=true it fails it, so interop tests
// can never be skipped silently in CI.
package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Python is Debian's interpreter. The python3 first on PATH may be another
// one that does not see Debian's packages.
const Python = "/usr/bin/python3"

// InCI reports whether the tests run under CI (CI=true).
func InCI() bool { return os.Getenv("CI") == "true" }

// Missing skips t because what is missing, or fails it under CI.
func Missing(t testing.TB, what string) {
	t.Helper()
	if InCI() {
		t.Fatalf("%s is missing, and interop tests must run under CI=true (.ci/run installs it)", what)
	}
	t.Skipf("%s is missing; skipping the interop test", what)
}

// NeedCommand returns the path of the named program, or skips (fails
// under CI) when it is not installed.
func NeedCommand(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "command "+name)
	}
	return p
}

// NeedPython returns the path of Debian's Python after checking that it can
// import every named module, or skips (fails under CI) when it cannot.
func NeedPython(t testing.TB, modules ...string) string {
	t.Helper()
	if _, err := os.Stat(Python); err != nil {
		Missing(t, Python)
	}
	if len(modules) > 0 {
		script := "import " + strings.Join(modules, ", ")
		if out, err := exec.Command(Python, "-c", script).CombinedOutput(); err != nil {
			Missing(t, "Python modules "+strings.Join(modules, ", ")+" ("+strings.TrimSpace(string(out))+")")
		}
	}
	return Python
}
