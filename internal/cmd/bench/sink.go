package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// sink is bench/sink.py running: an index that only reads and discards
// each upload's body and answers 200 after the latency, judging nothing.
// Against it a program's wall time is its own, not the time an index on
// the same cores spends judging files. It is one Python server for every
// client (ours, twine and the raw POST of the limit), as issue 16 asks.
type sink struct {
	cmd *exec.Cmd
	url string

	mu    sync.Mutex
	files []string // the content part's filename of each upload, as the sink printed them
	done  chan struct{}
}

// startSink runs the sink script, on HTTPS if tls is not nil; its stderr
// goes to the file logPath.
func startSink(script string, latency time.Duration, tls *loopbackTLS, logPath string) (*sink, error) {
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer log.Close() // the child has its own descriptor
	args := []string{script, "--token", token, "--latency", fmt.Sprint(latency.Seconds())}
	if tls != nil {
		args = append(args, "--cert", tls.Cert, "--key", tls.Key)
	}
	cmd := exec.Command("python3", args...)
	cmd.Stderr = log
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &sink{cmd: cmd, done: make(chan struct{})}
	lines := bufio.NewScanner(out)
	if !lines.Scan() {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("the sink did not print its URL (see %s)", logPath)
	}
	s.url = strings.TrimSpace(lines.Text())
	go func() {
		defer close(s.done)
		for lines.Scan() {
			s.mu.Lock()
			s.files = append(s.files, lines.Text())
			s.mu.Unlock()
		}
	}()
	return s, nil
}

func (s *sink) uploadURL() string { return s.url + "/legacy/" }

// verify checks that every expected file was received exactly once. The
// sink prints a name once it has read the body, before its latency, so
// a client that saw every answer is never ahead of it; a short wait
// covers the pipe.
func (s *sink) verify(projects map[string][]string) error {
	var want []string
	for _, files := range projects {
		want = append(want, files...)
	}
	slices.Sort(want)
	var got []string
	for range 50 {
		s.mu.Lock()
		got = slices.Sorted(slices.Values(s.files))
		s.mu.Unlock()
		if len(got) >= len(want) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("the sink received %d files %q, want %d", len(got), got, len(want))
	}
	return nil
}

// stop ends the sink with SIGTERM and returns the CPU time it used.
func (s *sink) stop() (time.Duration, error) {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return 0, err
	}
	exited := make(chan error, 1)
	go func() { <-s.done; exited <- s.cmd.Wait() }()
	select {
	case err := <-exited:
		return cpuTime(s.cmd.ProcessState), err
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		return 0, errors.New("the sink did not stop within 30 s of SIGTERM")
	}
}
