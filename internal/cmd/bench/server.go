package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"time"
)

// index is a server the programs upload to: a pypitest-server process or
// a sink.
type index interface {
	uploadURL() string
	// verify checks that the index received exactly the expected files,
	// by project.
	verify(projects map[string][]string) error
	// stop stops the server and returns the CPU time it used.
	stop() (time.Duration, error)
}

// server is a running pypitest-server process.
type server struct {
	cmd    *exec.Cmd
	client *http.Client // trusts the server's certificate, over HTTPS
	Root   string       `json:"url"`
	Upload string       `json:"upload_url"`
}

func (s *server) uploadURL() string { return s.Upload }

// startPypitest starts the pypitest-server binary with args (plus -json)
// and waits for it to print its URLs. Its stderr goes to the file logPath.
// certs, if not nil, are those its args make it serve.
func startPypitest(bin string, args []string, certs *loopbackTLS, logPath string) (*server, error) {
	client := http.DefaultClient
	if certs != nil {
		conf, err := certs.config()
		if err != nil {
			return nil, err
		}
		client = &http.Client{Transport: &http.Transport{TLSClientConfig: conf}}
	}
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer log.Close() // the child has its own descriptor
	cmd := exec.Command(bin, append([]string{"-json"}, args...)...)
	cmd.Stderr = log
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, client: client}
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(line, s)
	}
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("pypitest-server did not announce its URLs: %v", err)
	}
	go io.Copy(io.Discard, out)
	return s, nil
}

// stop ends the server with SIGTERM, as an operator would.
func (s *server) stop() (time.Duration, error) {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return 0, err
	}
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		return cpuTime(s.cmd.ProcessState), err
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		return 0, errors.New("pypitest-server did not stop within 30 s of SIGTERM")
	}
}

// verify asks the simple API (PEP 691).
func (s *server) verify(projects map[string][]string) error {
	for project, want := range projects {
		got, err := s.files(project)
		if err != nil {
			return err
		}
		slices.Sort(got)
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			return fmt.Errorf("the index lists %q for %s, want %q", got, project, want)
		}
	}
	return nil
}

func (s *server) files(project string) ([]string, error) {
	req, err := http.NewRequest(http.MethodGet, s.Root+"/simple/"+project+"/", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/vnd.pypi.simple.v1+json")
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /simple/%s/: %s", project, resp.Status)
	}
	var page struct {
		Files []struct {
			Filename string `json:"filename"`
		} `json:"files"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return nil, fmt.Errorf("GET /simple/%s/: %v", project, err)
	}
	var names []string
	for _, f := range page.Files {
		names = append(names, f.Filename)
	}
	return names, nil
}
