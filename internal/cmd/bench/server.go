package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"slices"
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
	child
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
	c, out, err := startChild(exec.Command(bin, append([]string{"-json"}, args...)...), "pypitest-server", logPath)
	if err != nil {
		return nil, err
	}
	s := &server{child: c, client: client}
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(line, s)
	}
	if err != nil {
		s.kill()
		return nil, fmt.Errorf("pypitest-server did not announce its URLs: %v", err)
	}
	go func() { io.Copy(io.Discard, out); close(s.done) }()
	return s, nil
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
