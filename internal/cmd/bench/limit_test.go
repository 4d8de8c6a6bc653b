package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trustpub/pypi/internal/testenv"
)

// The raw POST of the limit reaches bench/sink.py, over HTTP (sendfile)
// and HTTPS, with the sink's latency, and the sink names every file it
// received; an unauthenticated POST is refused.
func TestRawPostToSink(t *testing.T) {
	t.Parallel()
	testenv.NeedCommand(t, "python3")
	dir := t.TempDir()
	d := oneProject("raw", 3, 64<<10)
	d.wheels = append(d.wheels, manyProjects("", 2, 0).wheels...)
	files, err := d.materialize(dir)
	if err != nil {
		t.Fatal(err)
	}
	certs, err := newLoopbackTLS(filepath.Join(dir, "tls"))
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join("..", "..", "..", "bench", "sink.py")
	const latency = 20 * time.Millisecond
	for _, https := range []bool{false, true} {
		var served *loopbackTLS
		conf, err := certs.config()
		if err != nil {
			t.Fatal(err)
		}
		if https {
			served = certs
		} else {
			conf = nil
		}
		s, err := startSink(script, latency, served, filepath.Join(dir, "sink.log"))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.HasPrefix(s.url, "https://"); got != https {
			t.Errorf("sink URL %s; want HTTPS %v", s.url, https)
		}
		wall, err := rawPost(s.uploadURL(), d.projects(), filepath.Dir(files[0]), conf)
		if err == nil {
			err = s.verify(d.projects())
		}
		if err != nil {
			s.stop()
			t.Fatalf("HTTPS %v: %v", https, err)
		}
		// Three projects: their first files at once, then benchpkg's other two.
		if wall < 2*latency {
			t.Errorf("HTTPS %v: %v for two rounds of %v", https, wall, latency)
		}
		if _, err := s.stop(); err != nil {
			t.Errorf("stopping the sink: %v", err)
		}
	}
	s, err := startSink(script, 0, nil, filepath.Join(dir, "sink.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.stop()
	_, err = rawPost(strings.Replace(s.uploadURL(), "/legacy/", "/other/", 1), d.projects(), filepath.Dir(files[0]), nil)
	if err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("POST to /other/: %v; want the sink's 403", err)
	}
}

// The limit's digest is, for each digest, its faster implementation; of
// those, the slower.
func TestSlowestDigest(t *testing.T) {
	t.Parallel()
	at := func(d time.Duration) stats { return stats{N: 1, Median: d} }
	r := result{target: targetSink, tools: map[string]stats{
		"sha256sum": at(5 * time.Second), "go-sha256": at(time.Second),
		"b2sum": at(2 * time.Second), "go-blake2b": at(3 * time.Second),
	}}
	if dg, tool := r.slowestDigest(); dg != "blake2b-256" || tool != "b2sum" {
		t.Errorf("slowest digest %s by %s; want blake2b-256 by b2sum", dg, tool)
	}
}
