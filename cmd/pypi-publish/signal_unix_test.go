//go:build unix

package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/trustpub/pypi/examples/quickstart/sampledist"
)

func init() {
	platformScenarios["NamedPipe"] = e2eNamedPipe
	platformScenarios["InterruptedDryRun"] = e2eInterruptedDryRun
}

// A named pipe among the files ends the run at once with an error that
// names it, instead of waiting forever for a writer.
func e2eNamedPipe(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "x-1.0-py3-none-any.whl")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, arg := range []string{fifo, dir} {
		r := runCLI(t, nil, "--dry-run", arg)
		if want := fifo + ": a named pipe (FIFO), not a regular file"; r.code != 1 || !strings.Contains(r.stdout, want) {
			t.Errorf("%s: exit %d, want 1 and %q:\n%s%s", arg, r.code, want, r.stdout, r.stderr)
		}
	}
}

// SIGINT or SIGTERM stops a dry run that has not finished, with status
// 130 or 143 and no word of success. The program's output is far more
// than a pipe holds, and the test reads only its first line before the
// signal, so the run cannot end before the signal arrives.
func e2eInterruptedDryRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := sampledist.Project{Name: "sampleproject", Version: "1.0.0", Summary: strings.Repeat("long ", 60_000)}
	if _, err := p.Build(dir); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sig  os.Signal
		name string
		code int
	}{
		{os.Interrupt, "SIGINT", 130},
		{syscall.SIGTERM, "SIGTERM", 143},
	} {
		code, out := interruptCLI(t, tc.sig, "--dry-run", "--checks", "lenient", "--repository-url", "http://127.0.0.1:9/legacy/", dir)
		if code != tc.code {
			t.Errorf("%s: exit status %d, want %d", tc.name, code, tc.code)
		}
		if strings.Contains(out, "Dry run:") || !strings.Contains(out, "error: pypi-publish: interrupted by "+tc.name) {
			t.Errorf("%s: output of the interrupted run (last 300 bytes): %q", tc.name, out[max(0, len(out)-300):])
		}
	}
}

// interruptCLI runs the program with args, sends it sig once it has
// printed its first line, and returns its exit status and output. The
// program must still be writing by then.
func interruptCLI(t *testing.T, sig os.Signal, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	stdoutPipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderrPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stdout, stderr := bufio.NewReader(stdoutPipe), bufio.NewReader(stderrPipe)
	first, err := stdout.ReadString('\n')
	if err != nil {
		t.Fatalf("first line %q: %v", first, err)
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	// The program says it stops once its context is cancelled.
	stopping, err := stderr.ReadString('\n')
	if err != nil || !strings.HasPrefix(stopping, "pypi-publish: SIG") || !strings.HasSuffix(stopping, ": stopping\n") {
		t.Fatalf("stderr %q, %v; want the stopping line", stopping, err)
	}
	rest, err := io.ReadAll(stdout)
	if err != nil {
		t.Fatal(err)
	}
	restErr, err := io.ReadAll(stderr)
	if err != nil {
		t.Fatal(err)
	}
	var ee *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &ee) {
		t.Fatalf("exit: %v, want a failure", err)
	}
	return ee.ExitCode(), first + string(rest) + string(restErr)
}
