package main

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// sample is one timed run of a program.
type sample struct {
	Scenario int           `json:"scenario"`
	Target   string        `json:"target"` // pypitest or sink
	Tool     string        `json:"tool"`
	Run      int           `json:"run"`
	Wall     time.Duration `json:"wall_ns"`
	MaxRSS   int64         `json:"max_rss_bytes"` // peak resident set, from wait4's rusage (what /usr/bin/time -v reports)
	CPU      time.Duration `json:"cpu_ns"`        // user + system time
	// ServerCPU is the CPU time of the pypitest-server process the run
	// was against (start-up included).
	ServerCPU time.Duration `json:"server_cpu_ns"`
	Log       string        `json:"log"`
}

// measure runs argv with env, its output going to the file logPath, and
// returns its wall time and resource use. A non-zero exit is an error.
func measure(argv, env []string, logPath string) (sample, error) {
	log, err := os.Create(logPath)
	if err != nil {
		return sample{}, err
	}
	defer log.Close()
	fmt.Fprintf(log, "$ %s\n", strings.Join(argv, " "))
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, log, log
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	s := sample{Wall: wall, Log: logPath}
	if cmd.ProcessState == nil {
		return s, fmt.Errorf("%s: %v", argv[0], err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.MaxRSS = ru.Maxrss << 10 // KiB on Linux
	}
	s.CPU = cpuTime(cmd.ProcessState)
	if err != nil {
		return s, fmt.Errorf("%s: %v (see %s)", argv[0], err, logPath)
	}
	return s, nil
}

// cpuTime is the user and system time of an exited process.
func cpuTime(ps *os.ProcessState) time.Duration {
	if ps == nil {
		return 0
	}
	return ps.UserTime() + ps.SystemTime()
}

// toolEnv is the environment of the measured programs: ours, without the
// variables that would make either program read configuration other than
// its command line (CI and GitHub Actions inputs, TWINE_*, and the CA
// bundles requests takes over twine's --cert), and with keyring lookups
// off.
func toolEnv() []string {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		for _, p := range []string{"TWINE_", "INPUT_", "GITHUB_", "ACTIONS_", "CI=", "PYTHON_KEYRING_BACKEND=",
			"REQUESTS_CA_BUNDLE=", "CURL_CA_BUNDLE="} {
			if strings.HasPrefix(kv, p) {
				return true
			}
		}
		return false
	})
	return append(env, "PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring")
}

// stats summarises the samples of one tool in one scenario.
type stats struct {
	N                          int
	Median, Min, Max           time.Duration
	MedianRSS, MaxRSS          int64
	MedianCPU, MedianServerCPU time.Duration
	failed                     bool
}

func summarise(ss []sample) stats {
	if len(ss) == 0 {
		return stats{failed: true}
	}
	n := len(ss)
	walls, rss, cpu, server := make([]time.Duration, n), make([]int64, n), make([]time.Duration, n), make([]time.Duration, n)
	for i, s := range ss {
		walls[i], rss[i], cpu[i], server[i] = s.Wall, s.MaxRSS, s.CPU, s.ServerCPU
	}
	slices.Sort(walls)
	slices.Sort(rss)
	slices.Sort(cpu)
	slices.Sort(server)
	return stats{N: n, Median: median(walls), Min: walls[0], Max: walls[n-1],
		MedianRSS: median(rss), MaxRSS: rss[n-1], MedianCPU: median(cpu), MedianServerCPU: median(server)}
}

// median of sorted values (the mean of the middle two for an even count).
func median[T ~int64](sorted []T) T {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
