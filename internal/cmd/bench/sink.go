package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"syscall"
	"time"
)

// sink is an index that only receives: it reads each upload's form,
// keeps the file names and answers 200 after the latency, judging
// nothing. Against it a program's wall time is its own, not the time an
// index on the same cores spends judging files; the scenarios run
// against it as well, to show how much of each figure is the client's.
type sink struct {
	srv      *http.Server
	url      string
	latency  time.Duration
	cpuStart time.Duration

	mu    sync.Mutex
	files []string
}

func startSink(latency time.Duration) (*sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &sink{url: "http://" + ln.Addr().String(), latency: latency, cpuStart: selfCPU()}
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve)}
	go s.srv.Serve(ln)
	return s, nil
}

func (s *sink) serve(w http.ResponseWriter, r *http.Request) {
	if user, password, _ := r.BasicAuth(); r.Method != http.MethodPost || r.URL.Path != "/legacy/" ||
		user != "__token__" || password != token {
		http.Error(w, "sink: only authenticated POST /legacy/", http.StatusForbidden)
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if p.FormName() == "content" {
			s.mu.Lock()
			s.files = append(s.files, p.FileName())
			s.mu.Unlock()
		}
		io.Copy(io.Discard, p)
	}
	time.Sleep(s.latency)
}

func (s *sink) uploadURL() string { return s.url + "/legacy/" }

// verify checks that every expected file was received exactly once.
func (s *sink) verify(projects map[string][]string) error {
	var want []string
	for _, files := range projects {
		want = append(want, files...)
	}
	slices.Sort(want)
	s.mu.Lock()
	got := slices.Sorted(slices.Values(s.files))
	s.mu.Unlock()
	if !slices.Equal(got, want) {
		return fmt.Errorf("the sink received %d files %q, want %d", len(got), got, len(want))
	}
	return nil
}

// stop closes the sink and returns the CPU time this process spent
// meanwhile (the sink's, plus the harness's little).
func (s *sink) stop() (time.Duration, error) {
	return selfCPU() - s.cpuStart, s.srv.Close()
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
