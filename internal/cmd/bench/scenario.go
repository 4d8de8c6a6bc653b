package main

import (
	"fmt"
	"time"
)

// scenario is one comparison of our CLI with twine.
type scenario struct {
	id         int
	title      string
	data       dataset
	latency    time.Duration // the index's delay of every answer
	serverArgs []string      // pypitest-server flags besides -json, -token and -latency
	check      bool          // check the files (dry run) instead of uploading them
	goal       float64       // the largest acceptable ratio of our wall time to twine's
	goalRSS    int64         // the largest acceptable peak RSS of ours, in bytes; 0 for none
	maxRuns    int           // caps the runs of a long scenario; 0 for no cap
}

// scenarios returns the four side-by-side scenarios, at tiny sizes for a
// smoke run.
func scenarios(smoke bool) []scenario {
	wheels, wheelSize, latency := 24, int64(8<<20), 50*time.Millisecond
	bigSize, tiny, checked := int64(1<<30), 200, 50
	prefix := ""
	if smoke {
		wheels, wheelSize, latency = 3, 64<<10, 5*time.Millisecond
		bigSize, tiny, checked = 8<<20, 5, 5
		prefix = "smoke-"
	}
	big := dataset{name: fmt.Sprintf("%sbig-%d", prefix, bigSize),
		wheels: []wheelSpec{{project: "benchpkg", tag: "py3-none-any", payload: bigSize, seed: 1000}}}
	return []scenario{{
		id:      1,
		title:   fmt.Sprintf("%d wheels of %s + 1 sdist, %s added per request", wheels, sizeText(wheelSize), latency),
		data:    oneProject(fmt.Sprintf("%sproject-%dx%d", prefix, wheels, wheelSize), wheels, wheelSize),
		latency: latency,
		goal:    0.25,
	}, {
		id:         2,
		title:      fmt.Sprintf("one %s wheel, no added latency", sizeText(bigSize)),
		data:       big,
		serverArgs: []string{"-max-file-size", "2GiB"},
		goal:       0.5,
		goalRSS:    48 << 20,
		maxRuns:    3, // a run of each takes up to a minute on a busy 2-core machine
	}, {
		id:    3,
		title: fmt.Sprintf("%d tiny wheels (one project each), no added latency", tiny),
		data:  manyProjects(fmt.Sprintf("%stiny-%d", prefix, tiny), tiny, 0),
		goal:  0.2,
	}, {
		id:    4,
		title: fmt.Sprintf("check %d files: --dry-run vs twine check", checked),
		data:  manyProjects(fmt.Sprintf("%stiny-%d", prefix, checked), checked, 0),
		check: true,
		goal:  0.1,
	}}
}

// pypitestArgs are the flags of the scenario's pypitest-server.
func (sc scenario) pypitestArgs() []string {
	args := []string{"-v", "-token", token}
	if sc.latency > 0 {
		args = append(args, "-latency", sc.latency.String())
	}
	return append(args, sc.serverArgs...)
}

// sizeText writes a byte count in binary units.
func sizeText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
