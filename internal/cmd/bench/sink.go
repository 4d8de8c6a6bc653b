package main

import (
	"bufio"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"
)

// sink is bench/sink.py running: an index that only reads and discards
// each upload's body and answers 200 after the latency, judging nothing.
// Against it a program's wall time is its own, not the time an index on
// the same cores spends judging files. It is one Python server for every
// client (ours, twine and the raw POST of the limit), as issue 16 asks.
type sink struct {
	child
	url string

	mu    sync.Mutex
	files []string // the content part's filename of each upload, as the sink printed them
}

// startSink runs the sink script, on HTTPS if tls is not nil; its stderr
// goes to the file logPath.
func startSink(script string, latency time.Duration, tls *loopbackTLS, logPath string) (*sink, error) {
	args := []string{script, "--token", token, "--latency", fmt.Sprint(latency.Seconds())}
	if tls != nil {
		args = append(args, "--cert", tls.Cert, "--key", tls.Key)
	}
	c, out, err := startChild(exec.Command("python3", args...), "the sink", logPath)
	if err != nil {
		return nil, err
	}
	s := &sink{child: c}
	lines := bufio.NewScanner(out)
	if !lines.Scan() {
		s.kill()
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
